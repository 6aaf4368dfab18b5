"""Hand-checked citation tables for the five corpus articles.

Every row below was produced by reading the article texts in ``corpus/``
sentence by sentence (not by running the project's parser) and then checked
by hand against the text.  A small standalone script confirmed that each
``before + literal`` string occurs exactly once in its article file.

MARKERS[article_id] is a list, in document order, of
    (before, literal, numbers)
where
  * ``literal`` is exactly the characters of one citation group: the digits
    plus brackets and the commas/spaces between numbers (adjacent bracket
    groups separated only by ", " form ONE marker, e.g. "[7], [8]").  It never
    includes the preceding word/punctuation nor trailing punctuation.
  * ``before`` is the exact text (12-30 characters, same line) immediately
    preceding the literal, chosen so that ``before + literal`` is unique in
    the file.
  * ``numbers`` are the cited integers in the order written.

REFERENCES[article_id] is a list, in document order, of every reference-list
entry (numbered or not) as
    (number, first_author, year, doi, url)
  * number: int, or None for an unnumbered entry.
  * first_author: first author's surname / organisation, or for an entry
    whose "author" is a title-like phrase, the first word of the entry
    (trailing punctuation such as "," or ":" dropped).
  * year: publication year as the entry states it (None if none, e.g. "n.d.").
  * doi: bare DOI ("10.xxxx/...") if the entry has one (also when embedded in
    a URL), else None.  A CiteSeerX ``doi=10.1.1.825.3022`` query parameter
    is not a DOI.
  * url: first http(s) URL in the entry as written, minus trailing
    punctuation, else None.

Resolution of a marker is simply: each number -> the entry with that number
in the same article.

NON_MARKERS is a list of (article_id, before, literal) for numbers in
article bodies that are NOT citation markers (years, percentages, doses,
durations, decimals, list numbering, counts).  Here ``literal`` is the
number token as written, including a glued "%" or ")" (e.g. "46%", "1)"),
but not a following separate unit word ("1" of "1 mg/kg").
"""

MARKERS = {
    "ketamine-for-substance-abuse": [
        # (before, literal, numbers)
        ("despite adverse consequences.", "[1]", [1]),
        ("total of almost 70,000 people.", "[2]", [2]),
        ("two-thirds of these cases.", "[3]", [3]),
        ("Ketamine can also be abused.", "[4]", [4]),
        ("individually and societally.", "[5], [6]", [5, 6]),
        ("Anonymous (AA and NA).", "[5], [6]", [5, 6]),
        ("resistant to treatment.", "[6]", [6]),
        ("alcohol withdrawal symptoms.", "[7], [8]", [7, 8]),
        ("depression (TRD) and PTSD.", "[9], [10], [11]", [9, 10, 11]),
        ("are often found together.", "[2], [3]", [2, 3]),
        ("to physical dependence.", "[7]", [7]),
        ("withdrawal symptoms, or pain.", "[8]", [8]),
        ("that report two months later.", "[14]", [14]),
        ("out at the four-month mark.", "[15]", [15]),
        ("over long periods of time.", "[14,15]", [14, 15]),
        ("on depression is increasing.", "[9], [13], [16]", [9, 13, 16]),
        ("can reduce heavy drinking.", "12", [12]),
        ("and cocaine addictions.", "19", [19]),
        ("later compared to the former.", "17", [17]),
        ("typical in opioid addiction.", "1", [1]),
        ("subconscious attitudes.", "18", [18]),
        ("κ-opioid receptor antagonist.", "[6]", [6]),
        ("these pharmacological effects.", "[13]", [13]),
        ("(κ-receptor antagonism).", "[13]", [13]),
        ("the signs are promising", "6, 9, 17, 18", [6, 9, 17, 18]),
    ],
    "potential-of-ketamine-therapy-for-addiction": [],
    "ketamine-assisted-therapy-for-substance-use-disorders": [
        ("is a dissociative anesthetic,", "1", [1]),
        ("Dissociation", "2", [2]),
        ("s dissociative symptoms", "3", [3]),
        ("robust antidepressant efficacy", "3", [3]),
        ("” for suicidal patients", "4", [4]),
        ("therapy for depression", "5", [5]),
        ("several forms of depression,", "5", [5]),
        ("resistant depression (TRD).", "6", [6]),
        ("symptoms of anxiety disorders,", "7", [7]),
        ("both depression and anxiety.", "8", [8]),
        ("can also treat social anxiety.", "9", [9]),
        ("stress disorder (PTSD).", "10", [10]),
        ("traumatic stress disorder.", "11", [11]),
        ("use disorders and PTSD", "12", [12]),
        ("use disorders (SUDs).", "13", [13]),
        ("people with heroin dependence,", "14", [14]),
        ("substance use disorders.", "15", [15]),
        ("for other mood disorders,", "16", [16]),
        ("induces a dreamlike state,", "17", [17]),
        ("with psychotherapy.", "18", [18]),
        ("used to treat chronic pain.", "19", [19]),
        ("and substance use disorders.", "20", [20]),
        ("also improve brain function.", "21", [21]),
        ("hypersensitivity to ketamine,", "22", [22]),
    ],
    "ketamine-promising-treatment-for-substance-use-disorders": [],
    "iv-ketamine-for-opiate-addiction": [],
}

