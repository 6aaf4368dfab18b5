"""Hostile corpus text must not hang ingest: long runs of one character are handled in linear time.

Regressions for regexes that were retried from every position of a long run (quadratic time): a run
of 40,000 dots took sentence splitting minutes, a line of 20,000 ``[] `` back-links took the
cleaner and the reference parser many seconds, and 20,000 ``a'`` took the citation markers 15 s.  Each call below now takes milliseconds; the bound
is loose so that a slow, busy CI machine never trips it, while the quadratic versions would.
"""
from __future__ import annotations

import time
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from ingest.chunk import chunk_article, sentences
from ingest.clean import clean
from ingest.load import Document
from ingest.markers import find_markers
from ingest.pipeline import build_article
from ingest.records import ArticleMeta
from ingest.references import normalize_entry, split_entries
from tests.property.strategies import props, unicode_text

BUDGET_SECONDS = 3.0
RUN = st.sampled_from([".", "!", "?", "…", "?!", ".”", " ", "\t", "\xa0", "[]", "[] ", " []", "a", "Ab", "-", "1,", "a'", "a’", "a-", "a'b"])
context = st.one_of(st.just(""), st.sampled_from(["x", "It works", "1. Smith J", "drinking.12 The"]), unicode_text)


def _timed(f, *args):
    t = time.perf_counter()
    out = f(*args)
    return out, time.perf_counter() - t


@props(12)
@given(run=RUN, n=st.integers(30_000, 45_000), before=context, after=context)
@example(run=".", n=40_000, before="", after="")
@example(run="[] ", n=15_000, before="Title\n", after="x")
@example(run=" ", n=40_000, before="Title\n", after="x")
@example(run="a", n=40_000, before="", after="")
@example(run="a'", n=40_000, before="", after="drinking.12")  # citation markers: a word starts at every letter
def test_long_runs_are_handled_in_linear_time(run, n, before, after):
    text = before + run * (n // len(run)) + after
    spans, t_sentences = _timed(sentences, text)
    assert t_sentences < BUDGET_SECONDS, f"sentences: {t_sentences:.1f}s on {len(text):,} chars of {run!r}"
    assert spans == sorted(spans)
    cleaned, t_clean = _timed(clean, text)
    assert t_clean < BUDGET_SECONDS, f"clean: {t_clean:.1f}s on {len(text):,} chars of {run!r}"
    assert "\r" not in cleaned.text
    entries, t_split = _timed(split_entries, text, 0, len(text))
    assert t_split < BUDGET_SECONDS, f"split_entries: {t_split:.1f}s on {len(text):,} chars of {run!r}"
    assert all(0 <= e.start < e.end <= len(text) for e in entries)
    norm, t_norm = _timed(normalize_entry, text)
    assert t_norm < BUDGET_SECONDS, f"normalize_entry: {t_norm:.1f}s on {len(text):,} chars of {run!r}"
    assert not norm.endswith("[]")
    found, t_markers = _timed(find_markers, text, 0, len(text), set(range(1, 50)))
    assert t_markers < BUDGET_SECONDS, f"find_markers: {t_markers:.1f}s on {len(text):,} chars of {run!r}"
    assert all(0 <= f.start < f.end <= len(text) for f in found)



def test_a_marker_after_a_long_run_of_glued_words_is_still_found():
    text = "a'" * 20_000 + "drinking.12 The"
    found, t = _timed(find_markers, text, 0, len(text), {12})
    assert t < BUDGET_SECONDS, f"find_markers: {t:.1f}s"
    assert [(text[f.start : f.end], f.numbers) for f in found] == [("12", [12])]


@props(6)
@given(run=st.sampled_from([".", "!…", "[] ", " ", "a"]), n=st.integers(20_000, 30_000))
def test_ingesting_a_hostile_article_stays_fast(run, n):
    raw = "A Title\n\nA first paragraph. " + run * (n // len(run)) + "\n\nA last paragraph.\n"
    t = time.perf_counter()
    article = build_article(ArticleMeta(id="hostile", file="hostile.txt"), Document(Path("hostile.txt"), "0" * 64, text=raw))
    chunks = chunk_article(article, max_tokens=160, target_tokens=110)
    elapsed = time.perf_counter() - t
    assert elapsed < 2 * BUDGET_SECONDS, f"ingest took {elapsed:.1f}s on {len(raw):,} chars of {run!r}"
    assert all(article.text[p.char_start : p.char_end] == p.text for p in chunks.passages)
