"""The shared vocabulary of the rules, and `rule()`, which turns a rule's data into a compiled `Rule`.

A rule is written as alternatives of plain regular expressions over normalised text (see
`safety.normalise`).  Two shorthands keep them short: ``<NAME>`` stands for a word group of `VOCAB`
below (``<KET>``: ketamine and its names; ``<REL>``: a son, a wife, a friend...), and ``<wN>`` for "up to
N further words" (each preceded by one space, never crossing punctuation).
"""
from __future__ import annotations

import re

from safety.types import Rule

__all__ = ["GENERIC_ONLY", "PAST", "PAST_SELF", "VOCAB", "pattern", "rule"]

VOCAB = {
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
VOCAB["META"] = (
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
        text = _NAME.sub(lambda m: VOCAB[m.group(1)], text)
    return _GAP.sub(lambda m: r"(?: \w+){0,%s}" % m.group(1), text)


def pattern(*alternatives: str) -> re.Pattern[str]:
    """Alternatives in the rules' notation (``<NAME>``, ``<wN>``), compiled to match whole words."""
    return re.compile(r"(?<!\w)(?:" + "|".join(_expand(a) for a in alternatives) + r")(?!\w)")


def rule(name: str, description: str, *alternatives: str, also: str | None = None, unless: str | None = None,
          veto_whole_text: bool = False) -> Rule:
    kind = name.split(".", 1)[0]
    return Rule(
        name=name,
        kind=kind,
        description=description,
        pattern=pattern(*alternatives),
        also=pattern(also) if also else None,
        unless=pattern(unless) if unless else None,
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
GENERIC_ONLY = "^" + _NO_FIRST_PERSON + r".*\b" + _GENERIC_SUBJECT

# Past overdoses are history, not an emergency happening now.
PAST = (
    r"last (?:year|month|week|summer|winter|spring|fall|autumn|time)|years? ago|months? ago|weeks? ago|"
    r"in (?:19|20)\d\d|used to|back (?:then|when)|died|passed away|funeral|anniversary|"
    r"if (?:someone|somebody|a person|you|people|they)"
)

# The asker's own past ("i used to be suicidal years ago"): history, not a crisis now.  The learned layer
# still sees the message, and the signal words still show the crisis lines.
PAST_SELF = (
    r"used to|years? ago|(?:a few |many |some )?months? ago|back (?:then|when)|in the past|history of|no longer"
    r"|when i was (?:younger|little|a teen|a teenager|a kid|a child|in (?:high )?school|in college)|in (?:19|20)\d\d"
)
