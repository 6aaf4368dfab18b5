"""Safety routing, decided before retrieval: crisis, refused, advice or answer.

The router is deterministic and auditable.  A question is first normalised (Unicode, case,
apostrophes, contractions, common misspellings), then checked against named rules.  Each rule is one
compiled regular expression (`pattern`), optionally with a context expression that must also occur
somewhere in the text (`also`) and a veto expression (`unless`) looked for in the sentence holding the
match (or, with `veto_whole_text`, anywhere).  Rules are listed most cautious kind first; the first rule
that fires decides the route, so the route is always the most cautious kind that any rule supports.

Whether the articles cover a question is not decided here (retrieval reports `no_answer`): a question
about something the articles do not cover routes to "answer".

Follow-ups: a short or elliptical question is also routed joined to the latest history question, and a
crisis in either of the last two history questions stays a crisis.  The most cautious route wins, so
history can only make a route more cautious, never less.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

__all__ = ["KINDS", "RULES", "Route", "Rule", "is_follow_up", "normalise", "route"]

KINDS = ("crisis", "refused", "advice", "answer")  # most cautious first


@dataclass(frozen=True)
class Route:
    """Where a question goes, and why: the rule that fired and the text it matched."""

    kind: str  # one of KINDS
    rule: str | None  # the rule that fired, e.g. "crisis.self_harm_intent"; None for "answer"
    matched: str | None  # the normalised text the rule matched, for the audit log; None for "answer"


@dataclass(frozen=True)
class Rule:
    """One named routing rule; `kind` is the part of `name` before the dot."""

    name: str
    kind: str
    description: str  # one line: what the rule catches
    pattern: re.Pattern[str]
    also: re.Pattern[str] | None = None  # must also match somewhere in the text
    unless: re.Pattern[str] | None = None  # vetoes a match found in the same sentence
    veto_whole_text: bool = False  # look for `unless` in the whole text instead of the sentence


# --------------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------------

_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf"})  # combining marks (accents) and invisible format chars
_OD_APOSTROPHE = re.compile(r"\bo\.?d\.?\s*['’‘ʼ`´]\s*(d|ed|ing)\b")
_OD_DOTTED = re.compile(r"\bo\.d\.(?=\s|$)")
_APOSTROPHES = re.compile(r"['’‘ʼ`´′‛ʹ＇]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")
_SEMICOLON = re.compile(r"[;:]")
_NOT_KEPT = re.compile(r"[^\w\s.?!,]|_")
_PUNCT_RUN = re.compile(r"[.?!,][\s.?!,]*")
_SPACES = re.compile(r"\s+")

# One token -> its canonical spelling (possibly several words).  Patterns are written against the
# canonical forms: contractions without apostrophes ("dont", "cant", "isnt"), "i am", "i have".
_SPELLING = {
    # ketamine and friends
    **dict.fromkeys(
        "ketamin ketamines ketamen ketamene ketamne ketmine ketamie ketemine ketamime katamine ketamina "
        "kettamine ketamiine ketamein ketamien ketamain ketameen ketimine kitamine".split(),
        "ketamine",
    ),
    "esketamin": "esketamine",
    "khole": "k hole",
    "kholes": "k holes",
    "kholing": "k holing",
    # crisis vocabulary
    **dict.fromkeys("suicde sucide suiside suicid suiscide sucicide suicied suacide".split(), "suicide"),
    **dict.fromkeys("sucidal suicdal suicidel suisidal suicidle suicidial sucidial suacidal".split(), "suicidal"),
    **dict.fromkeys("overdoze overdos".split(), "overdose"),
    **dict.fromkeys("overdozed overdosd oded".split(), "overdosed"),
    "oding": "overdosing",
    "od": "overdose",
    **dict.fromkeys("breathin brething breating breahting breathng".split(), "breathing"),
    **dict.fromkeys("myslef mysef mysefl myseld mysel".split(), "myself"),
    "kil": "kill",
    "kms": "kill myself",
    "unalive": "kill",
    "sewerslide": "suicide",
    "dieing": "dying",
    **dict.fromkeys("anymor annymore nemore anymroe".split(), "anymore"),
    **dict.fromkeys("dissapear disapear dissappear disappeer".split(), "disappear"),
    **dict.fromkeys("goodby goodbey".split(), "goodbye"),
    **dict.fromkeys("leathal lethel".split(), "lethal"),
    **dict.fromkeys("seizur siezure seisure seazure sezure seizer".split(), "seizure"),
    "siezing": "seizing",
    **dict.fromkeys("unresponsve unresponive".split(), "unresponsive"),
    "selfharm": "self harm",
    "selfharming": "self harming",
    "pils": "pills",
    # medicines and substances
    **dict.fromkeys("perscription prescripton presciption prescrption prescritpion".split(), "prescription"),
    **dict.fromkeys("suboxen suboxon".split(), "suboxone"),
    **dict.fromkeys("methodone methadon methedone".split(), "methadone"),
    **dict.fromkeys("alchohol alcohal alchol alcohl alcahol".split(), "alcohol"),
    "drugtest": "drug test",
    # contractions and chat spelling
    "im": "i am",
    "ive": "i have",
    "hes": "he is",
    "shes": "she is",
    "theyre": "they are",
    "youre": "you are",
    "thats": "that is",
    "whats": "what is",
    "whos": "who is",
    "theres": "there is",
    "cannot": "cant",
    "dnt": "dont",
    **dict.fromkeys("dosent dosnt doesent".split(), "doesnt"),
    "didint": "didnt",
    "u": "you",
    "ur": "your",
    "r": "are",
    "n": "and",
    "b4": "before",
    **dict.fromkeys("pls plz".split(), "please"),
    **dict.fromkeys("shud shld shoud shoul".split(), "should"),
    **dict.fromkeys("wat wut wht".split(), "what"),
    **dict.fromkeys("wher whre".split(), "where"),
    **dict.fromkeys("cuz bc becuase becasue coz".split(), "because"),
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "tryna": "trying to",
    "finna": "going to",
    "hafta": "have to",
    "kinda": "kind of",
    "sorta": "sort of",
    "lemme": "let me",
    "gimme": "give me",
    "dunno": "dont know",
    "outta": "out of",
    "alot": "a lot",
}

_PHRASES = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"\bim (?=(?:ketamine|ket|injections?|route|administration|dose|dosing|shots?)\b)", "intramuscular "),
        (r"\bi m\b", "i am"),
        (r"\bi ve\b", "i have"),
        (r"\b(don|can|won|isn|aren|wasn|weren|doesn|didn|shouldn|wouldn|couldn|haven|hasn) t\b", r"\1t"),
        (r"\b4 (?=(?:me|you|him|her|my|us)\b)", "for "),
        (r"\b(how|want|going|need|have|got|trying|able|allowed) 2\b", r"\1 to"),
        (r"\bdo not\b", "dont"),
        (r"\bdoes not\b", "doesnt"),
        (r"\bdid not\b", "didnt"),
        (r"\bcan not\b", "cant"),
        (r"\bwill not\b", "wont"),
        (r"\bis not\b", "isnt"),
        (r"\bare not\b", "arent"),
        (r"\bwas not\b", "wasnt"),
        (r"\bwere not\b", "werent"),
        (r"\bhave not\b", "havent"),
        (r"\bhas not\b", "hasnt"),
        (r"\bhad not\b", "hadnt"),
        (r"\bwould not\b", "wouldnt"),
        (r"\bshould not\b", "shouldnt"),
        (r"\bcould not\b", "couldnt"),
        (r"\bany more\b", "anymore"),
        (r"\bmy self\b", "myself"),
        (r"\bover dos(e|ed|es|ing)\b", r"overdos\1"),
        (r"\bgood bye\b", "goodbye"),
        (r"\bspecial k\b", "ketamine"),
    )
)


def normalise(text: str) -> str:
    """Canonical form that the rules are written against.

    Lower case; accents, invisible characters, emoji and symbols dropped; apostrophes removed
    ("don't" -> "dont"); sentence punctuation kept as its own token (" . ", " ? ", " ! ", " , ");
    common contractions, chat spellings and misspellings mapped to one form ("ketamin" -> "ketamine",
    "im" -> "i am", "is not" -> "isnt").
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    text = text.casefold()
    text = _OD_APOSTROPHE.sub(lambda m: " overdosing " if m.group(1) == "ing" else " overdosed ", text)
    text = _OD_DOTTED.sub(" overdose ", text)
    text = _APOSTROPHES.sub("", text)
    text = _THOUSANDS.sub("", text)
    text = _DECIMAL.sub("point", text)
    text = _SEMICOLON.sub(lambda m: "." if m.group(0) == ";" else ",", text)
    text = _NOT_KEPT.sub(" ", text)
    text = _PUNCT_RUN.sub(_punctuation_token, text)
    words = " ".join(_SPELLING.get(token, token) for token in text.split())
    for pattern, replacement in _PHRASES:
        words = pattern.sub(replacement, words)
    return _SPACES.sub(" ", words).strip()


def _punctuation_token(m: re.Match[str]) -> str:
    run = m.group(0)
    for mark in run:
        if mark in ".?!":
            return f" {mark} "
    return " , "


# --------------------------------------------------------------------------------------------------
# Vocabulary shared by the rules.  In a rule, <NAME> stands for the group below, and <wN> for "up to
# N further words" (each word preceded by one space, never crossing punctuation).
# --------------------------------------------------------------------------------------------------

