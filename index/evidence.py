"""Primary evidence: for a sentence that cites a paper in the corpus, the paper's passages that best support it.

Computed once, when the index is built, for every citing sentence of every work whose paper is a source
in the corpus, so that no question pays for it.  The same scoring answers an ad-hoc sentence
(`rank_evidence`), which is how the evaluation measures it.

A source passage's score blends three signals, each in 0..1:

* ``best`` the cosine between the citing sentence and the passage's best-matching sentence: a citing
  sentence usually restates one finding, which one sentence of the paper states;
* ``whole`` the cosine between the citing sentence and the whole passage;
* ``lexical`` the share of the citing sentence's rarer words (weighted by their inverse document frequency
  over the paper's passages) that the passage contains: numbers, gene names and units that a small
  embedder blurs.

Reference entries and the paper's front matter are not evidence: only prose and captions are scored.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from index.lexical import tokenize
from index.passages import PassageTable
from ingest.records import PROSE_KINDS, Evidence, Passage, Work

MAX_EVIDENCE = 2  # passages kept per citing sentence
# The blend, chosen on the tuning pairs (eval/evidence_pairs.jsonl; `verbatim eval --staff --sweep`): 17 of 18 at
# recall@1 over a plateau of blends with lexical weight 0.3 to 1 and best-sentence weight at most 0.1; this is
# its middle.  The held-out pairs never set it.
W_BEST, W_WHOLE, W_LEXICAL = 0.1, 0.3, 0.6
# A bracketed marker ("[1]", "[2–4]") in a sentence given as text; a citing sentence of the corpus has its
# markers' exact spans instead (a superscript flattened onto a word, "disorders15", cannot be told from "Kir6").
MARKER = re.compile(r"\s*\[\d+(?:\s*[–,-]\s*\d+)*\]")


@dataclass
class SourceView:
    """One source paper's scorable passages, with their vectors and word statistics."""

    source_id: str
    rows: list[int]  # passage rows of the index
    passages: list[Passage]
    vectors: np.ndarray  # (len(rows), dim)
    sentence_vectors: list[np.ndarray]  # per passage: (n_sentences, dim)
    tokens: list[set[str]]
    sentence_tokens: list[list[set[str]]]  # per passage, per sentence
    idf: dict[str, float]


def source_view(source_id: str, passages: Sequence[Passage], vectors: np.ndarray, sentence_vectors: np.ndarray,
                offsets: list[int], text: str) -> SourceView:
    """``text``: the source's cleaned text.  ``passages`` is best a `PassageTable`: its rows are found from its
    columns, without reading every passage."""
    table = PassageTable.of(passages)
    prose = table.kind_mask(PROSE_KINDS)
    rows = [int(i) for i in table.rows_of_article(source_id) if prose[i]]
    toks = [set(tokenize(passages[i].text)) for i in rows]
    df = Counter(t for s in toks for t in s)
    n = max(1, len(rows))
    return SourceView(
        source_id=source_id,
        rows=rows,
        passages=[passages[i] for i in rows],
        vectors=vectors[rows] if rows else np.zeros((0, vectors.shape[1]), dtype=np.float32),
        sentence_vectors=[sentence_vectors[offsets[i] : offsets[i + 1]] for i in rows],
        tokens=toks,
        sentence_tokens=[[set(tokenize(text[s:e])) for s, e in passages[i].sentences] for i in rows],
        idf={t: math.log(1 + n / k) for t, k in df.items()},
    )


def strip_markers(sentence: str) -> str:
    return MARKER.sub("", sentence)


def without_span(text: str, start: int, end: int, cut_start: int | None, cut_end: int | None) -> str:
    """``text[start:end]`` with ``text[cut_start:cut_end]`` (a marker inside it) left out."""
    if cut_start is None or cut_end is None or not (start <= cut_start < end):
        return text[start:end]
    return text[start:cut_start] + text[min(cut_end, end):end]


WEIGHTS = (W_BEST, W_WHOLE, W_LEXICAL)


def rank_evidence(view: SourceView, sentence: str, vector: np.ndarray, k: int = MAX_EVIDENCE,
                  weights: tuple[float, float, float] = WEIGHTS) -> list[Evidence]:
    """The ``k`` passages of ``view`` that best support ``sentence`` (whose embedding is ``vector``), best first.
    ``weights``: (best sentence, whole passage, lexical), for the evaluation's ablation."""
    if not view.rows:
        return []
    v = np.asarray(vector, dtype=np.float32).reshape(-1)
    whole = view.vectors @ v
    best = np.array([float((sv @ v).max()) if len(sv) else -1.0 for sv in view.sentence_vectors], dtype=np.float32)
    q = [t for t in dict.fromkeys(tokenize(strip_markers(sentence)))]
    idf = {t: view.idf.get(t, math.log(1 + len(view.rows))) for t in q}
    total = sum(idf.values()) or 1.0
    lexical = np.array([sum(w for t, w in idf.items() if t in toks) / total for toks in view.tokens], dtype=np.float32)
    w_best, w_whole, w_lexical = weights
    score = w_best * np.clip(best, 0, 1) + w_whole * np.clip(whole, 0, 1) + w_lexical * lexical
    order = np.argsort(-score, kind="stable")[:k]
    out = []
    for i in order:
        p = view.passages[i]
        # The sentence to show first: the same blend over the passage's sentences (its cosine stands for both).
        sims = view.sentence_vectors[i] @ v if len(view.sentence_vectors[i]) else np.zeros(0)
        per = [(w_best + w_whole) * max(0.0, float(c)) + w_lexical * sum(w for t, w in idf.items() if t in toks) / total
               for c, toks in zip(sims, view.sentence_tokens[i])]
        s, e = p.sentences[int(np.argmax(per))] if per else (p.char_start, p.char_end)
        out.append(Evidence(source_id=view.source_id, passage_id=p.id, start=p.char_start, end=p.char_end, page=p.page,
                            score=round(float(score[i]), 4), sentence_start=s, sentence_end=e))
    return out


def sentence_rows(passages: list[Passage], offsets: list[int]) -> dict[tuple[str, int, int], int]:
    """(passage id, sentence start, end) -> row of the sentence matrix."""
    out = {}
    for i, p in enumerate(passages):
        for j, (s, e) in enumerate(p.sentences):
            out[(p.id, s, e)] = offsets[i] + j
    return out


def attach_evidence(works: list[Work], passages: list[Passage], vectors: np.ndarray, sentence_vectors: np.ndarray,
                    offsets: list[int], article_texts: dict[str, str]) -> list[Work]:
    """Works with ``evidence`` filled for every citing sentence of a work whose paper is in the corpus
    (``article_texts``: each article's cleaned text, by id)."""
    rows = sentence_rows(passages, offsets)
    table = PassageTable.of(passages)  # once, for every source's view
    views: dict[str, SourceView] = {}
    out = []
    for w in works:
        if not w.source_id:
            out.append(w)
            continue
        if w.source_id not in views:
            views[w.source_id] = source_view(w.source_id, table, vectors, sentence_vectors, offsets, article_texts[w.source_id])
        view = views[w.source_id]
        evidence = []
        for c in w.citing:
            row = rows.get((c.passage_id, c.start, c.end))
            if row is None or c.article_id == w.source_id:
                evidence.append([])
                continue
            sentence = without_span(article_texts[c.article_id], c.start, c.end, c.marker_start, c.marker_end)
            evidence.append(rank_evidence(view, sentence, sentence_vectors[row]))
        out.append(replace(w, evidence=evidence))
    return out
