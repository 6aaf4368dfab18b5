"""The engine: applies the rules (`safety.rules`) and the learned second opinion (`safety.learned`).

Routing a message, most cautious result wins at every step:

1. The message is normalised (`safety.normalise`) and its language detected (`safety.language`).
2. Every rule is tried on the whole message and on each of its sentences on its own, so a crisis
   sentence next to a question ("I've saved my pills for tonight. Anyway, does ketamine help?") is
   not hidden by the question, and a veto in one sentence does not clear another.
3. Follow-ups: a short or elliptical message is also routed joined to the latest earlier message, and a
   crisis in either of the last two earlier messages stays a crisis.
4. Unless the rules already say crisis, the learned layer reads the vectors of the message and of each
   of its sentences; it may raise the route (never lower it), and it may see a crisis signal.
5. The signal: any crisis, a signal word (suicide, self-harm, overdose; `safety.rules.signal`), a
   recent crisis in the history, or the learned signal.  It makes the response show the crisis lines
   whatever its kind.

Rules and the follow-up logic are deterministic and need no model; step 4 needs the vectors, which the
caller computes (the service embeds them with the retrieval query, in one batch).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Sequence

import numpy as np

from safety.language import detect, leans_spanish
from safety.learned import Classifier
from safety.normalise import normalise, sentences, split_message
from safety.rules import RULES
from safety.rules import retrospective as retro
from safety.rules.signal import SIGNAL
from safety.types import RANK, ROUTE_KINDS, Route, Rule, more_cautious

_ANSWER = Route(kind="answer")

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
SHORT_WORDS = 6  # a message this short is read as a follow-up
OPENER_WORDS = 20  # an elliptical opener marks a follow-up up to this length
ANAPHORA_WORDS = 12  # a message that refers back ("it", "that") is a follow-up up to this length
HISTORY_CRISIS_DEPTH = 2  # a crisis this many messages back still holds for a follow-up


def is_follow_up(message: str) -> bool:
    """A short or elliptical message that leans on the one before ("and for alcohol?")."""
    return _is_followup(normalise(message))


def _is_followup(text: str) -> bool:
    words = len(_WORD.findall(text))
    if words <= SHORT_WORDS:
        return True
    if words <= OPENER_WORDS and _FOLLOWUP_OPENER.search(text):
        return True
    return words <= ANAPHORA_WORDS and _ANAPHORA.search(text) is not None


# --------------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.?!]")
_SENTENCE_REACH = 400  # characters either side of a match that can count as its sentence


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end], cut to _SENTENCE_REACH characters either side."""
    lo, hi = max(0, start - _SENTENCE_REACH), min(len(text), end + _SENTENCE_REACH)
    before = max((m.end() for m in _SENTENCE_END.finditer(text, lo, start)), default=lo)
    after = _SENTENCE_END.search(text, end, hi)
    return text[before: after.start() if after else hi].strip()


def fires(rule: Rule, text: str) -> str | None:
    """The text this rule matched in normalised ``text``, or None if it does not fire."""
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


def _first_rule(text: str, below: str | None = None) -> Route:
    """The first rule that fires (rules are ordered most cautious kind first); with ``below``, the first of a
    kind less cautious than that."""
    for rule in RULES:
        if below is not None and RANK[rule.kind] <= RANK[below]:
            continue
        matched = fires(rule, text)
        if matched is not None:
            return Route(kind=rule.kind, rule=rule.name, matched=matched)
    return _ANSWER


def _rules(text: str) -> Route:
    """The most cautious rule route over the whole normalised text and each of its sentences.

    A crisis that every crisis sentence tells as over (`safety.rules.retrospective`: "I attempted suicide
    when I was 19"), in a message that only asks for information, is lowered to an answer, with the crisis
    signal kept on."""
    whole = _first_rule(text)
    parts = sentences(text)
    routes = [_first_rule(part) for part in parts] if len(parts) > 1 else [whole]
    best = whole
    for r in routes:
        best = more_cautious(best, r)
    if best.kind != ROUTE_KINDS[0] or not retro.asks_for_information(text):
        return best
    if len(parts) <= 1:
        parts = [text]
    crises = [(p, r) for p, r in zip(parts, routes) if r.kind == ROUTE_KINDS[0]]
    if not crises or (whole.kind == ROUTE_KINDS[0] and whole.rule not in {r.rule for _, r in crises}):
        return best  # the whole text's crisis lies across sentences: not lowered
    after = {i: parts[i + 1] if i + 1 < len(parts) else "" for i in range(len(parts))}
    if not all(_over(p, after[i], r) for i, (p, r) in enumerate(zip(parts, routes)) if r.kind == ROUTE_KINDS[0]):
        return best
    if any(_first_rule(p, below=ROUTE_KINDS[0]).kind != _ANSWER.kind for p in {text, *parts}):
        return best  # a past crisis next to a question of what to do stays a crisis, as it always has
    return replace(_ANSWER, rule=retro.NAME, matched=crises[0][1].matched, signal=True)


def _over(sentence: str, after: str, route: Route) -> bool:
    """Whether the rules' crisis ``route`` for a normalised sentence may be lowered: its rule may speak of
    the past, and the sentence (or the one ``after`` it) tells of a crisis that is over."""
    return route.rule in retro.LOWERABLE and retro.retrospective(sentence, after, route.rule)


