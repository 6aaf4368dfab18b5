"""The records and vocabularies of routing, defined once: kinds, `Route` and `Rule`."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

ROUTE_KINDS = ("crisis", "refused", "advice", "answer")  # what routing decides, most cautious first
KINDS = (*ROUTE_KINDS, "no_answer")  # every kind of response; retrieval decides no_answer after "answer"
RANK = {kind: rank for rank, kind in enumerate(ROUTE_KINDS)}  # lower is more cautious


@dataclass(frozen=True)
class Route:
    """Where a message goes, and why.

    ``rule`` names what decided a non-answer kind ("crisis.self_harm_intent", "crisis.learned"), or an
    answer that a crisis rule matched but that tells of a crisis that is over ("answer.past_or_second_hand");
    ``matched`` is the normalised text it matched, for audits; ``signal`` is true when the message carries
    any sign of suicide, self-harm or overdose risk (past or second-hand included), so that the response
    shows the crisis lines whatever its kind; ``lang`` is the detected language ("en" unless another is clear);
    ``spanish_option``: with a signal, whether to offer 988's Spanish option (on a weaker sign of Spanish).
    """

    kind: str
    rule: str | None = None
    matched: str | None = None
    signal: bool = False
    lang: str = "en"
    spanish_option: bool = False


@dataclass(frozen=True)
class Rule:
    """One named rule: a compiled `pattern`, an optional context (`also`) that must occur somewhere in the
    text, and a veto (`unless`) looked for in the sentence holding the match, or anywhere with
    `veto_whole_text`.  ``kind`` is the part of ``name`` before the dot."""

    name: str
    kind: str
    description: str
    pattern: re.Pattern[str]
    also: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    veto_whole_text: bool = False


def more_cautious(a: Route, b: Route) -> Route:
    """The more cautious of two routes (``a`` on a tie); a crisis signal in either is kept."""
    best = b if RANK[b.kind] < RANK[a.kind] else a
    signal = a.signal or b.signal
    return best if best.signal == signal else replace(best, signal=signal)
