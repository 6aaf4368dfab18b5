"""Find in-text citation markers and resolve them to reference entries.

Two forms occur:

- bracketed: ``[7]``, ``[14,15]``, ``[3-5]``; neighbours joined by ``, `` form
  one group (``[7], [8]``);
- flattened superscripts, digits glued to the word or punctuation before them:
  ``drinking.12``, ``Dissociation2``, ``disorders,7``, ``(TRD).6``,
  ``promising6, 9, 17, 18``.

Flattened superscripts are ambiguous, so they are accepted only when the
article has a numbered reference list and every number names an entry; and
never when the digits are a quantity (``46%``, ``1 mg/kg``, ``2 weeks``), a
decimal (``20.7``), part of a word (``2nd``, ``H2O``) or a name like ``B12``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_NUMS = r"\d{1,3}(?:\s*[,–-]\s*\d{1,3})*"
BRACKET_GROUP = re.compile(rf"\[{_NUMS}\](?:,\s*\[{_NUMS}\])*")
BRACKET_ONE = re.compile(rf"\[({_NUMS})\]")
UNIT_AFTER = r"(?:\s?(?:%|percent|mg|kg|g|ml|mL|mcg|µg|mmHg|hours?|hrs?|weeks?|days?|months?|years?|minutes?|times|x)\b)"
SUPERSCRIPT = re.compile(
    # the word (matched from its first letter: retrying mid-word is quadratic) or closing mark it is glued to.
    # At most 64 characters: in a run like a'a'a'... every letter follows a non-letter, so each is a
    # start, and an unbounded word would rescan the rest of the run from each (quadratic time).
    r"(?P<word>(?<![A-Za-z])[A-Za-z](?:[A-Za-z'’\-]{0,62}[A-Za-z])?|[)\]”’\"])"
    r"(?P<punct>[.,;:]?[”’\"]?)"  # optional sentence punctuation between
    r"(?P<nums>\d{1,3}(?:,\s?\d{1,3})*)"
    rf"(?![\d%]|[.,]\d|[A-Za-z]|{UNIT_AFTER})"
)


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    numbers: list[int]


def _expand(spec: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"\s*,\s*", spec.strip()):
        if not part:
            continue
        bounds = re.split(r"\s*[–-]\s*", part)
        if len(bounds) == 2 and bounds[0] and bounds[1] and int(bounds[0]) < int(bounds[1]) <= int(bounds[0]) + 50:
            out.extend(range(int(bounds[0]), int(bounds[1]) + 1))
        else:
            out.extend(int(b) for b in bounds if b)
    return out


def _word_ok(word: str) -> bool:
    """Reject names that end in digits by nature: ``B12``, ``MP3``, ``CD4``."""
    if word in ")]”’\"":
        return True
    letters = word.strip("'’-")
    return len(letters) >= 3 or (len(letters) == 2 and letters.islower())


def find_markers(text: str, start: int, end: int, valid: set[int]) -> list[Found]:
    """Citation groups in ``text[start:end]``; ``valid`` holds the reference list's numbers."""
    region = text[start:end]
    found: list[Found] = []
    taken = [False] * len(region)
    for m in BRACKET_GROUP.finditer(region):
        nums = [n for spec in BRACKET_ONE.findall(m.group()) for n in _expand(spec)]
        found.append(Found(start + m.start(), start + m.end(), nums))
        for i in range(m.start(), m.end()):
            taken[i] = True
    if valid:
        for m in SUPERSCRIPT.finditer(region):
            s = m.start("nums")
            if taken[s] or not _word_ok(m["word"]):
                continue
            # Take numbers while each names an entry and the list ascends.
            numbers: list[int] = []
            consumed = 0
            for nm in re.finditer(r"(?:,\s?)?(\d{1,3})", m["nums"]):
                n = int(nm.group(1))
                if n not in valid or (numbers and n <= numbers[-1]):
                    break
                numbers.append(n)
                consumed = nm.end()
            if numbers:
                found.append(Found(start + s, start + s + consumed, numbers))
    found.sort(key=lambda f: f.start)
    return found
