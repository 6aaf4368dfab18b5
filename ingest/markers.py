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


# ---------------------------------------------------------------- author-year citations
#
# "(Smith et al., 2020; Lee and Wu, 2019a)", "(Smith 2020, 2021)", "Smith and Lee (2020)",
# "Smith et al. (2020a, b)".  Each item names a first author's surname and a year; it resolves to
# the entry whose first author and year agree (a letter suffix picks among several).

_LETTER = r"[^\W\d_]"
_SURNAME = rf"(?:(?:van|von|de|der|den|del|della|da|di|du|la|le|dos|das|ten|ter|St\.)\s)*(?:[A-Z]|[ÀÁÂÄÅÇÉÈÊËÍÎÑÓÔÖØÚÜŠŽ])(?:{_LETTER}|['’\-])*{_LETTER}"
_YEAR = r"(?:19|20)\d{2}[a-z]?"
_YEARS = rf"{_YEAR}(?:,\s?(?:{_YEAR}|[a-z]\b))*"
_AUTHORS = rf"(?P<first>{_SURNAME})(?:\s(?:et\s+al\.?|and\s(?P<second>{_SURNAME})|&\s(?P<second2>{_SURNAME})))?"
AY_ITEM = re.compile(rf"{_AUTHORS},?\s(?P<years>{_YEARS})(?![\d])")
AY_GROUP = re.compile(r"\((?P<body>[^()]{6,400})\)")
AY_NARRATIVE = re.compile(rf"{_AUTHORS}\s\((?P<years>{_YEARS})\)")
# "as in Smith et al., 2010 which": an et-al citation with no parentheses at all
AY_BARE = re.compile(rf"(?P<first>{_SURNAME})\set\sal\.,?\s(?P<years>{_YEARS})(?![\d])(?P<second>)(?P<second2>)")


@dataclass(frozen=True)
class Cite:
    """One author-year item: first author's surname, year (with its letter, if any), second author if named."""

    surname: str
    year: str
    second: str | None = None

    @property
    def key(self) -> str:
        return f"{fold_name(self.surname)} {self.year}"


def fold_name(name: str) -> str:
    import unicodedata

    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    return re.sub(r"[^a-z]", "", plain.lower())


def _cites(m: re.Match) -> list[Cite]:
    second = m["second"] or m["second2"]
    out: list[Cite] = []
    last_year = None
    for y in re.split(r",\s?", m["years"]):
        if re.fullmatch(r"[a-z]", y) and last_year:
            y = last_year[:4] + y  # "2020a, b"
        out.append(Cite(m["first"], y, second))
        last_year = y
    return out


@dataclass(frozen=True)
class FoundCites:
    start: int
    end: int
    cites: list[Cite]


def find_author_year(text: str, start: int, end: int) -> list[FoundCites]:
    """Author-year citation groups in ``text[start:end]``: parenthesised groups and narrative ones."""
    region = text[start:end]
    found: list[FoundCites] = []
    taken: list[tuple[int, int]] = []
    for g in AY_GROUP.finditer(region):
        items = [c for m in AY_ITEM.finditer(g["body"]) for c in _cites(m)]
        if items:
            found.append(FoundCites(start + g.start(), start + g.end(), items))
            taken.append((g.start(), g.end()))
    for pattern in (AY_NARRATIVE, AY_BARE):
        for m in pattern.finditer(region):
            if any(s <= m.start() < e or s < m.end() <= e for s, e in taken):
                continue
            found.append(FoundCites(start + m.start(), start + m.end(), _cites(m)))
            taken.append((m.start(), m.end()))
    found.sort(key=lambda f: f.start)
    return found


ENTRY_YEAR = re.compile(r"(?<![\d/.\-])((?:19|20)\d{2})([a-z]?)(?![\d])")
ENTRY_HEAD = re.compile(rf"^\s*(?:\[?\d{{1,3}}[.\]]?\s+)?(?P<name>{_SURNAME}(?:\s{_SURNAME})*)")


def entry_key(entry: str) -> tuple[str, str] | None:
    """(folded first-author surname, year with its printed letter) of a reference entry, if both are found."""
    m = ENTRY_HEAD.match(entry)
    if not m:
        return None
    name = m["name"]
    parts = name.split()
    # "Smith J" or "Smith JA": drop trailing initials; keep particles and compound names
    while len(parts) > 1 and re.fullmatch(r"[A-Z]{1,3}", parts[-1]):
        parts.pop()
    surname = " ".join(parts)
    rest = entry[m.end() :]
    y = ENTRY_YEAR.search(rest)
    if not y:
        return None
    return fold_name(surname), y.group(1) + y.group(2)


def resolve_cites(cites: list[Cite], entries: list[tuple[str, str, str, str]]) -> list[str]:
    """Reference ids for ``cites``; ``entries`` are (ref_id, folded surname, year with letter, entry text) in list order."""
    out: list[str] = []
    for c in cites:
        surname = fold_name(c.surname)
        year, letter = c.year[:4], c.year[4:]
        same = [e for e in entries if _surname_match(e[1], surname) and e[2][:4] == year]
        if letter:
            printed = [e for e in same if e[2][4:] == letter]
            if printed:
                same = printed
            elif len(same) > 1 and ord(letter) - ord("a") < len(same):
                same = [same[ord(letter) - ord("a")]]
        if len(same) > 1 and c.second:
            second = [e for e in same if fold_name(c.second) in fold_name(e[3][:200])]
            same = second or same
        if same and same[0][0] not in out:
            out.append(same[0][0])
    return out


def _surname_match(entry_surname: str, cited: str) -> bool:
    return entry_surname == cited or entry_surname.endswith(cited) or cited.endswith(entry_surname) and len(entry_surname) >= 4