def _retrospective_parts(message: str) -> set[int]:
    """Which of `split_message(message)` the rules read as a crisis that is over."""
    texts = [normalise(part) for part in split_message(message)]
    out = set()
    for i, text in enumerate(texts):
        r = _first_rule(text)
        if r.kind == ROUTE_KINDS[0] and _over(text, texts[i + 1] if i + 1 < len(texts) else "", r):
            out.add(i)
    return out


def _with_help_language(route: Route, message: str) -> Route:
    """With a crisis signal, 988's Spanish option is offered on a weaker sign of Spanish than the language
    line needs (`leans_spanish`): to anyone who may need it."""
    wanted = route.signal and (route.lang == "es" or leans_spanish(message))
    return route if wanted == route.spanish_option else replace(route, spanish_option=wanted)


def route_rules(message: str, history: Sequence[str] = ()) -> Route:
    """What the rules alone say (steps 1-3 and the signal words; no model).  Raises TypeError if the
    message or a history item is not a str."""
    if not isinstance(message, str):
        raise TypeError(f"question must be a str, not {type(message).__name__}")
    if history is None:
        history = ()
    elif isinstance(history, str):
        history = (history,)
    earlier = list(history)[-HISTORY_CRISIS_DEPTH:]
    for item in earlier:
        if not isinstance(item, str):
            raise TypeError(f"history must hold str, not {type(item).__name__}")

    text = normalise(message)
    best = _rules(text)
    signal = SIGNAL.search(text) is not None
    if earlier and best.kind != ROUTE_KINDS[0] and _is_followup(text):
        previous = [normalise(item) for item in earlier]
        joined = previous[-1].rstrip(" .?!,") + " " + text
        best = more_cautious(best, _rules(joined.strip()))
        for item in reversed(previous):
            if best.kind == ROUTE_KINDS[0]:
                break
            from_history = _rules(item)
            if from_history.kind == ROUTE_KINDS[0]:
                best = from_history
    signal = signal or best.kind == "crisis"
    return _with_help_language(replace(best, signal=signal, lang=detect(message)), message)


# --------------------------------------------------------------------------------------------------
# The router: rules, then the learned layer
# --------------------------------------------------------------------------------------------------


_ALPHA_WORD = re.compile(r"[^\W\d_]{2,}")
MIN_WORDS_TO_JUDGE = 2  # a text with fewer words (a DOI, "Krupitsky") is left to the rules


def _judgeable(text: str) -> bool:
    """Whether the learned layer has enough words to judge: at least MIN_WORDS_TO_JUDGE of two letters or more."""
    return len(_ALPHA_WORD.findall(text)) >= MIN_WORDS_TO_JUDGE


@dataclass(frozen=True)
class Screen:
    """A message after the rules: their route, and the texts the learned layer needs embedded (none when
    the rules' route is final: a crisis, or a router without a classifier)."""

    route: Route
    texts: tuple[str, ...]


def judged_texts(message: str, decided: Route) -> tuple[str, ...]:
    """What the learned layer judges of a message the rules did not call a crisis (``decided``: their
    route): the message, and each of its sentences when it has several, but for a sentence the rules read
    as a crisis that is over when they lowered the route for it (the whole message, which holds it, is
    still judged)."""
    judgeable = [(i, p) for i, p in enumerate(split_message(message)) if _judgeable(p)]
    if len(judgeable) <= 1:
        return (message,)
    skip = _retrospective_parts(message) if decided.rule == retro.NAME else set()
    return (message, *(p for i, p in judgeable if i not in skip))


class Router:
    """Routes visitors' messages.  ``classifier``: the learned second opinion (None: rules only)."""

    def __init__(self, classifier: Classifier | None = None):
        self.classifier = classifier

    def screen(self, message: str, history: Sequence[str] = ()) -> Screen:
        decided = route_rules(message, history)
        if decided.kind == ROUTE_KINDS[0] or self.classifier is None or not _judgeable(message):
            return Screen(route=decided, texts=())
        return Screen(route=decided, texts=judged_texts(message, decided))

    def decide(self, screen: Screen, vectors: np.ndarray | None) -> Route:
        """The final route, given the vectors of ``screen.texts`` (in that order)."""
        decided = screen.route
        if not screen.texts:
            return decided
        if vectors is None or len(vectors) != len(screen.texts):
            raise ValueError(f"decide() needs the {len(screen.texts)} vectors of screen.texts")
        opinion = self.classifier.opinion(list(screen.texts), np.asarray(vectors))
        out = decided
        if opinion.kind is not None and RANK[opinion.kind] < RANK[decided.kind]:
            out = replace(decided, kind=opinion.kind, rule=f"{opinion.kind}.learned", matched=None)
        signal = out.signal or opinion.signal or out.kind == "crisis"
        return out if signal == out.signal else _with_help_language(replace(out, signal=signal), screen.texts[0])

    def route(self, message: str, history: Sequence[str] = (), embed: Callable[[list[str]], np.ndarray] | None = None) -> Route:
        """Screen and decide in one call; ``embed`` maps texts to vectors (without it: rules only)."""
        screen = self.screen(message, history)
        if not screen.texts or embed is None:
            return screen.route
        return self.decide(screen, embed(list(screen.texts)))
