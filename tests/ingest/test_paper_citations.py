"""Citation markers in real papers, scored against the hand-checked table (`expected_paper_citations.py`).

The table was written by a helper who read the papers, not the code.  A row is right when a marker
covers the literal (found after its ``before`` text, as a reader reads it) and resolves to exactly
the entries it names: by number in a numbered list, else by first author and year.  Non-markers must
not be taken for markers.  Issue 14 asks for at least 98% right.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from ingest.load import read_document
from ingest.markers import fold_name
from ingest.pipeline import build_article
from ingest.records import Article, ArticleMeta
from tests.ingest.expected_paper_citations import MARKERS, NON_MARKERS, PAPERS

SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "open-access-papers"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "papers"
TARGET = 0.98


def _source(key: str) -> Path | None:
    for root in (FIXTURES, SHARED):
        if (root / key).exists():
            return root / key
    return None


@lru_cache(maxsize=None)
def article(key: str) -> Article:
    path = _source(key)
    doc = read_document(path, path.parent)
    return build_article(ArticleMeta(id=re.sub(r"[^a-z0-9]+", "-", key.lower()), file=key), doc)


def _normalised(text: str) -> tuple[str, list[int]]:
    """``text`` with whitespace runs as one space and compatibility forms folded; and each char's source offset."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        ch = unicodedata.normalize("NFKC", ch) if ch not in "\u2010\u2011" else "-"
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        for c in ch:
            out.append(c)
            where.append(i)
    return "".join(out), where


def _locate(a: Article, where, before: str, literal: str) -> tuple[int, int] | None:
    """Source span of ``literal`` where ``before + literal`` occurs in the page (or section) ``where``."""
    if isinstance(where, int):
        span = a.pages[where - 1]
        lo, hi = span.start, span.end
    else:
        sec = next((s for s in a.sections if s.heading and s.heading.strip().lower() == where.strip().lower()), None)
        if sec is None:
            return None
        lo, hi = sec.start, sec.end
    norm, back = _normalised(a.text[lo:hi])
    needle, _ = _normalised(before + literal)
    lit, _ = _normalised(literal)
    at = norm.find(needle)
    if at < 0:
        return None
    s = at + len(needle) - len(lit)
    return lo + back[s], lo + back[at + len(needle) - 1] + 1


def _entry_matches(a: Article, ref_id: str, target: tuple) -> bool:
    number, surname, year = target
    ref = next(r for r in a.references if r.ref_id == ref_id)
    if number is not None:
        return ref.number == number
    head = fold_name(ref.text[:80])
    return head.startswith(fold_name(surname)) and (year is None or str(year) in ref.text)


def score(key: str) -> tuple[int, int, list[str]]:
    a = article(key)
    right, wrong = 0, []
    for where, before, literal, targets in MARKERS[key]:
        span = _locate(a, where, before, literal)
        if span is None:
            wrong.append(f"{where}: {before + literal!r} not found in the text")
            continue
        # The group's citations: one marker, or several when a group mixes citations with other words
        # ("(barnacle geese, Kurvers et al. 2013; greylag geese, Scheiber et al. 2013)" is two xrefs).
        inside = [m for m in a.markers if m.char_start < span[1] and span[0] < m.char_end]
        if not inside:
            wrong.append(f"{where}: {literal!r} after {before!r}: no marker")
            continue
        ref_ids = [rid for m in inside for rid in m.ref_ids]
        if len(ref_ids) == len(targets) and all(_entry_matches(a, rid, t) for rid, t in zip(ref_ids, targets)):
            right += 1
        else:
            got = [next(r.text[:40] for r in a.references if r.ref_id == rid) for rid in ref_ids]
            wrong.append(f"{where}: {literal!r} resolved to {got}, expected {targets}")
    for where, before, literal in NON_MARKERS.get(key, []):
        span = _locate(a, where, before, literal)
        if span is not None and any(m.char_start < span[1] and span[0] < m.char_end for m in a.markers):
            wrong.append(f"{where}: {literal!r} after {before!r} is not a citation, but was taken for one")
        else:
            right += 1
    return right, right + len(wrong), wrong


def _available() -> list[str]:
    return [k for k in PAPERS if _source(k) is not None]


@pytest.mark.skipif(not _available(), reason=f"none of the table's papers is in {FIXTURES} or {SHARED}")
def test_markers_in_real_papers_resolve_as_the_hand_checked_table_says():
    lines, total_right, total = [], 0, 0
    for key in _available():
        right, n, wrong = score(key)
        total_right += right
        total += n
        lines.append(f"{key}: {right}/{n}")
        lines += [f"    {w}" for w in wrong]
    assert total_right / total >= TARGET, "\n".join(lines)
