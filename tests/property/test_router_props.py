"""Properties of the safety router on any Unicode input (lone surrogates included: JSON can carry them).

What the safety rules (`safety.route` without a model) guarantee, and what is checked here:

- `route` never raises on a str question and str history, returns a `Route` whose kind is one of
  `KINDS`, names the rule that fired (of that kind) and the normalised text it matched;
- it is deterministic, and only the last two history questions matter;
- history can only make a route more cautious, never less;
- crisis rules have no whole-text veto and no context requirement, and a first-person crisis sentence
  cannot be vetoed by its own sentence, so such a sentence anywhere in a question -- before or after any
  other text -- routes it to crisis, and keeps doing so through accents, invisible characters, case,
  full-width letters and as a recent history question behind a follow-up;
- normalisation drops invisible (format) characters and combining marks.
"""
from __future__ import annotations

import re
import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from safety import is_follow_up, route
from safety.normalise import normalise
from safety.rules import RULES
from safety.types import ROUTE_KINDS as KINDS, Route
from tests.property.strategies import (
    ANY_CHAR_WITH_SURROGATES,
    corpus_slice,
    nasty_text,
    props,
    unicode_text,
    unicode_with_surrogates,
)

RULE_KIND = {r.name: r.kind for r in RULES}
RANK = {k: i for i, k in enumerate(KINDS)}

# First-person crisis sentences.  Each matches a crisis rule whose only veto is "no first person in the
# sentence" (or that has no veto at all), so no text around them can veto them.
CRISIS = [
    "I want to end my life tonight",
    "I want to kill myself",
    "i'm going to kill myself",
    "I am going to end my life",
    "I have been cutting myself again",
    "I keep thinking about killing myself",
]

# Words the rules care about, so random questions hit rules, vetoes and follow-up openers often.
VOCAB = sorted({w for r in RULES for w in (r.description.replace(",", " ").replace(":", " ").split())}
               | {"i", "my", "me", "ketamine", "ket", "k", "dose", "how", "much", "where", "buy", "and", "it",
                  "what", "about", "should", "take", "people", "who", "studies", "according", "to", "the",
                  "articles", "last", "year", "overdosed", "not", "breathing", "suicide", "die", "want", "pills",
                  "don't", "od'd", "o.d.", "im", "u", "kms", "?", ".", "!", ",", ";", "\u200b", "’"})
word_soup = st.lists(st.sampled_from(VOCAB), max_size=25).map(" ".join)
question = st.one_of(unicode_with_surrogates, unicode_text, nasty_text, word_soup, corpus_slice(300),
                     st.text(ANY_CHAR_WITH_SURROGATES, min_size=500, max_size=1000))
history = st.lists(st.one_of(question, st.sampled_from(CRISIS)), max_size=5)
# Never "": text glued onto a word makes another word ("myself0" is not "myself").
separator = st.sampled_from([" ", ". ", "? ", "! ", ", ", "; ", "\n", "\n\n", " - ", "...", "\u200b ", "\t", "\r\n", "\xa0"])
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\xad", "\u200e", "\u200f", "\u202a", "\u202e",
             "\u2066", "\u2069", "\U000E0001", "\u0301", "\u0308", "\u20dd"]


def _candidates(q: str, hist: list[str]) -> list[str]:
    """The normalised texts the router looks at: the question, the question joined to the latest history
    question, and the last two history questions."""
    text = normalise(q)
    prev = [normalise(h) for h in hist[-2:]]
    out = [text, *prev]
    if prev:
        out.append((prev[-1].rstrip(" .?!,") + " " + text).strip())
    return out


@props(120)
@given(q=question, hist=history)
@example(q="\ud800 lone surrogate", hist=["\udfff"])
@example(q="", hist=[])
@example(q="\x00" * 10, hist=["\u202e" * 3])
def test_route_never_raises_and_explains_itself(q, hist):
    r = route(q, hist)
    assert isinstance(r, Route)
    assert r.kind in KINDS
    if r.kind == "answer":
        assert r.rule is None and r.matched is None
    else:
        assert RULE_KIND[r.rule] == r.kind
        assert r.matched is not None
        assert any(r.matched in c for c in _candidates(q, hist)), "the matched text is not from the question or history"
    # Deterministic; a tuple history is the same as a list; only the last two questions count.
    assert route(q, hist) == r
    assert route(q, tuple(hist)) == r
    assert route(q, ["what is ketamine?"] * 3 + hist[-2:]) == r
    # History can only make the route more cautious.
    alone = route(q)
    assert RANK[r.kind] <= RANK[alone.kind]
    if not hist:
        assert r == alone