_VOCAB = {
    "KET": r"(?:ketamine|ket|k|esketamine|spravato)",
    "STREET": (
        r"(?:ketamine|ket|k|esketamine|spravato|drugs|dope|coke|cocaine|crack|heroin|fentanyl|fent|meth|"
        r"molly|mdma|ecstasy|pills|xanax|xans|benzos|oxys?|oxycodone|oxycontin|percs|percocets?|opioids|"
        r"opiates|tusi|lsd|shrooms|dmt|pcp|subs|suboxone|methadone|morphine|codeine|adderall|weed)"
    ),
    "REL": (
        r"(?:son|daughter|kid|kids|child|boy|girl|husband|wife|partner|spouse|boyfriend|girlfriend|bf|gf|"
        r"fiance|fiancee|friend|friends|buddy|mate|roommate|brother|sister|sibling|mom|mum|mother|dad|"
        r"father|parent|parents|cousin|uncle|aunt|grandma|grandpa|grandmother|grandfather|nephew|niece|"
        r"patient|client|teen|teenager|coworker|colleague|neighbor|neighbour)"
    ),
    "THERAPY": (
        r"(?:therapy|treatment|treatments|infusions?|clinics?|assisted|psychotherapy|sessions?|appointments?|"
        r"programs?|providers?|addiction|abuse|use disorder|misuse|dependence|withdrawal|research|studies|"
        r"study|trials?|covered|approved|prescribed|prescription|legally|nasal spray)"
    ),
    "MEDS": (
        r"(?:meds|medication|medications|medicine|prescription|script|dose|dosage|doses|suboxone|subs|"
        r"subutex|sublocade|methadone|buprenorphine|bupe|naltrexone|vivitrol|antidepressants?|ssris?|"
        r"maois?|lexapro|zoloft|prozac|wellbutrin|seroquel|lithium|lamictal|lamotrigine|gabapentin|"
        r"xanax|benzos?|klonopin|valium|ativan|adderall|oxys?|oxycodone|percs|pills|opioids|opiates|"
        r"ketamine|ket|esketamine|spravato|lozenges?|troches?|infusions?|treatment|therapy|program|"
        r"drinking|alcohol|use|habit|heroin|fentanyl|cocaine|painkillers|sleeping pills)"
    ),
    "HOWTO": (
        r"(?:how (?:to|do i|do you|can i|can you|could i|would i|would you|does one|do people|should i)|"
        r"ways? to|steps? to|guide (?:to|for|on)|instructions? (?:for|to|on)|tutorial (?:for|on)|"
        r"want to|trying to|try to|going to|help me|teach me|show me|tell me how to|possible to|"
        r"can i|could i|easiest way to|best way to|cheapest way to|quickest way to|fastest way to)"
    ),
    # A "test" in the drug-testing sense: qualified, or an abbreviation that only means that.
    "DRUGTEST": (
        r"(?:(?:drug|urine|urinary|urinalysis|pee|piss|hair|follicle|hair follicle|saliva|mouth swab|swab|"
        r"tox|toxicology|probation|parole|court|court ordered|employment|pre employment|work|job|random|"
        r"dot|\d+ panel)(?: (?:drug|urine|hair|saliva|follicle|tox|random|\d+ panel))? (?:tests?|screens?"
        r"|screening|screenings|panel|analysis|sample|ua)|"
        r"uas?|uds|\d+ panel)"
    ),
    # Informational framing: the asker wants to know what the sources say.
    "INFO": (
        r"(?:according to|articles?|the studies|studies|study|research|researchers|the review|reviews?|"
        r"trials?|evidence|data|literature|papers?|authors?|sources?|reported|cited|cite|quote|passages?|"
        r"what do(?:es)? (?:the|they|it) say|curious|wondering|asking for|for a (?:class|paper|essay|"
        r"project|report|school)|(?:i am|i work as) (?:a |an )?(?:nurse|student|doctor|physician|"
        r"researcher|clinician|journalist|writer|counsellor|counselor|therapist|pharmacist|social worker|"
        r"paramedic|psychologist|psychiatrist|medical student|professor|teacher))"
    ),
}
_VOCAB["META"] = (
    # Objects that make "can i get ..." a question about this site or its sources, not about treatment.
    r"(?! (?:(?:a|an|the|this|that|your|more|some|any|all|full|whole) )*(?:copy|link|links|source|sources"
    r"|reference|references|citation|citations|quote|quotes|article|articles|study|studies|passage|passages"
    r"|summary|list|answer|answers|question|questions|search|site|website|page|pages|pdf|information|info"
    r"|details|paper|papers|thing|asking|to ask|to read|read|to look|to search|to know|a look)\b)"
)
_GAP = re.compile(r"<w(\d)>")
_NAME = re.compile(r"<([A-Z]+)>")


def _expand(template: str) -> str:
    text = template
    while _NAME.search(text):
        text = _NAME.sub(lambda m: _VOCAB[m.group(1)], text)
    return _GAP.sub(lambda m: r"(?: \w+){0,%s}" % m.group(1), text)


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(_expand(a) for a in alternatives) + r")(?!\w)")


def _rule(name: str, description: str, *alternatives: str, also: str | None = None, unless: str | None = None,
          veto_whole_text: bool = False) -> Rule:
    kind = name.split(".", 1)[0]
    return Rule(
        name=name,
        kind=kind,
        description=description,
        pattern=_rx(*alternatives),
        also=_rx(also) if also else None,
        unless=_rx(unless) if unless else None,
        veto_whole_text=veto_whole_text,
    )


# Generic subjects ("people who want to die") make a crisis phrase informational, unless the asker
# also speaks of themselves in that sentence.
_GENERIC_SUBJECT = (
    r"(?:people|patients|someone|somebody|anyone|those|individuals|persons|users|adults|teens|"
    r"teenagers|veterans|clients|men|women|subjects|participants) (?:who|that|with|say|said|often|sometimes"
    r"|report|reported|describe|described|feel|felt)"
)
_NO_FIRST_PERSON = r"(?!.*\b(?:i|my|me|myself|i am)\b)"
_GENERIC_ONLY = "^" + _NO_FIRST_PERSON + r".*\b" + _GENERIC_SUBJECT

# Past overdoses are history, not an emergency happening now.
_PAST = (
    r"last (?:year|month|week|summer|winter|spring|fall|autumn|time)|years? ago|months? ago|weeks? ago|"
    r"in (?:19|20)\d\d|used to|back (?:then|when)|died|passed away|funeral|anniversary|"
    r"if (?:someone|somebody|a person|you|people|they)"
)

