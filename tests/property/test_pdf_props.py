"""Properties of the PDF layout rules (`ingest/pdf.py`): idempotent line tidying and folding, a line join
that loses nothing but one hyphen, and a page laid out with every character either kept or recorded as
dropped (with its rule)."""
from __future__ import annotations

import re
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from ingest.pdf import Joiner, Line, Page, PdfPages, _tidy, fold, lay_out
from tests.property.strategies import props

WORD = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789-ﬁﬂ\u00a0.,;()"), min_size=1, max_size=12)
LINE = st.lists(WORD, min_size=1, max_size=10).map(" ".join)


def _letters(s: str) -> str:
    return re.sub(r"[\s\-\u2010\u2011\u00ad]", "", s)


@props(200)
@given(LINE)
def test_tidy_is_idempotent_and_keeps_every_letter(line):
    once = _tidy(line)
    assert _tidy(once) == once
    assert _letters(once) == _letters(line)


@props(200)
@given(st.text(max_size=40))
def test_fold_is_idempotent(text):
    once = "".join(fold(c) for c in text)
    assert "".join(fold(c) for c in once) == once


@props(200)
@given(LINE, LINE)
def test_a_line_join_loses_at_most_one_hyphen(left, right):
    left, right = left.strip(), right.strip()
    joined = Joiner(Counter(), set()).glue(left, right)
    assert joined.replace(" ", "") in {(left + right).replace(" ", ""), (left[:-1] + right).replace(" ", "")}
    if not left.endswith(("-", "\u2010", "\u2011", "\u00ad")):
        assert joined == left + " " + right


@props(100)
@given(st.lists(st.lists(LINE, min_size=1, max_size=12), min_size=1, max_size=3))
def test_laid_out_pages_keep_every_character_or_record_its_line(pages):
    src = PdfPages(
        pages=[
            Page(i + 1, 612, 792, [Line(t, 60, 550, 700 - 12 * k, 710 - 12 * k, 10.0, "F", i + 1, column=2) for k, t in enumerate(lines)], positioned=False)
            for i, lines in enumerate(pages)
        ],
        unreadable=[],
    )
    laid = lay_out(src)
    kept = _letters("".join(b.text for b in laid.blocks))
    dropped = _letters("".join(line for _rule, line in laid.removed))  # the title too: it is recorded as dropped
    assert Counter(_letters("".join(_tidy(t) for lines in pages for t in lines))) == Counter(kept) + Counter(dropped)
