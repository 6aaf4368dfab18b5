"""ingest/structure.py: title, headings, sections and paragraphs, with offsets."""
from __future__ import annotations

import pytest

from ingest.structure import blocks, is_heading, parse_structure


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("What is Ketamine?", True),
        ("Post-Traumatic Stress Disorder (PTSD)", True),
        ("How to get Ketamine’s Best Results", True),
        ("2019 Findings", True),
        ("Ketamine is a dissociative anesthetic.", False),  # a sentence
        ("The review identified seven studies:", False),  # introduces a list
        ("Overall, results were mixed,", False),
        ("  • Small sample sizes within some of the studies", False),  # a bullet
        ("- Rapid Onset", False),
        ("1. Smith J. A study", False),  # a numbered entry
        ("Results [1]", False),  # carries a citation
        ("lowercase words are not a heading", False),
        ("One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen Fourteen Fifteen", False),  # > 14 words
        ("A" * 101, False),  # > 100 characters
        ("", False),
    ],
)
def test_is_heading(line, heading):
    assert is_heading(line) is heading


def _texts(text: str, bl) -> list[str]:
    return [text[b.start : b.end] for b in bl]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.\n\nTwo.", ["One.", "Two."]),
        ("One.\nTwo.", ["One.", "Two."]),  # web text: one paragraph per line
        ("It began\nand went on.\nNew one.", ["It began\nand went on.", "New one."]),  # lower case continues the line before
        ("Quote “here”\n, then more.", ["Quote “here”\n, then more."]),  # so does closing punctuation
        ("End.\n\nand a new block.", ["End.", "and a new block."]),  # not across a blank line
        ("  Indented line.  \n", ["Indented line."]),
    ],
)
def test_blocks_in_line_mode(text, expected):
    assert _texts(text, blocks(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wrapped line\nof one paragraph.\n\nNext one.", ["Wrapped line\nof one paragraph.", "Next one."]),
        ("Para.\n \n\t\nPara two.\n", ["Para.", "Para two."]),
        ("Body text.\nReferences\n1. Smith J. 2020.", ["Body text.", "References", "1. Smith J. 2020."]),  # PDFs have no blank lines
    ],
)
def test_blocks_in_pdf_mode(text, expected):
    assert _texts(text, blocks(text, line_mode=False)) == expected


def _sections(text: str, title: str | None = None, line_mode: bool = True):
    st = parse_structure(text, title, line_mode)
    return [(s.heading, text[s.start : s.end].strip()) for s in st.sections]


def _paragraphs(text: str, title: str | None = None, line_mode: bool = True):
    st = parse_structure(text, title, line_mode)
    return [(p.section, text[p.start : p.end]) for p in st.paragraphs]


def test_title_is_not_a_paragraph():
    text = "A Title\n\nBody one."
    st = parse_structure(text, "A Title")
    assert (st.title, st.title_span) == ("A Title", (0, 7))
    assert _paragraphs(text, "A Title") == [(0, "Body one.")]


def test_title_not_on_the_first_line_is_not_taken():
    st = parse_structure("Body one.\n\nA Title", "A Title")
    assert (st.title, st.title_span) == (None, None)


def test_sections_open_at_each_heading():
    text = "A Title\n\nIntro.\n\nFirst Heading\n\nBody one.\n\nSecond Heading\n\nBody two.\nstill body two."
    assert _sections(text, "A Title") == [
        (None, "Intro."),
        ("First Heading", "Body one."),
        ("Second Heading", "Body two.\nstill body two."),
    ]
    assert _paragraphs(text, "A Title") == [(0, "Intro."), (1, "Body one."), (2, "Body two.\nstill body two.")]


def test_heading_offsets_point_at_the_heading():
    text = "Intro.\n\nA Heading\n\nBody."
    sec = parse_structure(text, None).sections[1]
    assert text[sec.heading_start : sec.heading_end] == "A Heading"
    assert text[sec.start : sec.end].strip() == "Body."


def test_bullet_markers_are_not_part_of_the_paragraph():
    text = "Intro:\n- Rapid Onset: fast.\n  • Small samples\n2) Second item."
    assert _paragraphs(text) == [(0, "Intro:"), (0, "Rapid Onset: fast."), (0, "Small samples"), (0, "Second item.")]


def test_everything_after_a_reference_heading_is_the_list():
    text = "Body.\n\nReferences\n\n1. Smith J. A study. 2019.\n\nImmediate Effects And Follow-Up\n\n2. Doe A. 2020."
    st = parse_structure(text, None)
    assert [s.heading for s in st.sections] == [None, "References"]  # the wrapped title line is no heading
    assert text[st.references_span[0] : st.references_span[1]].strip().startswith("1. Smith J.")
    assert st.references_span[1] == len(text)


def test_a_trailing_numbered_list_without_heading_is_a_reference_section():
    text = "Body.\n\nClosing words.\n  1. Smith J. A study. 2019.\n  2. Doe A. Another. 2020.\n  3. Roe R. Third. https://x.org"
    st = parse_structure(text, None)
    assert [(s.heading, s.heading_start) for s in st.sections] == [(None, None), ("References", None)]
    assert text[st.references_span[0] :].startswith("1. Smith J.")
    # The section before it ends where the list begins.
    assert text[st.sections[0].start : st.sections[0].end].strip() == "Body.\n\nClosing words."