# --------------------------------------------------------------------------------------------------
# The rules, most cautious kind first.
# --------------------------------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    # ---------------------------------------------------------------------------------- crisis
    _rule(
        "crisis.overdose_now",
        "an overdose or poisoning happening now, to the asker or someone with them",
        r"i (?:think |thought |might |may |probably |possibly |must )?(?:have )?(?:just )?(?:overdosed|overdosing)",
        r"(?:think|thought|guess|afraid|scared|worried) i (?:just )?(?:overdose|od)",
        r"i just (?:overdose|od)",
        r"i am (?:overdosing|overdosed)",
        r"(?:is|are|am|be|was) (?:overdosing|having an overdose)",
        r"(?:think|thinks|worried|scared|afraid|sure) (?:that )?(?:he|she|they|my \w+|we|someone|somebody)"
        r"(?: \w+)? (?:overdosed|is overdosing|has overdosed|took too much|had too much|did too much)",
        r"(?:he|she|they|we|my <REL>|someone|somebody) (?:just |has just |has |might have |may have )?overdosed",
        r"overdos(?:ed|ing) (?:right )?now",
        r"(?:i|he|she|they|we|my <REL>|someone|somebody|friend) (?:just |accidentally |may have |might have "
        r"|have |has )?(?:took|taken|had|did|done|used|snorted|drank|swallowed|injected|popped|ate)"
        r"(?: (?:way|far|much|a lot|probably|maybe))? (?:too much|too many|a whole bottle|the whole bottle"
        r"|an entire bottle|a bottle of|all (?:of )?(?:my|his|her|their|the)(?: \w+)? (?:pills|meds|medication"
        r"|tablets)|a handful of|a bunch of(?: \w+){0,2} (?:pills|tablets|xanax|xans|oxys?|percs|benzos|meds)"
        r"|double (?:my|his|her|the) dose)",
        r"(?:drank|swallowed|ate|took|drinking) (?:some |a bottle of )?(?:bleach|antifreeze|rat poison|poison"
        r"|drain cleaner)",
        r"(?:i|he|she|they|we|my <REL>) (?:think )?(?:was|were|got|have been|has been|am|is|are) poisoned",
        r"poison control",
        r"(?:took|had|did|used|snorted|drank|taken|swallowed)(?: (?:way|a lot|much|far|so much))? more than i"
        r" (?:should have|should|meant to|planned|usually do|was supposed to)",
        r"feel like (?:i am|he is|she is) (?:going to|about to) (?:pass out|faint|black out|die|stop breathing)",
        r"(?:i|we|he|she|they|my <REL>) (?:just )?(?:took|did|had|used|mixed|snorted|drank|smoked|injected)<w5>"
        r" and (?:now )?(?:(?:i|he|she|they|we) )?(?:(?:feel|feels|am|is|are|cant|keep|keeps|started|wont) )?"
        r"(?:(?:really|so|very|super|still) )?(?:sick|dizzy|faint|weird|strange|terrible|awful|numb|confused"
        r"|paranoid|throwing up|vomiting|passing out|like dying|like i am dying|shaking|twitching|jerking"
        r"|not making sense|incoherent|hallucinating|cold|clammy|blue|grey|gray|pale|stop shaking"
        r"|having trouble|struggling|not responding|unresponsive|losing consciousness|seizing)",
        r"feels? like (?:i am|he is|she is) (?:dying|going to die)",
        r"(?:took|taken|swallowed|ate|popped|downed) (?:my|his|her|the|a) (?:whole|entire|full) (?:prescription"
        r"|bottle|script|supply|pack|packet|month s supply|box)",
        r"(?:i|he|she|they|we|my <REL>) (?:just )?(?:took|swallowed|popped|ate|had|did|downed) (?:like |about "
        r"|over |around )?(?:[1-9]\d|\d{3,}) (?:\w+ )?(?:pills|tablets|xanax|xans|bars|oxys?|percs|benzos"
        r"|valium|tramadol|tylenol|lozenges|troches|sleeping pills|painkillers|gabapentin)",
        unless=_PAST + r"|(?:signs?|symptoms?|warning signs?) (?:of|that|when) (?:someone|somebody|a person"
        r"|people|you)",
    ),
    _rule(
        "crisis.medical_emergency",
        "emergency signs now: not breathing, blue lips, unresponsive, seizure, call 911",
        r"(?:isnt|wasnt|arent|not|barely|hardly|stopped|has stopped|have stopped|keeps stopping) breathing",
        r"(?:cant|can barely|can hardly|struggling to|unable to) breathe?(?! (?:through|out of) (?:my|his|her|the)"
        r" nose)",
        r"breathing (?:is |seems |looks |sounds |got |has gotten |went )?(?:really |very |so |super |kind of "
        r"|a bit |too )?(?:slow|slowed|shallow|weird|funny|strange|irregular|off|wrong|labou?red|raspy"
        r"|gurgling|rattly|noisy)",
        r"choking on (?:his |her |their |my )?(?:own )?vomit",
        r"(?:lips?|face|skin|fingers?|fingertips|fingernails?|nails|mouth) (?:(?:are|is|look|looks|have|has"
        r"|seem|seems|went|go|going|turning|turned|gone|getting|got) ){1,2}(?:kind of |a bit |really |very "
        r"|so |slightly )?(?:blue|purple|grey|gray|bluish|ashen)",
        r"blue lips",
        r"(?:is|are|keeps|started|turning|turned|gone|going|went) (?:blue|purple|grey|gray)(?! (?:light|screen|pill|pills))",
        r"unresponsive(?! to (?:treatment|therapy|medication|antidepressants|other|traditional|standard))",
        r"wont (?:wake|wake up|come to)",
        r"(?:not|isnt|wasnt) (?:waking up|coming to)",
        r"(?:he|she|they|my <REL>|someone|somebody) (?:is |was |has )?(?:not|isnt|wasnt|wont|stopped) "
        r"(?:responding|respond|moving|move)",
        r"cant (?:wake|rouse|get) (?:him|her|them|my \w+)(?: up| to wake| to respond)?",
        r"(?:is|are|was|went|been|has been|keeps) (?:passed out|unconscious|not moving|limp)",
        r"passed out and",
        r"(?:is|are|was|went|knocked|been) out cold",
        r"(?:passed out|collapsed|blacked out) (?:after|from|on) (?:<STREET>|a line|a bump|taking|doing|using"
        r"|snorting|drinking|mixing)",
        r"(?:and|but|still|now) (?:wont|isnt|not|cant|doesnt) (?:respond|responding|wake|waking|move|moving"
        r"|breathe|breathing)",
        r"(?:having|had|has|is having|started having|keeps having) (?:a |another )?(?:seizure|seizures|convulsions)"
        r"(?! (?:disorder|history|in the past|years ago|as a (?:child|kid)|when i was|once|before))",
        r"seizing|convulsing",
        r"seizures? (?:after|from|while) (?:using|taking|doing|snorting|drinking|ketamine|ket|my|his|her|the)",
        r"foaming at the mouth",
        r"(?:trouble|difficulty|problems|struggling|a hard time) breathing",
        r"(?:think|afraid|scared|worried) (?:that )?(?:my \w+|he|she|they|someone|somebody) (?:is|are) dying",
        r"(?:think|feel like|feels like|scared|afraid) (?:i am|he is|she is|they are) dying",
        r"i am dying(?= ?(?:$|[.?!,]|help|please|right now))",
        r"chest (?:pain|pains|is hurting|hurts|feels tight) (?:after|since|from|on|while)",
        r"(?:my|his|her) heart<w2> (?:racing|pounding|stopped)<w3> (?:after|since|from|on) "
        r"(?:<STREET>|using|taking|doing|snorting|my infusion|the infusion|my session|treatment)",
        r"(?:my|his|her) heart stopped",
        r"(?:should i |do i |i need to |need to |please )?call (?:911|999|112|000|an ambulance|emergency services)",
        r"(?:stuck|trapped) in a k hole",
        r"(?:get|getting|come|coming) (?:(?:him|her|them|me|myself) )?out of a k hole",
        r"(?:i am|he is|she is|they are) in a k hole (?:right )?now",
        unless=_GENERIC_ONLY,
    ),
    _rule(
        "crisis.self_harm_intent",
        "intent to die or to hurt oneself, said directly (also of someone close)",
        r"kill(?:ing)? (?:myself|himself|herself|themselves|themself|ourselves)",
        r"(?:end|ending|take|taking|took) (?:my|his|her|their) (?:own )?li(?:fe|ves)",
        r"(?:i|he|she|they|my <REL>)<w3> (?:commit|committing) suicide",
        r"(?<!dont )(?<!doesnt )(?<!didnt )(?<!never )(?<!not )(?:want|wants|wanted|wanting) to (?:die|be dead"
        r"|end it|end it all|end things|not exist|stop existing|not be alive|go to sleep forever)",
        r"(?:going|planning|plan|decided|ready|about|intend|intending|trying|tried|attempted) to (?:die|end it"
        r"|end it all|end things|do it tonight)",
        r"end it all",
        r"(?:end|ending) (?:everything|it all|things)(?! (?:with|for|between))",
        r"(?:i am|i will|ill|going to|gonna) end(?:ing)? it(?! (?:with|for|between))",
        r"(?:feel like|thinking about|thinking of|think about|want to|going to|ready to|about to) ending it"
        r"(?! (?:with|for))",
        r"(?:going to|want to|plan to|planning to|about to|i will|ill) (?:overdose|od)(?! (?:by accident"
        r"|accidentally))",
        r"wish(?:ing|es)? (?:i|he|she) (?:was|were|could be) dead",
        r"(?:i|he|she) (?:should|deserve to|deserves to|wish i could|wishes he could|wishes she could) (?:just )?die",
        r"better off dead",
        r"(?:i would|id|i d) rather (?:be dead|die|not be alive|not exist|not wake up|not be here)",
        r"(?:planning|plan|planned|preparing|prepared) (?:my|his|her) (?:suicide|death|overdose)",
        r"(?:please |someone |somebody |just )kill me|^kill me",
        r"(?:hang|hanging|shoot|shooting|drown|drowning|starve|starving|suffocate|suffocating) "
        r"(?:myself|himself|herself|themselves)",
        r"jump(?:ing)? (?:off|from|in front of) (?:a |the |my )?(?:bridge|building|roof|train|cliff|balcony"
        r"|overpass)",
        r"(?:overdose|overdosing) on purpose",
        r"(?:hurt|hurting|harm|harming) (?:myself|himself|herself|themselves|themself)",
        r"suicide (?:note|pact)",
        r"(?:my|his|her) (?:suicide|suicidal) (?:plan|attempt|note)",
        unless=_GENERIC_ONLY,
    ),
    _rule(
        "crisis.self_harm_act",
        "self-injury that is happening or has just happened (cutting, burning)",
        r"(?:cut|cutting|burned|burnt|burning|scratched|scratching|carved|carving|punched|punching) "
        r"(?:myself|himself|herself|themselves)",
        r"(?:i|he|she|they|my <REL>)(?: (?:have|has|had|been|am|is|was|keep|kept|started|start|still|also"
        r"|really|sometimes|often|always|used to|do|did|struggle with|struggling with|deal with|dealing with"
        r"|relapsed on|relapsed into|back to|again|engage in|engaging in|into|with)){0,3} self harm(?:ing|ed|s)?",
        r"(?:my|his|her) self harm(?:ing)?",
        r"(?:started|been|keep|kept|back to|relapsed on|relapsed into|urges? to) (?:cutting|self harming|self harm)",
        r"cuts (?:on|in) my (?:arms?|wrists?|legs?|thighs?)",
        r"(?:i am|i have been|been|started|i keep) cutting(?: myself)? (?:again|more|every day|daily|lately"
        r"|a lot)",
        r"slit(?:ting)? (?:my|his|her) wrists?",
        r"(?:cut|cutting|slashed|slashing) (?:my|his|her) (?:wrists?|arms?|legs?|thighs?)",
    ),
    _rule(
        "crisis.suicidal_thoughts",
        "suicidal thoughts of the asker or someone close, in the present",
        r"(?:i|he|she|my <REL>)(?: (?:am|is|are|was|were|have|has|had|been|being|feel|feels|feeling|felt|get"
        r"|gets|getting|keep|keeps|having|experience|experiencing|experienced|struggle with|struggling with"
        r"|struggled with|deal with|dealing with|suffer from|suffering from|battle|battling|fight|fighting"
        r"|also|still|really|so|very|quite|pretty|kind of|a bit|a little|extremely|constantly|often|always"
        r"|sometimes|again|lately|recently|actively|passively|become|becoming|became|go|goes|went|started"
        r"|starting|start|these|some|with|more|increasingly|severely)){0,4} (?:suicidal|suicide (?:thoughts"
        r"|ideation|urges|feelings)|thoughts (?:of|about) (?:suicide|killing (?:myself|himself|herself)"
        r"|ending (?:it|my life|his life|her life)|dying|death|not being here|not wanting to live))",
        r"(?:my|his|her) (?:suicidal|suicide) (?:thoughts|ideation|feelings|urges|ideas|depression|tendencies"
        r"|episodes)",
        r"(?:i|he|she)(?: (?:keep|always|still|often|sometimes|constantly|have been|been|am|was|cant stop))*"
        r" (?:think|thinking|thought) (?:about|of) (?:suicide|killing (?:myself|himself|herself)|dying"
        r"|ending (?:it|my life|things)|overdosing|taking (?:all )?my (?:pills|meds|life)|hurting myself"
        r"|cutting)(?! (?:rates?|statistics|prevention|research|studies|risk))",
        r"^(?:so |very |really |feeling |feel |still )?suicidal(?: [.?!])?$",
        r"(?:i|he|she|they|my <REL>)(?: (?:is|are|was|has been|have been|been|keeps|keep|started|always|still))?"
        r" (?:talking|talks|talked|joking|jokes|joked|posting|posts|texting|threatening|threatens|threatened)"
        r" (?:about )?(?:suicide|killing (?:himself|herself|themselves|myself)|ending (?:it|his life|her life"
        r"|their life|my life)|wanting to die|not wanting to live|dying)",
        r"how (?:do|can|should|could) (?:i|we) (?:help|support|talk to|save|reach|stop)(?: (?:a|my))? (?:<REL>"
        r"|someone|somebody|loved one)(?: \w+)? (?:who is|that is|whos|who wants to|who keeps) (?:suicidal"
        r"|thinking about suicide|talking about suicide|self harming|cutting|die|kill)",
        r"(?:^|[.?!,] )(?:feeling|felt|been feeling|so|very|really|always|still) suicidal",
    ),
    _rule(
        "crisis.lethal_means",
        "stockpiling pills, asking how much would kill, lethal doses, a rope or gun ready",
        r"(?:saving|saved|save|stockpiling|stockpiled|stockpile|hoarding|hoarded|hoard|collecting|collected"
        r"|stashing|stashed|building up) (?:up )?(?:all )?(?:of )?(?:my |his |her |some |a bunch of |enough "
        r"|extra |these |the )?(?:pills|meds|medication|medications|tablets|doses|ketamine|ket|lozenges"
        r"|troches|sleeping pills|painkillers|pain pills|oxys?|xanax|benzos|insulin|prescriptions?|opioids"
        r"|fentanyl|heroin)",
        r"enough (?:pills|meds|medication|ketamine|ket|xanax|oxys?|insulin|fentanyl|heroin|of (?:it|them"
        r"|these|my \w+)) to (?:kill|die|end|overdose|not wake|do it|be fatal|stop)",
        r"how (?:much|many)(?! (?:people|patients|americans|users|deaths|participants|subjects|individuals"
        r"|persons|adults|teens))<w5> (?:kill (?:me|myself|you|someone|a person|him|her|a human)|be fatal"
        r"|be lethal|be deadly|overdose|stop (?:a|my|your|the|his|her) heart|not wake up|never wake up"
        r"|end it|to die|die)(?! (?:deaths?|rates?|statistics|crisis|epidemic|risk|cases|numbers|from|of))",
        r"how (?:much|many)<w4> (?:is|are|would be|will be|could be) (?:lethal|fatal|deadly|enough to kill)",
        r"(?:going to|about to|plan to|planning to|want to|will|gonna) (?:take|swallow|down|use) (?:all|every one"
        r"|the rest) (?:of )?(?:my|the|his|her|these) (?:pills|meds|medication|medications|tablets|ketamine"
        r"|ket|lozenges|prescription|xanax|oxys?)",
        r"how much (?:(?:would|will|does|do) it take|to take|is needed|until|to) (?:to )?(?:kill|die|overdose"
        r"|stop (?:a|my|your|the) heart|not wake up|end it)",
        r"(?:lethal|fatal|deadly) (?:dose|doses|amount|quantity|level|overdose)",
        r"(?:bought|got|have|found|buying|loaded|holding|hiding) (?:a |the |my )?(?:gun|rope|noose|razor"
        r"|razors|blades?) (?:and|to|for|ready|today|tonight|so)",
        r"(?:tie|tied|tying) a noose",
        r"(?:pills|meds|bottle|gun|knife|razor|blade|rope|lozenges)(?: \w+){0,2} in my hands?",
        r"(?:sitting|standing|lying|here|holding|staring at)(?: \w+){0,2} (?:with |at )?(?:a |the |my )?(?:bottle"
        r"|handful|bunch|pile) of (?:\w+ )?(?:pills|tablets|meds|xanax|oxys?|ketamine)",
        r"(?:easiest|quickest|fastest|painless|painlessly|best|simplest|surest|least painful) (?:way|ways|method"
        r"|methods) to (?:die|kill myself|end it|end my life|commit suicide|overdose)",
        r"(?:how|ways?) to (?:die|kill myself|commit suicide|end my life)(?! (?:from|of|in))",
        r"(?:take|swallow|down|took|swallowed|downed) (?:every|all the) (?:pill|pills|tablet|tablets|med|meds)",
        r"(?:will|would|could|might|can) (?:i|he|she) die",
        r"(?:would|will|could) (?:it|that|this) kill (?:me|him|her)",
        r"(?:take|took|taking|use|do) (?:all|the whole|my whole|the rest) (?:of )?(?:my |the |his |her )?"
        r"(?:<STREET>|lozenges|troches|supply|stash|bottle|prescription) at once",
        r"(?:stash|stockpile|supply|collection|bunch|bottle) of (?:\w+ )?(?:pills|meds|medication|tablets|ketamine"
        r"|ket|oxys?|xanax) (?:ready|saved|hidden|set aside|put aside)",
    ),
    _rule(
        "crisis.indirect",
        "indirect statements: no point, better off without me, goodbye, can't go on, disappear",
        r"(?:make|makes|making) (?:everything|it all|all of it|the pain|it|me|my life) (?:just )?(?:stop|end|go away)"
        r" (?:for good|forever|permanently|for ever)",
        r"dont see (?:the|any) point(?: \w+){0,2}? (?:anymore|any longer|in (?:living|life|anything|going on"
        r"|trying|carrying on|being alive|being here|continuing|getting up)|of (?:living|life|anything"
        r"|going on|trying|being alive|being here)|to (?:anything|life|living))",
        r"dont see (?:the|any) point(?= ?(?:$|[.?!,]))",
        r"(?:what is|whats) the point (?:of |in )?(?:living|life|anything|going on|being alive|being here"
        r"|carrying on|even trying|trying anymore|anymore)",
        r"no (?:point|reason|purpose) (?:for me )?(?:in |to |for )?(?:living|live|life|being alive|going on|carrying on"
        r"|keep going|be alive|be here|being here)",
        r"nothing (?:left )?to live for",
        r"(?:dont see|see no|cant see|cant find|dont have|have no) (?:a |any )?(?:reason|point) to (?:keep going"
        r"|live|go on|carry on|be here|stay|wake up|keep living|get up|be alive)",
        r"(?:nobody|no one|noone) (?:would|will|is going to|going to) (?:even )?(?:miss me|care if i|notice if i)",
        r"(?:nobody|no one|noone) (?:even )?(?:cares?|would care) (?:if|whether) i (?:live|die|am alive|am dead"
        r"|disappear|was gone|were gone)",
        r"(?:life|living) (?:isnt|is not|aint|not) worth (?:living|it)",
        r"not worth living",
        r"i hate (?:my life|being alive|living|myself so much)",
        r"want out of (?:this life|life|this world)",
        r"(?:^|[.?!] )i am (?:so |just )?done(?= ?(?:$|[.?!]))",
        r"goodbye (?:everyone|everybody)(?= ?(?:$|[.?!,]))",
        r"(?:lost|losing|have no|no) (?:the |my )?will to live",
        r"(?:tired|sick|exhausted|done) (?:of|with) (?:living|life|being alive|existing|everything|it all)",
        r"better off (?:without me|if i (?:was|were|wasnt|werent|died|disappeared|was gone|were gone)"
        r"|with me gone|when i am gone|once i am gone)",
        r"(?:this is|saying|say|wanted to say) (?:my )?(?:final |last )?goodbye(?! to (?:alcohol|drinking|drugs"
        r"|opioids|opiates|heroin|ketamine|ket|cocaine|meth|pills|addiction|my addiction|using|smoking|cravings"
        r"|booze|the bottle))",
        r"goodbye (?:forever|cruel world|world)",
        r"(?:final|last) goodbyes?",
        r"cant (?:do (?:this|it|life)|go on|take (?:it|this|this pain|the pain|much more)|keep going|cope"
        r"|live like this|handle (?:it|this|life)|deal with (?:it|this|life)|carry on|keep doing this"
        r"|be here)(?: \w+){0,3}? (?:anymore|any longer|no more)",
        r"cant (?:go on|keep going|carry on)(?= ?(?:$|[.?!,]|like this|living|anymore|any longer))",
        r"cant (?:keep )?(?:living|live|going on|go on) like this",
        r"(?:would|will|does) (?:anyone|anybody) (?:even )?(?:notice|care|miss me)(?: if i (?:was|were|am|died"
        r"|disappeared|was gone|were gone|wasnt here))?",
        r"dont want to (?:be here|live|exist|be alive|wake up|go on|be around|keep living|continue living"
        r"|feel anything|do this)(?: \w+){0,2}? (?:anymore|any longer|no more)",
        r"dont want to (?:live|exist|be alive|wake up|be here)",
        r"(?:want|wanted|wish i could|wanna) (?:to )?(?:just )?disappear",
        r"wish i (?:was|were|had) (?:never been born|gone|not here|not alive|never born)",
        r"(?:go to sleep|fall asleep|sleep|rest) (?:forever|and (?:never|not) wake up)",
        r"(?:hope|hoping|wish) (?:i dont|i never|i wont) wake up",
        r"want (?:it|it all|everything|all of this|all this|this|the pain) to (?:end|stop|be over)"
        r"(?: \w+){0,2}? (?:forever|for good|permanently)",
        r"want (?:it all|everything) to (?:end|stop|be over)",
        r"no way out",
        r"i (?:just |really |honestly |simply )?cant (?:anymore|do it|do this|do life)(?= ?(?:$|[.?!,]))",
        r"(?:fine|okay|ok|alright|all right|better|happier|easier|better off) without me",
        r"(?:feel like|want|thinking about|think about|dream about|dreaming about) (?:just )?disappearing",
        r"disappear(?:ing)? (?:forever|for good|permanently)",
        r"(?:cant|dont|cannot) see (?:any |a )?(?:way forward|way out|future|light at the end|end to this|reason"
        r" to go on)",
        r"(?:end|at the end) of my (?:rope|tether)|(?:at|reached|hit) my breaking point",
        r"(?:not sure|dont know if|dont think|unsure if) i want to (?:live|be alive|be here|go on|keep going|exist"
        r"|keep living|wake up)",
        r"(?:dont think|not sure|dont know if) i can (?:keep going|go on|carry on|do this|take (?:it|this|much more)"
        r"|keep living|survive|make it)",
        r"(?:might|could|will|would|going to|gonna) do (?:something )?to myself",
        r"if i (?:just )?(?:died|was dead|were dead|wasnt here|wasnt alive|killed myself|disappeared|was gone"
        r"|were gone)",
        r"(?:dont|do not) care (?:if|whether) i (?:live|die|wake up)",
        r"(?:dont know|no idea) why i (?:even )?bother",
        r"(?:nothing|none of it|life|my life) (?:matters|means anything)(?! (?:more|as much|but|except|to the))",
        r"better off (?:gone|not here|not existing|not alive)",
        r"no hope (?:for me|left|anymore)",
        r"(?:i am|i feel|feeling) (?:so |completely |totally |just )?hopeless(?= ?(?:$|[.?!,]|and))",
        r"want (?:it|this|everything|it all|all of this|all this|the pain|my life) to be over",
        r"(?:everything|life|my life|it all|living) (?:feels|is|seems) (?:so |completely |totally )?(?:pointless"
        r"|meaningless|hopeless)",
        r"(?:in case|if) i (?:dont|do not) make it",
        r"(?:wrote|writing|written|left) (?:letters?|notes?) (?:to|for) (?:my|everyone|everybody)",
        r"(?:happier|better|easier) (?:off )?(?:without me|if i (?:wasnt|werent|was not|were not|was gone"
        r"|were gone|died|disappeared)(?: around| here| alive)?)",
        r"in a (?:really |very |so |super )?dark place",
        r"(?:i am|i feel like|i feel|i have become|i became) (?:just |such |nothing but )?(?:a |such a )?burden",
        r"giving away (?:all )?(?:my|his|her) (?:stuff|things|belongings|possessions|pets)",
        r"(?:wont|not going to|dont plan to|dont expect to) be (?:here|around|alive) (?:much longer|for long"
        r"|tomorrow|anymore)",
        r"(?:give|giving|given|gave) up on (?:life|living|everything|myself)",
        r"(?:this is|its|it is) the end for me",
        r"(?:wrote|writing|left|leave) (?:a |my )?(?:last|final|goodbye) (?:letter|note|message)",
        r"(?:i am|i feel) not safe (?:right now|tonight|alone|with myself|around myself)",
        r"dont feel safe (?:with|around) myself",
        r"(?:i am|i might|going to) (?:going to |about to )?do something (?:stupid|drastic)",
        unless=_GENERIC_ONLY,
    ),
    _rule(
        "crisis.help_seeking",
        "asks for a crisis line or cries for help",
        r"(?:suicide|crisis|suicide prevention) (?:hotline|helpline|line|number|text line)",
        r"(?:call|text|dial) 988",
        r"(?:someone|somebody) (?:please )?help (?:me|us)(?= ?(?:$|[.?!,]|please|now|i|we))",
        r"i need help (?:right now|now|immediately|urgently|asap)",
        r"(?:^|[.?!,] )(?:please |someone |somebody )?help(?: me| us)?(?: please)?(?= ?(?:$|[.?!]))",
        r"(?:^|[.?!,] )i need help(?= ?(?:$|[.?!]))",
    ),
    _rule(
        "crisis.death_talk",
        "fallback: the asker speaks of their own dying, death or suicide in words the rules above miss",
        r"(?:i|me|my|myself)<w5> (?:die|dying|dead|suicide|suicidal|unalive)(?! (?:to (?:know|try|learn|hear|see"
        r"|find out|get)))",
        r"(?:die|dying|dead|suicide|suicidal)<w4> (?:me|myself)",
        unless=r"<INFO>|i (?:read|heard|saw|learned|have read|have heard)|dying to|dead (?:set|serious|tired"
        r"|wrong|end)|(?:died|death|suicide) of (?:my|a)|lost (?:my|a) \w+ to|(?:not|never|no longer|isnt|wasnt"
        r"|arent)(?: (?:been|feeling|feel|really|at all))? suicidal|(?:phone|battery|car|laptop|computer)"
        r"(?: is| was)? dead|suicide (?:prevention|awareness|rates?|risk|statistics|research|training|survivors?)",
    ),
    # ---------------------------------------------------------------------------------- refused
    _rule(
        "refused.illicit_supply",
        "getting drugs illicitly: buying, dealers, dark web, no prescription, selling",
        r"(?<!in )(?:buy|buying|bought|purchase|purchasing|order|ordering|score|scoring|cop|copping|source"
        r"|sourcing|pick up|picking up|get ahold of|get a hold of|get hold of|get my hands on|getting my hands on"
        r"|hook me up with|hook up with|smuggle|smuggling|import|importing)(?: (?:some|any|more|a|an|the|cheap"
        r"|good|pure|real|legit|bulk|liquid|powder|powdered|street|illegal|extra|gram|grams|g|half|ounce|oz"
        r"|bag|baggie|of)){0,3} <STREET>(?! <THERAPY>)",
        r"(?:where|how|who) (?:can|could|do|would|should|to|might|may) (?:i |we |you |one |someone |somebody "
        r"|a person |people )?(?:still |actually |easily |quickly |cheaply |safely )?(?:get|find|buy|score|cop"
        r"|grab|source|order|obtain|pick up|acquire)(?: (?:some|any|more|a|cheap|good|real|pure|street|illegal"
        r"|liquid|powder|powdered)){0,2} <STREET>(?! <THERAPY>| from (?:a|my|your) (?:doctor|psychiatrist"
        r"|clinic|provider|prescriber))",
        r"(?:who|where) (?:sells|is selling|sell|deals|has) <STREET>",
        r"<STREET> for sale",
        r"(?:place|places|spot|spots|site|sites|website|websites|app|apps) (?:to|where i can|i can|where to)"
        r" (?:get|buy|score|cop|find|order|pick up) (?:some )?<STREET>(?! <THERAPY>)",
        r"(?:cost|costs|price|prices|sell|sells|go|goes|worth)<w3> (?:on|in) the streets?",
        r"(?:get|buy|order|find|purchase|ship) (?:some )?<STREET> (?:online|off the internet|on the internet"
        r"|from the internet|by mail|in the mail|overseas|from china|from india)",
        r"(?:got|get|bought|buy|getting|buying) (?:some )?<STREET> (?:from|off) (?:a |my |this |some )?(?:friend"
        r"|buddy|guy|dealer|mate|someone|somebody|coworker|roommate|stranger|person)",
        r"(?:my )?(?:<REL>s|someone elses|somebody elses|another persons|other peoples) (?:leftover |extra |old )?"
        r"(?:ketamine|ket|pills|meds|medication|prescription|lozenges|troches|nasal spray|suboxone|methadone"
        r"|xanax|oxys?|adderall|esketamine|spravato)(?! <THERAPY>)",
        r"(?:gave|give|giving|sold|sell|shared|share) me (?:some )?(?:of )?(?:his|her|their) (?:ketamine|ket|pills"
        r"|meds|medication|prescription|lozenges|troches|suboxone|methadone|xanax|oxys?)",
        r"<STREET> (?:vendors?|suppliers?|sellers?|plugs?|connects?|dealers?)",
        r"(?:get|have|getting) <STREET> (?:shipped|delivered|mailed|sent)",
        r"(?:sells|ships|delivers|deliver) <STREET>",
        r"<STREET><w3> (?:from|at) (?:a |the |my )?(?:vet|vets|veterinarian|veterinary|vet clinic|animal hospital"
        r"|horse vet)",
        r"(?:street|black market) (?:price|value|cost|prices)",
        r"(?:price|cost|how much) (?:is |for |of |does |do )?(?:a |an |one )?(?:gram|g|ounce|oz|bag|baggie|point"
        r"|half|eighth)(?: of)? <STREET>",
        r"(?:drug|ket|ketamine|k|coke|a|my|good|reliable|local|trusted|new) (?:dealer|dealers|plug|plugs)",
        r"(?:dealer|plug|connect) (?:for|that sells|who sells|selling) <STREET>",
        r"dark ?web|darknet|dark net|deep web|silk road|onion (?:sites?|markets?|links?)|tor (?:markets?|sites?)"
        r"|telegram (?:plugs?|vendors?|channels?|dealers?)",
        r"(?:get|getting|buy|buying|obtain|obtaining|order|ordering|find|finding|purchase|source|score|take"
        r"|taking|use|using|try|trying|microdose|microdosing|dose|dosing|do|doing|self medicate"
        r"|self medicating)<w5> (?:without|with no|no) (?:a |any |an |the |my )?(?:prescription"
        r"|script|rx|doctor|doctors? (?:note|approval|visit)|seeing a doctor|going to a (?:clinic|doctor))",
        r"no (?:prescription|script|rx) (?:needed|required)",
        r"(?:steal|stealing|stole|swipe|swiping|nick|pinch|divert|diverting)<w3> (?:<STREET>|vials?|lozenges"
        r"|troches)",
        r"(?:fake|forge|forged|forging|faking|counterfeit|buy|buying|sell|selling) (?:a |an )?(?:prescriptions?"
        r"|scripts?|rx)",
        r"(?:fake|faking|exaggerate|exaggerating|lie about|lying about|make up)(?: (?:my|some|the|a))? "
        r"(?:symptoms|depression|pain|diagnosis|condition)<w4> (?:to get|for|so i can get|so i get"
        r"|to be prescribed)",
        r"(?:lie to|lying to|trick|tricking|fool|fooling|scam|scamming) (?:my |a |the |his |her )?(?:doctor|doc"
        r"|psychiatrist|prescriber|clinic|pharmacist|provider)",
        r"doctor shop(?:ping)?",
        r"(?:sell|selling|sold|resell|reselling|flip|flipping|trade|trading|share|sharing)(?: (?:my|some|the"
        r"|extra|leftover|spare|unused|his|her)){0,2} (?:<STREET>|prescription|script|lozenges|troches"
        r"|nasal spray|vials?)",
        unless=r"with (?:a|my|your|the) (?:prescription|script)|(?:at|from) (?:a |the |my )?(?:pharmacy|doctor|clinic"
        r"|prescriber|psychiatrist)",
    ),
    _rule(
        "refused.manufacture",
        "making, synthesising or extracting drugs",
        r"<HOWTO>(?: \w+){0,2} (?:make|cook|synthesi[sz]e|produce|manufacture|brew|extract|crystalli[sz]e"
        r"|evaporate|dry|dehydrate|purify|refine|isolate)(?: (?:my own|your own|our own|homemade|some|pure|own"
        r"|liquid|powder|powdered|more|good|the|a|batch of|real)){0,2} (?:<STREET>|crystals?)(?! (?:therapy"
        r"|treatment|work|works|last|more|less|stronger|weaker|hit|kick|effective|better|safer|safe|worse"
        r"|affordable|accessible|available|cheaper|easier|harder|legal|illegal|part|an?|my|your|the|feel"
        r"|sessions?|infusions?|possible|useful|helpful|popular|help|fit))",
        r"(?:how|where) (?:is|are) <STREET> (?:made|synthesi[sz]ed|produced|manufactured|cooked|extracted)",
        r"(?:synthesi[sz]e|synthesi[sz]ing|synthesis of|synthesis route|synthetic route|precursors? (?:for|of|to)"
        r"|reagents? (?:for|to make)|recipe (?:for|to make)|chemicals? (?:needed |used )?to make)(?: \w+){0,2}? "
        r"<STREET>",
        r"<STREET> (?:synthesis|recipe|precursors?|extraction)",
        r"(?:homemade|home made|diy|home brewed|home cooked|bathtub|kitchen) <STREET>",
        r"(?:make|making|cook|cooking) <STREET> at home",
        r"(?:turn|convert|turning|converting) (?:liquid |the )?(?:<STREET>|vials?)<w2> (?:into|to) (?:powder"
        r"|crystals?|crystal)",
        r"(?:cook|cooking|cooked) (?:up )?(?:some |the |a batch of )?(?:<STREET>|vials?)",
    ),
    _rule(
        "refused.recreational_use",
        "recreational how-tos: getting high, k-holes, party doses, snorting, stronger trips",
        r"(?:<HOWTO>|best|fastest|quickest|easiest|cheapest|strongest|safest)<w3> (?:get|getting|feel|feeling"
        r"|go|be) (?:really |super |more |so |the most |as |most )?(?:high|higher|stoned|wasted|fucked up"
        r"|messed up|lit|zooted|blasted|twisted|tripping|trippy|buzzed|faded|munted|mashed|gurning"
        r"|k holed)",
        r"(?:get|getting|got) (?:high|stoned|wasted|fucked up|messed up|lit|zooted|faded) (?:on|off|from|with) "
        r"(?:<STREET>|it|this|that|the lozenges|the spray)",
        r"(?:dose|dosage|amount|mg|much|many|bumps?|lines?|grams?|way|how)<w4> (?:for|to|into|reach|hit|get"
        r"|achieve|get into|go into|enter|fall into|in) (?:a |the |into a |into the )?k holes?",
        r"(?:reach|hit|achieve|get into|go into|enter|fall into|into|want|trying for|aim for) (?:a |the )?k holes?",
        r"<HOWTO><w2> k hole",
        r"(?:<HOWTO>|best|fastest|easiest|strongest)<w3> (?:trip|tripping|roll|rolling) (?:on|off) <STREET>",
        r"how (?:much|many)<w4> (?:for|at|before|to|during|on) (?:a |the |this |my |our |tonights )?(?:good "
        r"|great |nice |fun |big |strong |proper |decent |wild )?(?:party|parties|rave|raves|festival|festivals"
        r"|fest|club|clubbing|night out|big night|weekend|concert|gig|afterparty|after party|trip|have fun"
        r"|get high|get lit|get messed up|feel it|feel good|feel something|vibe|roll|go out)",
        r"(?:snort|snorting|snorted|sniff|sniffing|rail|railing|boof|boofing|plug|plugging|parachute|parachuting"
        r"|shoot up|shooting up|slam|slamming|bang|banging|smoke|smoking|vape|vaping|inject|injecting)"
        r"(?: (?:some|a|the|my|more|of|line|lines|bump|bumps|key|keys|pure|crushed|liquid|powder|powdered))"
        r"{0,3} (?:ketamine|ket|k|coke|cocaine|crack|heroin|meth|mdma|molly|tusi|pills|oxys?|percs|xans|xanax"
        r"|lozenges?|troches?|fentanyl|fent|it)",
        r"(?:key )?bumps? of <STREET>",
        r"(?:lines?|rails?) of <STREET>",
        r"key ?bumps?",
        r"(?:between|how many) (?:bumps|rails|lines of)",
        r"(?:dose|dosage|amount|how much|how many|mg)<w5> recreationally",
        r"(?:make|making|keep|keeping|prolong|prolonging|extend|extending|intensify|intensifying|boost|boosting"
        r"|enhance|enhancing|amplify|amplifying|potentiate|potentiating|maximi[sz]e|maximi[sz]ing)(?: (?:the"
        r"|my|a|this|your|ketamine|ket|k|its|it)){0,3} (?:high|trip|buzz|k hole|rush|visuals|hallucinations"
        r"|euphoria|come up|roll)",
        r"(?:last|stay|hit|kick in|work)(?: even)? (?:longer|harder|stronger|faster|more)<w3> (?:when|while|for"
        r"|during|at|on) (?:tripping|partying|high|a party|the party|parties|a rave|raves|a festival|festivals"
        r"|fun|a k hole|the trip|my trip|clubbing|rolling|the weekend|the club|a night out)",
        r"(?:stronger|better|harder|longer|bigger|more intense|crazier|deeper|nicer|smoother|cleaner) "
        r"(?:high|trip|buzz|k hole|rush|come up|euphoria)",
        r"trip (?:harder|balls|better|longer)|tripping (?:harder|balls)",
        r"(?:amount|dose|dosage|much|how many|bumps?|lines?)<w4> (?:for|as) (?:a )?(?:first timer|first time"
        r"|first time user|beginner|newbie|noob|lightweight)",
        r"(?:best|good|great|nice|strong|big|max|maximum|intense|proper) (?:high|buzz|k hole)",
        r"to get (?:high|stoned|wasted|fucked up|messed up|lit|zooted|faded)",
        r"(?:go well|goes well|go good|goes good|pairs? well|mix well|mixes well|combo|stack) with <STREET>",
        r"(?:take|do|try|use|dose|doing|taking|using|trying) (?:ketamine|ket|k|it|some|mdma|molly|coke|tusi)"
        r"<w2> (?:recreationally|for fun|to party|to trip|to get high|(?:at|for) (?:a |the )?(?:party|parties"
        r"|rave|raves|festival|festivals|club|clubs|night out)|on (?:the |a )?weekends?|on a night out|socially)",
        r"recreational(?:ly)? (?:dose|doses|dosage|dosing|amount|amounts|use tips|tips|guide|use guide"
        r"|use safely|user tips|how much)",
        r"(?:mix|mixing|combine|combining|stack|stacking|candyflip)<w4> (?:for|to get|to have) (?:a )?(?:better"
        r"|stronger|bigger|more intense|longer|nicer|crazier|deeper|good|great) (?:high|trip|buzz|effect"
        r"|experience|night|time|vibe)",
        unless=r"(?:doctors?|nurses?|clinicians?|providers?|physicians?|anesthesiologists?|anaesthetists?"
        r"|staff|hospitals?|clinics?|paramedics?|they)<w2> (?:inject|injects|injecting)"
        r"|why (?:do|would|does|did|are|is) (?:people|users|someone|folks|kids|teens|young people|ravers)",
    ),
    _rule(
        "refused.drug_test_evasion",
        "beating, faking or passing drug tests; detection on a test",
        r"(?:pass|passing|beat|beating|cheat|cheating|cheat on|fool|fooling|trick|tricking|get past|get through"
        r"|getting past|get around|getting around|avoid|avoiding|dodge|dodging|mask|masking|fake|faking|fail"
        r"|failing|flunk|flunking|pop|popping|test clean on|come up clean on|be clean for)(?: (?:a|an|my|the"
        r"|his|her|this|that|upcoming|next|surprise|ordered)){0,3} <DRUGTEST>",
        r"(?:pass|beat|cheat|fool|trick|fail) (?:a |my |the |this |that |his |her )?(?:\w+ )?tests? (?:after"
        r"|with|on|if|while|when)<w3> <STREET>",
        r"(?:fake|synthetic|someone elses|somebody elses|substitute|powdered|borrowed|bottled|frozen"
        r"|my friends|a friends|dogs|kids) (?:urine|pee|piss)",
        r"(?:buy|get|use|need|where|find|borrow|order|sell|bring|carry|hide) (?:some |a bottle of )?clean"
        r" (?:urine|pee|piss)",
        r"whizzinator|monkey whizz|quick fix urine",
        r"(?:detox|cleanse|flush) (?:drinks?|kits?|shampoo|pills?|tea|products?)",
        r"dilut(?:e|ed|ing) (?:my |the |a )?(?:urine|pee|piss|sample)",
        r"(?:flush|flushing|clean|cleaning|clear|clearing|get|getting|detox|detoxing) (?:<STREET>|it|thc"
        r"|everything|this|that)<w2> (?:out of|from) (?:my|your|his|her|the) (?:system|body|urine|pee|blood"
        r"|hair)",
        r"(?:show up|shows up|showing up|detect|detects|detected|detectable|come up|comes up|turn up|appear"
        r"|appears|flag|flagged|be found|positive|register)<w4> (?:on|in|by|with) (?:a |an |my |the |his |her )?"
        r"(?:\w+ ){0,2}(?:tests?|screens?|screening|panel|ua|uds)",
        r"(?:will|would|could|can|does|do|might)<w3> (?:test|come up|show up|pop) positive",
        r"(?:detection|detectability) (?:window|windows|time|times|period)",
        r"false positives?",
        r"(?:mask|masks|masking|hide|hides|hiding|cover|covers|cover up|covers up|clear|clears|flush|flushes)"
        r"<w2> (?:<STREET>|it|drugs)<w2> (?:in|from) (?:my |your |the )?(?:urine|pee|piss|sample|blood|hair|system)",
        r"(?:before|ahead of|prior to) (?:my |a |the |his |her |this |next |upcoming )?<DRUGTEST>",
        r"<DRUGTEST> (?:detect|detects|pick up|picks up|catch|catches|find|finds|show|shows|screen for"
        r"|screens for|test for|tests for|look for|looks for)",
        r"detectable (?:in|on|by) (?:a |the |my |your )?(?:urine|pee|blood|hair|saliva|spit|tests?|screens?)",
        r"(?:i|we|he|she|my \w+)(?: \w+){0,2} (?:test|come up|come back|pee|piss) (?:negative|clean)",
        r"(?:get|have|give|produce|provide|submit|pass) (?:a )?clean (?:drug test|test|ua|sample|urine|screen"
        r"|<DRUGTEST>)",
        r"(?:hide|hiding|conceal|concealing|cover up|covering up|mask|masking)<w3> (?:from|on) (?:my |the |his "
        r"|her |a )?(?:probation|parole|po|officer|probation officer|parole officer|employer|boss|job|work|court"
        r"|drug test|test|screen|<DRUGTEST>)",
    ),
    _rule(
        "refused.concealment",
        "hiding drugs or drug use, or getting them past police, parents, security or borders",
        r"without (?:getting caught|being caught|anyone (?:knowing|finding out|noticing)|(?:my|the) (?:parents"
        r"|family|wife|husband|partner|boss|po|probation officer|parole officer|police|cops) (?:knowing|finding out"
        r"|noticing))",
        r"(?:hide|hiding|conceal|concealing|stash|stashing|sneak|sneaking)<w3> (?:<STREET>|my stash|my use|drug use"
        r"|my drug use|it|them)(?: \w+){0,3} (?:from|past|in|into) (?:my |the |a )?(?:parents|mom|mum|dad|family"
        r"|wife|husband|partner|roommate|boss|work|school|police|cops|security|airport|tsa|customs|border"
        r"|festival|concert|venue|car|bra|room)",
        r"(?:bring|take|carry|sneak|smuggle|fly with|travel with)<w2> (?:<STREET>)<w3> (?:on|onto|through|past"
        r"|across|into) (?:a |the )?(?:plane|flight|airport|security|tsa|border|customs|festival|concert|venue"
        r"|club|prison|jail)",
        r"(?:get|getting|got) (?:<STREET>) (?:past|through) (?:security|tsa|customs|the border|the dogs|sniffer dogs)",
        unless=r"prescri\w*|my (?:lozenges|spray|nasal spray|prescription|medication|meds)",
    ),
    _rule(
        "refused.detection_window",
        "how long a drug stays in the system, asked with a drug test in view",
        r"(?:how long|how many days|how many hours|how soon|when)<w6> (?:detectable|detected|in (?:my|your|his"
        r"|her|the) (?:system|urine|pee|blood|hair)|out of (?:my|your|his|her|the) (?:system|body)|show up"
        r"|stay in|leave (?:my|your|his|her|the) (?:system|body)|clear (?:my|your|his|her|the) (?:system|body)"
        r"|test (?:clean|negative))",
        r"(?:in|out of|leave|clear|from) (?:my|your|his|her|the) (?:system|body)<w4> (?:for|before|by"
        r"|in time for|ahead of)",
        r"(?:show up|shows up|come up|comes up|be detected|get detected|be found|test positive)",
        also=r"<DRUGTEST>|drug testing|drug tested|probation|parole|po|probation officer|parole officer"
        r"|court ordered|employer|pre employment|test (?:clean|negative|positive)|(?:pass|fail|beat) (?:a |my "
        r"|the |this )?tests?",
    ),
    # ---------------------------------------------------------------------------------- advice
    _rule(
        "advice.should_i",
        "asks whether the asker or someone they name should do something",
        r"(?:should|shall|ought) (?:i|we|you|my \w+|he|she|me|someone like me|a person like me)(?! (?:know|read"
        r"|expect|ask|understand|look for|look out for|be aware|keep in mind|learn))",
        r"(?:do you think|would you say|you think) (?:i|my \w+|he|she|we) (?:should|ought|could|can|need)",
        r"is it (?:wise|smart|a good idea|a bad idea|worth it|better|advisable|recommended)(?: for (?:me|my \w+"
        r"|him|her|us))? (?:to|if i|that i)",
        r"is (?:it|ketamine|this|that|ket|kat|ketamine therapy) (?:really )?worth (?:it|trying|a try|a shot"
        r"|the risk|the money)",
    ),
    _rule(
        "advice.combine",
        "mixing or combining substances or medicines, or with the asker's treatment",
        r"(?:mix|mixing|mixed|combine|combining|take|taking|use|using|drink|drinking|drank|smoke|smoking"
        r"|have|having)<w3> (?:with|while on|while taking|while using|while|after|before|during|on top of"
        r"|alongside|together with|the same day as|and) (?:my|his|her|your)(?: \w+){0,2}? (?:<MEDS>|infusion"
        r"|infusions|session|sessions|treatments|appointment)",
        r"(?:can|could|should|may|do|is it ok to|is it okay to|is it safe to|if) (?:you |i |we |he |she )?(?:mix"
        r"|combine|take|use|drink|smoke)<w3> (?:with|and|while on|while taking|while using|on top of|after"
        r"|before)(?: \w+){0,2}? (?:alcohol|drinking|booze|beer|wine|weed|cannabis|marijuana|thc|cbd|benzos?"
        r"|xanax|valium|klonopin|ativan|opioids|opiates|suboxone|methadone|buprenorphine|naltrexone"
        r"|antidepressants?|ssris?|maois?|lithium|adderall|stimulants|coke|cocaine|mdma|molly|ketamine|ket"
        r"|esketamine|kratom|gabapentin|sleeping pills|meds|medication|medications|an infusion|infusion"
        r"|treatment|a session|seroquel|wellbutrin|zoloft|lexapro|prozac)",
        r"(?:mess|messes|interfere|interferes|interact|interacts|clash|clashes|react|reacts)(?: up)? with (?:my"
        r"|his|her) \w+",
        r"(?:safe|ok|okay|fine|dangerous|risky)(?: to (?:take|use|mix|have))? (?:with|while on|alongside) (?:my "
        r"|his |her )?(?:\w+ ){0,3}?(?:meds|medication|medications|pills|antidepressants?|ssris?|suboxone"
        r"|methadone|alcohol|benzos|opioids)",
        r"(?:ketamine|ket|k|esketamine|it) (?:be |is |get )?(?:taken|used|mixed|combined|given) (?:with|alongside"
        r"|while on|together with|after|before|and) (?:alcohol|drinking|booze|weed|cannabis|benzos?|xanax"
        r"|opioids|opiates|suboxone|methadone|antidepressants?|ssris?|maois?|lithium|adderall|stimulants|other drugs"
        r"|medications?|meds)",
        r"(?:mixing|combining) (?:ketamine|ket|k|esketamine) (?:and|with) (?:alcohol|drinking|booze|weed"
        r"|cannabis|benzos?|xanax|opioids|opiates|suboxone|methadone|antidepressants?|ssris?|maois?|lithium"
        r"|adderall|stimulants|coke|cocaine|mdma|other drugs|medications?|meds)",
    ),
    _rule(
        "advice.is_it_safe",
        "asks whether something is safe, ok or right for the asker",
        r"(?:am i|is (?:he|she|my \w+)|are (?:we|they|my \w+)) (?:ok|okay|safe|fine|alright|good|cleared|allowed) to (?:start|take|use|try|get"
        r"|do|have|go on|begin|continue|mix|drink|switch|stop)",
        r"(?:is|would|will|could|might) it(?: (?:be|still|really|even|actually|also)){0,2} (?:ok|okay|safe|fine"
        r"|alright|all right|dangerous|bad|risky|harmful|allowed|a problem|unsafe|normal)(?: for (?:me|my \w+"
        r"|him|her|someone|you|a person|people|someone like me|us))? to(?: \w+)? (?:take|use|mix|combine|drink"
        r"|smoke|have|do|start|be on|go on|stay on|drive|eat|continue|keep|stop|quit|switch|try|get|breastfeed"
        r"|go back|come off|get off|taper|double|skip|feel)",
        r"(?:is|are|would|will|could|might) (?:it|ketamine|this|that|ket|kat|ketamine therapy|ketamine treatment"
        r"|the treatment|infusions|esketamine|spravato|treatment|therapy)<w2> (?:be )?(?:safe|ok|okay|dangerous"
        r"|risky|right|appropriate|suitable|a good idea|a good option|a bad idea|an option|good|bad|fine"
        r"|harmful|the right choice|the answer|effective)<w2> (?:for|to) (?:me|myself|my|him|her|us"
        r"|someone like me|a person like me|people like me)",
        r"(?:safe|ok|okay|right|good|appropriate|suitable|dangerous|risky|a good fit|a fit|the right choice"
        r"|an option|a good option|indicated|enough|too much|too little) for (?:me|myself|someone like me"
        r"|people like me|a person like me|my <REL>|him|her)",
        r"(?:better|best|safer|safest|worse)<w3> for (?:me|myself|my \w+|him|her)",
        r"is it (?:bad|ok|okay|normal|dangerous|safe|a problem|fine) (?:that|if) (?:i|my|he|she)",
    ),
    _rule(
        "advice.suitability",
        "asks whether ketamine would work for, help, or suit the asker; candidacy",
        r"(?:am i|is my \w+|is he|is she|are we|would i be|could i be|would (?:he|she|my \w+) be|do i"
        r"|does (?:he|she|my \w+)) (?:a |an )?(?:good |suitable |right |ideal |possible |potential |appropriate "
        r"|likely |strong |bad |poor )?(?:candidate|fit|eligible|qualified|suitable|a match|right for|qualify"
        r"|meet the criteria)",
        r"(?:would|will|could|can|does|do|might|is) (?:ketamine|ket|kat|it|this|that|ketamine therapy"
        r"|ketamine treatment|ketamine infusions?|infusions|the treatment|treatment|therapy|esketamine|spravato"
        r"|this treatment|ketamine assisted therapy|ketamine assisted psychotherapy|kap)<w2> (?:help|work"
        r"|be effective|be helpful|benefit|cure|fix|heal|treat|stop|end|solve|get rid of|take away|reduce"
        r"|ease|do anything for|do something for)(?: (?:with|for|on))? (?:me|myself|my|him|her|us"
        r"|someone like me|people like me)",
        r"(?:ketamine|it|this|that|kat|ketamine therapy|treatment|therapy|infusions?|esketamine|spravato)"
        r"(?: \w+){0,2}? (?:work|works|worked|help|helps|helped) (?:for|on) (?:me|myself|my|him|her|us)",
        r"(?:ketamine|it|this|that|kat|ketamine therapy|treatment|therapy|infusions?|esketamine|spravato)"
        r"(?: \w+)? (?:could|would|will|can|might|may) (?:really |actually )?(?:help|work for|benefit|cure|fix"
        r"|heal) (?:me|my|him|her|us)",
        r"(?:make|cause|trigger|get) (?:me|him|her|my \w+) (?:to )?(?:relapse|use again|crave|addicted|hooked"
        r"|manic|psychotic|worse|sick|depressed|anxious|paranoid|high|hallucinate|dissociate)",
        r"(?:replace|substitute for|take the place of|instead of) (?:my|his|her) \w+",
        r"(?:make|help|get) (?:my|his|her)(?: \w+){1,2} (?:go away|stop|disappear|better|worse|easier|less)",
        r"(?:am i|is (?:he|she|my \w+)|are we) (?:too (?:old|young|sick|far gone)|old enough|young enough)",
    ),
    _rule(
        "advice.dose",
        "how much or what dose for the asker; changing or skipping their dose",
        r"how (?:much|many)<w4> (?:should|do|can|could|would|will|must|shall|may) (?:i|we|you|my \w+|he|she"
        r"|one)(?: \w+){0,2}? (?:take|use|get|start|need|try|dose|be taking|be on|begin|increase|go up"
        r"|microdose|ask for|request|be prescribed|get prescribed|receive)",
        r"how (?:much|many)<w3> (?:to|should one) (?:take|use|start with|begin with|dose|microdose)",
        r"how (?:much|many)<w3> (?:is|are) (?:too (?:much|many)|safe|ok|okay)",
        r"what (?:dose|dosage|amount|strength|doses|mg|milligrams|level)<w3> (?:should|do|can|could|would|will"
        r"|must|shall) (?:i|we|you|my \w+|he|she)",
        r"(?:my|the right|a safe|the correct|the best|the ideal|the proper|a good|an appropriate|the appropriate"
        r"|a starting|the starting|what|which)(?: \w+)? (?:dose|dosage|amount) (?:for|of \w+ for|would be right"
        r" for|is right for) (?:me|my|him|her|myself|someone (?:like me|my size|my weight|who weighs|weighing"
        r"|of my))",
        r"(?:dose|dosage|dosing|amount|how much|how many)<w4> (?:for|if) (?:me|myself|someone like me"
        r"|someone my|someone who weighs|a person my|i weigh|i am \d+)",
        r"(?:i|he|she) (?:am|is|weigh|weighs) \d+ ?(?:kg|kgs|kilos|lbs|lb|pounds|stone)",
        r"is \d+(?:point\d+)? ?(?:mg|milligrams?|mcg|micrograms?|ml|g|grams?)(?: (?:kg|per kg|a day|per day"
        r"|daily|a week|per week|per session|each time))? (?:too much|enough|safe|ok|okay|a lot|dangerous"
        r"|too little|too high|too low|high|low|normal|a good dose|a high dose|a low dose|reasonable)",
        r"(?:double|increase|decrease|lower|raise|reduce|up|change|adjust|split|halve) (?:my|his|her|our)"
        r"(?: \w+)? (?:dose|dosage|doses|meds|medication|prescription)",
        r"(?:skip|miss|missed|skipped|forgot) (?:a|one|my)(?: \w+)? (?:dose|session|infusion|treatment)",
    ),
    _rule(
        "advice.taper",
        "how to taper, wean, quit or come off something, for the asker",
        r"(?:taper|tapering|wean|weaning|come off|coming off|get off|getting off|go off|going off|kick|kicking"
        r"|detox|detoxing|withdraw|withdrawing)(?: (?:off|down|from|of|myself|himself|herself)){0,2} (?:my|his"
        r"|her|our|me|him)",
        r"(?:stop|stopping|quit|quitting|cut down|cutting down|cut back|cutting back|reduce|reducing|lower"
        r"|lowering|drop|dropping|discontinue|discontinuing)(?: (?:taking|using|on))? (?:my|his|her|our)"
        r"(?: \w+){0,2}? <MEDS>",
        r"(?<!about )(?<!say )(?<!says )(?<!on )how (?:do|should|can|could|would|will|to|fast|quickly|slowly"
        r"|soon)(?: (?:i|we|you|my \w+|he|she))?"
        r"(?: (?:safely|quickly|best|finally|ever|actually|really|just|even|possibly))? (?:taper|wean|come off"
        r"|get off|go off|quit|stop|detox|withdraw|cut down|cut back|kick)",
        r"(?:taper|tapering|weaning|detox) (?:schedule|plan|protocol|regimen)<w2> (?:for (?:me|my|him|her)"
        r"|should i|do i|would i)",
    ),
    _rule(
        "advice.can_i",
        "asks whether the asker or someone they name can take, start, stop or get something",
        r"(?<!how )(?<!where )(?:can|could|may|am|do|would|will) (?:i|we|my <REL>|my \w+|he|she"
        r"|someone like me)(?: (?:still|safely|actually|just|also|even|legally|ever))? (?:be allowed to "
        r"|be able to |allowed to |able to )?(?:get|find|access|afford|buy|order|purchase)<META>",
        r"(?:can|could|may|am|do|would|will) (?:i|we|my <REL>|my \w+|he|she|someone like me)(?: (?:still"
        r"|safely|actually|just|also|even|legally|ever))? (?:be allowed to |be able to |allowed to |able to )?"
        r"(?:take|start|stop|try|quit|use|have|do|mix|combine|drink|smoke|go on|come off|get off|switch"
        r"|continue|keep|receive|begin|restart|resume|skip|double|increase|decrease|lower|raise|drive"
        r"|breastfeed|be on|stay on|go back on|taper|wean|join|qualify|benefit|handle|tolerate|need|relapse"
        r"|become addicted|get addicted|get hooked|be ok|be okay|be safe|be fine|get high|overdose|od|work"
        r"|go to work|go back to work|exercise|travel|fly|sleep|eat|go to school|study)<META>",
    ),
    _rule(
        "advice.what_to_do",
        "asks what to do, for a recommendation, or for advice",
        r"what (?:should|do|can|could|would|shall|must|ought) (?:i|we)(?: \w+)? (?:do|try|take|use|say|tell)",
        r"what (?:would|do|should) you (?:do|suggest|recommend|advise|think i should)",
        r"what (?:are|is) (?:my|our|his|her) (?:options|next step|next steps|chances|best option|best bet)",
        r"(?:would|do|can|could) you (?:recommend|suggest|advise|prescribe)",
        r"(?:need|want|looking for|give me|get) (?:your |some |a |medical |professional )?(?:advice"
        r"|recommendation|guidance|second opinion)",
        r"(?:advise|counsel) me",
        r"tell me what to (?:do|take|try)",
        r"help me (?:decide|choose|figure out (?:what|whether|if))",
        r"(?:where|who) (?:should|do|can|could) (?:i|we) (?:go|turn|start|call|talk to|see|ask)",
        r"(?<!what )(?:do|should) i (?:need to )?(?:see|call|tell|ask|talk to) (?:a |my |the )?(?:doctor|psychiatrist"
        r"|therapist|gp|nurse|provider|sponsor)",
        r"what now(?= ?(?:$|[.?!,]))",
        r"what do you think(?= ?(?:$|[.?!,]| i should| about me))",
        r"how (?:can|do|should|could) (?:i|we) (?:make|get) (?:ketamine|ket|it|the treatment|treatment|therapy"
        r"|infusions?|my \w+)(?: \w+)? (?:work|last|more effective|effects? last)",
        r"what (?:would|will|happens|could) (?:happen )?if (?:i|we|my \w+|he|she) (?:stop|stopped|start|started"
        r"|quit|took|take|mix|mixed|drink|drank|skip|skipped|combine|combined|switch|switched|use|used|miss"
        r"|missed|double|doubled)",
        r"(?:talk|convince|persuade|get) (?:my|a|the) (?:doctor|psychiatrist|prescriber|gp|provider) (?:into|to) "
        r"(?:prescrib|giv|writ|let)\w*",
        r"i need help (?:quitting|stopping|getting off|coming off|with my|to quit|to stop)",
        r"am i (?:addicted|an addict|an alcoholic|dependent|hooked|a drug addict)",
        r"how (?:do|can|should|will) (?:i|we|my \w+|he|she) (?:stay|keep|remain) (?:sober|clean|abstinent|off)",
        r"how (?:do|can|would|will) i (?:know|tell) if (?:i am|i have|my \w+ is|he is|she is)",
        r"(?:where|how) (?:can|do|should|could) i (?:get|find) (?:help|support)",
    ),
    _rule(
        "advice.applies_to_me",
        "asks whether what was said applies to the asker ('what about me')",
        r"(?:what|how) about (?:for )?(?:me|myself|in my case|my case|my <REL>|him|her|us)",
        r"(?:and|same|also|even) (?:for )?(?:me|myself)(?= ?(?:$|[.?!,]))",
        r"does (?:that|this|it|any of (?:that|this))(?: \w+)? apply to (?:me|my|him|her|us|someone like me)",
        r"in my (?:case|situation|condition|position|shoes)",
        r"(?:someone|people|a person) like (?:me|myself|my <REL>)",
        r"for someone (?:in my|with my|my age|my weight|my size)",
    ),
    _rule(
        "advice.intent",
        "the asker states a plan to start, stop or try something (not an informational ask)",
        r"(?:i am|i have been|i was|we are|my <REL> is|he is|she is|i keep)(?: \w+)? (?:thinking|considering"
        r"|planning|going|about|deciding|debating|wondering whether|hoping|trying to decide|torn|weighing"
        r"|tempted|contemplating)(?: (?:of|about|on|to|whether|if|whether or not|to maybe|maybe|in)){0,2} "
        r"(?:take|taking|start|starting|try|trying|stop|stopping|quit|quitting|get|getting|do|doing|use|using"
        r"|switch|switching|begin|beginning|come off|coming off|go off|going off|go on|going on|taper|tapering)"
        r"<META>",
        r"(?:i am|i have been|i was|we are|my <REL> is|he is|she is|i keep)(?: \w+)? (?:thinking|considering"
        r"|deciding|debating|torn|weighing|tempted|contemplating)(?: (?:of|about|on|whether|if|between)){0,2}"
        r" (?:ketamine|ket|kat|esketamine|spravato|infusions?)",
        r"(?:i|we|my <REL>|he|she|id) (?:really )?(?:want|wants|would like|like|need|needs|plan|plans|intend"
        r"|intends|hope|hopes|decided|have decided|has decided) to (?:take|start|stop|try|quit|use|get off"
        r"|come off|go off|switch|begin|taper|wean|do ketamine|get ketamine)",
        r"(?:and|but|so|also|just) (?:want|need|plan|would like|hope) to (?:take|start|stop|try|quit|use|get off"
        r"|come off|go off|switch|begin|taper|wean)",
        r"(?:scared|afraid|nervous|worried|anxious) (?:to|about|of) (?:start|starting|try|trying|take|taking|stop"
        r"|stopping|quit|quitting|get|getting|come off|coming off|relapse|relapsing|getting addicted"
        r"|becoming addicted|getting hooked)",
        unless="<INFO>",
        veto_whole_text=True,
    ),
    _rule(
        "advice.personal_context",
        "the asker's own situation plus an evaluative question ('i have ptsd, would it help')",
        r"(?:would|will|could|can|does|do|might|may) (?:it|ketamine|this|that|ket|kat|ketamine therapy"
        r"|ketamine treatment|the treatment|infusions?|esketamine|spravato|treatment|therapy)<w2> (?:help"
        r"|work|interact|affect|interfere|mess|trigger|worsen|cause|make \w+ worse|fix|cure|stop|reduce"
        r"|be safe|be ok|be okay|be dangerous|be risky|be right|be appropriate|be good|be bad|be effective"
        r"|be an option|be a problem|be helpful|be worth)",
        r"is (?:it|ketamine|this|that|ket|kat|ketamine therapy|ketamine treatment|the treatment|treatment"
        r"|therapy|esketamine|spravato)(?: \w+)? (?:safe|ok|okay|dangerous|risky|right|appropriate|a good idea"
        r"|a good option|an option|bad|worth|suitable|likely|going to help|going to work|normal|a problem"
        r"|too much)",
        r"is (?:that|this|it) normal",
        r"(?:what|how) about (?:ketamine|ket|kat|esketamine|spravato|it|that|this|ketamine therapy|infusions?"
        r"|trying ketamine|trying it)(?= ?(?:$|[.?!,]|for (?:him|her|me|them|us)|instead|then))",
        r"(?:will|would|could|might|can) (?:i|he|she|we)(?: \w+)? (?:relapse|get addicted|become addicted"
        r"|get hooked|be ok|be okay|be safe|be fine|be allowed|qualify|benefit|react|respond)",
        r"what (?:are|is) (?:the )?(?:chances|odds|risk|risks)(?: \w+){0,2}? (?:for|of) (?:me|my|him|her)",
        also=r"i am(?! (?:curious|wondering|asking|reading|looking|researching|writing|studying|trying to"
        r" (?:understand|learn|find)))"
        r"|i have(?! (?:(?:a|one|another|some|a few|few|two|more|a quick|quick) )?(?:questions?|query|queries"
        r"|doubts?|read|heard|seen|been reading|been wondering))"
        r"|i was(?! (?:reading|wondering|curious|told|looking|researching|searching|browsing|asking))"
        r"|i just(?! (?:read|saw|heard|found|learned|came across|wanted to know|want to know|wondered))"
        r"|i need(?! to (?:know|understand|find|read|learn))"
        r"|i dont(?! (?:know|understand|get|see why))"
        r"|i had|i take|i use|i used|i drink|i drank|i smoke|i been|i got|i struggle"
        r"|i suffer|i relapsed|i keep|i feel|i felt|i also|i still|i currently|i recently|i tried|i started"
        r"|i stopped|i quit|i cant|i live|i work|i get|i went|i did|i suffered|i struggled"
        r"|i overdosed|i detoxed|i failed|i weigh|i will"
        r"|my <REL> (?:is|has|have|takes|uses|drinks|smokes|struggles|suffers|was diagnosed|got|keeps|relapsed"
        r"|wants|needs|started|stopped|tried)"
        r"|my (?:addiction|drinking|cravings|depression|anxiety|ptsd|pain|withdrawal|recovery|use|habit|condition"
        r"|diagnosis|doctor|psychiatrist|therapist|meds|medication|prescription|dose|blood pressure|heart|liver"
        r"|pregnancy|history|symptoms)",
        unless="<INFO>",
        veto_whole_text=True,
    ),
)

_KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}
_ANSWER = Route(kind="answer", rule=None, matched=None)

# --------------------------------------------------------------------------------------------------
# Follow-ups
# --------------------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")
_FOLLOWUP_OPENER = re.compile(
    r"^(?:and|but|so|or|also|plus|then|what about|how about|what if|same|ok|okay|even|really|only"
    r"|would it|will it|does it|is it|can it|could it|would that|does that|is that|will that|why not"
    r"|and what|and how|and if|for)\b"
)
_ANAPHORA = re.compile(r"\b(?:it|that|this|those|these|them|they|there|same|him|her|he|she|one|such|then)\b")
_SHORT_WORDS = 6  # a question this short is read as a follow-up
_OPENER_WORDS = 20  # an elliptical opener marks a follow-up up to this length
_ANAPHORA_WORDS = 12  # a question that refers back ("it", "that") is a follow-up up to this length
_HISTORY_CRISIS_DEPTH = 2  # a crisis this many questions back still holds for a follow-up


def is_follow_up(question: str) -> bool:
    """A short or elliptical question that leans on the one before ("and for alcohol?")."""
    return _is_followup(normalise(question))


def _is_followup(text: str) -> bool:
    words = len(_WORD.findall(text))
    if words <= _SHORT_WORDS:
        return True
    if words <= _OPENER_WORDS and _FOLLOWUP_OPENER.search(text):
        return True
    return words <= _ANAPHORA_WORDS and _ANAPHORA.search(text) is not None