REFERENCES = {
    "ketamine-for-substance-abuse": [
        # (number, first_author, year, doi, url)
        (1, "NIDA", 2020, None, None),
        (2, "Hedegaard", 2020, None, None),
        (3, "Wilson", 2020, None, None),
        (4, "Liu", 2016, None, None),
        (5, "Connery", 2015, None, None),
        (6, "Volkow", 2004, None, None),
        (None, "Zanos", 2018, None, None),
        (7, "Jovaisa", 2006, None, None),
        (8, "Lalanne", 2016, None, None),
        (9, "Berman", 2000, None, None),
        (10, "Lapidus", 2014, None, None),
        (11, "Liriano", 2019, None, None),
        (12, "Das", None, None, None),
        (13, "Bisaga", 2000, None, None),
        (14, "Quinlan", 2012, None, None),
        (15, "Jovaisa", 2006, None, None),
        (16, "Murrough", 2013, None, None),
        (17, "Krupitsky", 1999, None, None),
        (18, "Krupitsky", 2002, None, None),
        (19, "Jones", 2018, None, None),
    ],
    "potential-of-ketamine-therapy-for-addiction": [],
    "ketamine-assisted-therapy-for-substance-use-disorders": [
        (1, "Gitlin", 2020, "10.1097/ALN.0000000000003529",
         "https://doi.org/10.1097/ALN.0000000000003529"),
        (2, "Dissociation", 2019, None,
         "https://www.medicalnewstoday.com/articles/262888"),
        (3, "Ballard", 2020, "10.1038/s41467-020-20190-4",
         "https://doi.org/10.1038/s41467-020-20190-4"),
        (4, "Abbar", 2022, "10.1136/bmj-2021-067194",
         "https://doi.org/10.1136/bmj-2021-067194"),
        (5, "Mandal", 2019, "10.4103/psychiatry.IndianJPsychiatry_484_18",
         "https://doi.org/10.4103/psychiatry.IndianJPsychiatry_484_18"),
        (6, "McMullen", 2021, "10.1007/s12325-021-01732-8",
         "https://doi.org/10.1007/s12325-021-01732-8"),
        (7, "Dore", 2019, "10.1080/02791072.2019.1587556",
         "https://doi.org/10.1080/02791072.2019.1587556"),
        (8, "How", None, None,
         "https://www.yalemedicine.org/news/ketamine-depression"),
        (9, "Taylor", 2018, "10.1038/npp.2017.194",
         "https://doi.org/10.1038/npp.2017.194"),
        (10, "McMillan", 2014, "10.1002/jts.21952",
         "https://doi.org/10.1002/jts.21952"),
        (11, "Davis", 2021, "10.1556/2054.2021.00179",
         "https://doi.org/10.1556/2054.2021.00179"),
        (12, "Brady", None, None,
         "https://citeseerx.ist.psu.edu/viewdoc/download?doi=10.1.1.825.3022&rep=rep1&type=pdf"),
        (13, "Ettensohn", 2018, "10.3928/00485713-20180312-02",
         "https://doi.org/10.3928/00485713-20180312-02"),
        (14, "Krupitsky", 2007, "10.1080/02791072.2007.10399860",
         "https://doi.org/10.1080/02791072.2007.10399860"),
        (15, "Jones", 2018, "10.3389/fpsyt.2018.00277",
         "https://www.frontiersin.org/article/10.3389/fpsyt.2018.00277"),
        (16, "Wilkinson", 2017, "10.1001/jama.2017.10697",
         "https://doi.org/10.1001/jama.2017.10697"),
        (17, "Dodge", 2021, None,
         "https://www.nytimes.com/2021/11/04/well/ketamine-therapy-depression.html"),
        (18, "McInnes", 2020, None,
         "https://www.hmpgloballearningnetwork.com/site/pcn/article/combining-ketamine-psychotherapy-treat-depression"),
        (19, "Niesters", 2014, "10.1111/bcp.12094",
         "https://doi.org/10.1111/bcp.12094"),
        (20, "Treatment", 2012, None,
         "https://www.ncbi.nlm.nih.gov/books/NBK92054/"),
        (21, "Ketamine", None, None,
         "https://maps.org/news/bulletin/ketamine-a-transformational-catalyst/"),
        (22, "Rosenbaum", 2022, None,
         "https://www.ncbi.nlm.nih.gov/books/NBK470357/"),
    ],
    "ketamine-promising-treatment-for-substance-use-disorders": [],
    "iv-ketamine-for-opiate-addiction": [],
}