@pytest.mark.parametrize(
    "text",
    [
        "Body.\n\n1. First point.\n2. Second point.\n3. Third point.",  # a list with no years or links: not references
        "Body.\n\n2. Smith 2019.\n3. Doe 2020.\n4. Roe 2021.",  # does not start at 1
        "Body.\n\n1. Smith 2019.\n2. Doe 2020.",  # too short
    ],
)
def test_a_plain_numbered_list_is_not_a_reference_list(text):
    assert parse_structure(text, None).references_span is None


def test_pdf_reference_heading_inside_a_block_opens_the_list():
    text = "Rivers are calm [1].\nReferences\n1. Smith J. Calm rivers. 2019.\n2. Doe A. Dry months. 2020."
    st = parse_structure(text, None, line_mode=False)
    assert [s.heading for s in st.sections] == [None, "References"]
    assert text[st.references_span[0] : st.references_span[1]].strip() == "1. Smith J. Calm rivers. 2019.\n2. Doe A. Dry months. 2020."
    assert _paragraphs(text, line_mode=False)[0] == (0, "Rivers are calm [1].")


def test_empty_text_has_one_empty_section():
    st = parse_structure("", None)
    assert [(s.heading, s.start, s.end) for s in st.sections] == [(None, 0, 0)]
    assert st.paragraphs == []


# --- the real corpus ---------------------------------------------------------

HEADINGS = {
    "iv-ketamine-for-opiate-addiction": [
        "Understanding Opiate Addiction",
        "Traditional Treatments for Opiate Addiction",
        "What is Ketamine?",
        "Mechanisms of Ketamine in Treating Opiate Addiction",
        "Current Research on IV Ketamine for Opiate Addiction",
        "Benefits of IV Ketamine for Opiate Use Disorder and Addiction",
        "Challenges and Considerations",
        "Conclusion",
    ],
    "ketamine-assisted-therapy-for-substance-use-disorders": [
        "What is Ketamine?",
        "The Uses of Ketamine",
        "Depression",
        "Anxiety",
        "Post-Traumatic Stress Disorder (PTSD)",
        "Healing From Substance Use Disorders With KAT",
        "The Experience of Ketamine-Assisted Psychotherapy",
        "Benefits of Ketamine",
        "The Limitations of Ketamine",
        "The Growing Interest in Ketamine-Assisted Therapy",
        "References",  # the list has no heading on the page
    ],
    "ketamine-for-substance-abuse": [
        "Ketamine and Addiction",
        "How does Ketamine therapy help addiction treatment?",
        "How to get Ketamine’s Best Results",
        "Ketamine Psychotherapy (KPT) and Ketamine Assisted Therapy (KAT)",
        "How does Ketamine work to treat addiction?",
        "Substance Abuse Recovery",
        "References",
    ],
    "ketamine-promising-treatment-for-substance-use-disorders": [
        "The Glutamate Link",
        "Limitations and Further Directions",
        "Possible Mechanism of Action",
    ],
    "potential-of-ketamine-therapy-for-addiction": [
        "Understanding Ketamine’s Mechanism of Action",
        "The Research",
        "Alcohol Use Disorder (AUD)",
        "Opioid Use Disorder",
        "Cocaine and Other Stimulants",
        "The Treatment Process",
        "Regulatory Status and Future Directions",
        "Rediscovering Hope",
    ],
}


def test_headings_table_covers_the_corpus(articles):
    assert sorted(articles) == sorted(HEADINGS)


@pytest.mark.parametrize("article_id", sorted(HEADINGS))
def test_corpus_section_headings(articles, article_id):
    a = articles[article_id]
    assert a.sections[0].heading is None  # the lead, before the first heading
    assert [s.heading for s in a.sections[1:]] == HEADINGS[article_id]


@pytest.mark.parametrize("article_id", sorted(HEADINGS))
def test_corpus_sections_tile_the_text_in_order(articles, article_id):
    a = articles[article_id]
    for s in a.sections:
        assert isinstance(s.end, int) and s.start <= s.end, s
        if s.heading_start is not None:
            assert a.text[s.heading_start : s.heading_end] == s.heading
            assert s.heading_end <= s.start
    for s, nxt in zip(a.sections, a.sections[1:]):
        assert s.end == (nxt.heading_start if nxt.heading_start is not None else nxt.start)
    assert a.sections[-1].end == len(a.text)


@pytest.mark.parametrize("article_id", sorted(HEADINGS))
def test_corpus_reference_section_is_the_reference_list(articles, article_id):
    a = articles[article_id]
    refs = [s for s in a.sections if s.heading == "References"]
    if a.references_span is None:
        assert refs == [] and a.references == []
    else:
        assert [s.start for s in refs] == [a.references_span.start]
        assert a.references_span.end == len(a.text)


@pytest.mark.parametrize("article_id", sorted(HEADINGS))
def test_corpus_paragraphs_are_stripped_ordered_and_disjoint(articles, article_id):
    a = articles[article_id]
    assert a.paragraphs
    for p in a.paragraphs:
        body = a.text[p.start : p.end]
        assert body and body == body.strip(), p
        sec = a.sections[p.section]
        assert sec.start <= p.start and p.end <= sec.end, p
        assert a.section_at(p.start) is sec
    for p, q in zip(a.paragraphs, a.paragraphs[1:]):
        assert p.end < q.start


@pytest.mark.parametrize("article_id", sorted(HEADINGS))
def test_corpus_headings_and_title_are_not_paragraphs(articles, article_id):
    a = articles[article_id]
    bodies = {a.text[p.start : p.end] for p in a.paragraphs}
    assert a.meta.title not in bodies
    assert not bodies & {s.heading for s in a.sections if s.heading_start is not None}