# --------------------------------------------------------------------------------------------------
# Routing
# --------------------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.?!]")
_SENTENCE_REACH = 400  # characters either side of a match that can count as its sentence


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end], cut to _SENTENCE_REACH characters either side."""
    lo, hi = max(0, start - _SENTENCE_REACH), min(len(text), end + _SENTENCE_REACH)
    before = max((m.end() for m in _SENTENCE_END.finditer(text, lo, start)), default=lo)
    after = _SENTENCE_END.search(text, end, hi)
    return text[before: after.start() if after else hi].strip()


def _fires(rule: Rule, text: str) -> str | None:
    """The text this rule matched in `text`, or None if it does not fire."""
    if rule.also is not None and rule.also.search(text) is None:
        return None
    if rule.unless is not None and rule.veto_whole_text and rule.unless.search(text):
        return None
    for m in rule.pattern.finditer(text):
        if rule.unless is None or rule.veto_whole_text:
            return m.group(0)
        if rule.unless.search(_sentence(text, m.start(), m.end())) is None:
            return m.group(0)
    return None


def _route_normalised(text: str) -> Route:
    for rule in RULES:
        matched = _fires(rule, text)
        if matched is not None:
            return Route(kind=rule.kind, rule=rule.name, matched=matched)
    return _ANSWER


def _more_cautious(a: Route, b: Route) -> Route:
    return b if _KIND_RANK[b.kind] < _KIND_RANK[a.kind] else a


def route(question: str, history: Sequence[str] = ()) -> Route:
    """Route one visitor question, given their earlier questions (oldest first).

    The question is routed on its own.  When it is a short or elliptical follow-up, it is also routed
    joined to the latest history question, and a crisis in either of the last two history questions is
    kept; the most cautious of these routes is returned.  When history decided the route, `matched` is
    text from the history question.  Raises TypeError if the question or a history item is not a str.
    """
    if not isinstance(question, str):
        raise TypeError(f"question must be a str, not {type(question).__name__}")
    if history is None:
        history = ()
    elif isinstance(history, str):
        history = (history,)
    earlier = list(history)[-_HISTORY_CRISIS_DEPTH:]
    for item in earlier:
        if not isinstance(item, str):
            raise TypeError(f"history must hold str, not {type(item).__name__}")

    text = normalise(question)
    best = _route_normalised(text)
    if not earlier or best.kind == KINDS[0] or not _is_followup(text):
        return best

    previous = [normalise(item) for item in earlier]
    joined = previous[-1].rstrip(" .?!,") + " " + text
    best = _more_cautious(best, _route_normalised(joined.strip()))
    for item in reversed(previous):
        if best.kind == KINDS[0]:
            break
        from_history = _route_normalised(item)
        if from_history.kind == KINDS[0]:
            best = from_history
    return best