NON_MARKERS = [
    # (article_id, before, literal)
    # --- ketamine-for-substance-abuse
    ("ketamine-for-substance-abuse", "drug overdoses caused ", "20.7"),
    ("ketamine-for-substance-abuse", "20.7 deaths per ", "100,000"),
    ("ketamine-for-substance-abuse", "a total of almost ", "70,000"),
    ("ketamine-for-substance-abuse", "This means the potential ", "1)"),
    ("ketamine-for-substance-abuse", "new addictions and a ", "2)"),
    ("ketamine-for-substance-abuse", "woman was dependent on ", "160"),
    ("ketamine-for-substance-abuse", "but when prescribed ", "1"),
    ("ketamine-for-substance-abuse", "per day, with ", "10%"),
    ("ketamine-for-substance-abuse", "Ketamine playing a role in ", "1)"),
    ("ketamine-for-substance-abuse", "drinking.12 A review in ", "2018"),
    ("ketamine-for-substance-abuse", "where researchers split ", "70"),
    ("ketamine-for-substance-abuse", "high relapse rates. (", "60%"),
    ("ketamine-for-substance-abuse", "rate of abstinence over ", "24"),
    ("ketamine-for-substance-abuse", "are high. However, at ", "12"),
    ("ketamine-for-substance-abuse", "at 12 months almost ", "25%"),
    ("ketamine-for-substance-abuse", "At two years, nearly ", "20%"),
    # --- potential-of-ketamine-therapy-for-addiction
    ("potential-of-ketamine-therapy-for-addiction", "Disorder (AUD). A ", "2019"),
    ("potential-of-ketamine-therapy-for-addiction", "led to a rate of ", "48.2%"),
    # --- ketamine-assisted-therapy-for-substance-use-disorders
    ("ketamine-assisted-therapy-for-substance-use-disorders", "in acute crisis. After only ", "3"),
    ("ketamine-assisted-therapy-for-substance-use-disorders", "days of treatment, ", "46%"),
    ("ketamine-assisted-therapy-for-substance-use-disorders", "severity of illness after ", "2"),
    ("ketamine-assisted-therapy-for-substance-use-disorders", "illness after 2 weeks and ", "1"),
    ("ketamine-assisted-therapy-for-substance-use-disorders", "Specifically, a ", "2021"),
    ("ketamine-assisted-therapy-for-substance-use-disorders", "or a nasal spray. In ", "2019"),
    # --- iv-ketamine-for-opiate-addiction
    ("iv-ketamine-for-opiate-addiction", "According to the ", "2020"),
    ("iv-ketamine-for-opiate-addiction", "and Health (NSDUH), ", "40.3"),
    ("iv-ketamine-for-opiate-addiction", "million Americans, aged ", "12"),
    ("iv-ketamine-for-opiate-addiction", "Insitute on Drug Abuse, ", "107,941"),
    ("iv-ketamine-for-opiate-addiction", "deaths were reported in ", "2022"),
]