@props(120)
@given(other=question, crisis=st.sampled_from(CRISIS), sep=separator, crisis_first=st.booleans())
@example(other="According to the studies, people who say", crisis=CRISIS[0], sep=" ", crisis_first=False)
@example(other="last year", crisis=CRISIS[1], sep=" ", crisis_first=False)
@example(other="I don't think", crisis=CRISIS[0], sep=" ", crisis_first=False)
@example(other="if someone asks, say", crisis=CRISIS[4], sep=", ", crisis_first=False)
def test_a_crisis_sentence_anywhere_routes_to_crisis(other, crisis, sep, crisis_first):
    q = crisis + sep + other if crisis_first else other + sep + crisis
    r = route(q)
    assert r.kind == "crisis", f"{q!r} routed to {r}"
    assert route(q, [other]).kind == "crisis"


@props(80)
@given(
    crisis=st.sampled_from(CRISIS),
    data=st.data(),
)
def test_crisis_survives_obfuscation(crisis, data):
    """Accents, invisible characters, random case and full-width letters do not hide a crisis."""
    chars = []
    for ch in crisis:
        if ch.isascii() and ch.isalpha():
            style = data.draw(st.integers(0, 3), label="style")
            if style == 1:
                ch = ch.swapcase()
            elif style == 2:
                ch = chr(ord(ch) + 0xFEE0)  # full-width form
            elif style == 3:
                ch = ch + data.draw(st.sampled_from(["\u0301", "\u0308", "\u0327", "\u030c"]), label="accent")
        chars.append(ch)
        if data.draw(st.booleans(), label="insert"):
            chars.append(data.draw(st.sampled_from(INVISIBLE), label="invisible"))
    q = "".join(chars)
    assert route(q).kind == "crisis", repr(q)


@props(100)
@given(q=question, hist_before=st.lists(question, max_size=2), crisis=st.sampled_from(CRISIS), last=st.booleans())
def test_a_recent_crisis_in_history_keeps_a_follow_up_in_crisis(q, hist_before, crisis, last):
    hist = [*hist_before, crisis] if last else [*hist_before, crisis, "what is ketamine?"]
    r = route(q, hist)
    if is_follow_up(q):
        assert r.kind == "crisis", f"follow-up {q!r} after {hist!r} routed to {r}"
    # A crisis question stays a crisis whatever came before.
    assert route(crisis, [q, *hist_before]).kind == "crisis"


@props(120)
@given(
    q=st.one_of(unicode_with_surrogates, nasty_text, word_soup, corpus_slice(200)),
    inserts=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(INVISIBLE)), max_size=5),
)
@example(q="sui\u200bcidal", inserts=[(0.5, "\u200d")])
@example(q="I don\u2019t want to live, o.d\u2019d 1,000 mg 0.5", inserts=[])
def test_normalise_is_canonical_and_blind_to_invisible_characters(q, inserts):
    n = normalise(q)
    assert isinstance(n, str)
    assert n == n.strip() and "  " not in n and not any(c.isspace() and c != " " for c in n)
    assert not any(unicodedata.category(c) in ("Mn", "Me", "Cf") for c in n)
    # A canonical form: normalising again changes nothing, so routing the normalised text is the same.
    assert normalise(n) == n
    assert route(n) == route(q)
    # Invisible characters and combining marks inserted anywhere change nothing.
    q2 = q
    for frac, ch in inserts:
        i = int(frac * len(q2))
        q2 = q2[:i] + ch + q2[i:]
    assert normalise(q2) == n
    assert route(q2) == route(q)
    assert is_follow_up(q2) == is_follow_up(q)


@props(120)
@given(q=question)
def test_is_follow_up_is_a_bool_and_short_questions_are_follow_ups(q):
    f = is_follow_up(q)
    assert isinstance(f, bool)
    if len(re.findall(r"\w+", normalise(q))) <= 6:
        assert f
    assert is_follow_up(q) == f
