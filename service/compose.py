"""Turn search hits into quoted passages with their citations.  Nothing here writes prose."""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from index.passages import PassageTable
from index.search import Hit
from index.store import IndexData
from ingest.records import PROSE_KINDS, Article, Citing, Evidence, Passage, Reference, Work
from service.schemas import (
    ArticleDetail,
    ArticleOut,
    ArticleSummary,
    CitationOut,
    CitingOut,
    PageOut,
    EvidenceOut,
    PassageOut,
    ReferenceOut,
    SectionOut,
    SourceOut,
    SpanOut,
    WorkDetail,
    WorkEntry,
    WorkSummary,
)

MAX_EVIDENCE_PER_CITATION = 2


def doi_url(doi: str | None) -> str | None:
    return f"https://doi.org/{doi}" if doi else None


class Catalog:
    """Look-ups over an index's articles and references."""

    def __init__(self, data: IndexData):
        self.articles: dict[str, Article] = {a.id: a for a in data.articles}
        self.references: dict[str, Reference] = {r.ref_id: r for a in data.articles for r in a.references}
        # From the passages' columns (`index.passages`), not the passages: at 100k passages, parsing them all took
        # about a second of a start.
        self.table = table = PassageTable.of(data.passages)
        prose = table.kind_mask(PROSE_KINDS)
        counts = np.bincount(table.article_codes[prose], minlength=len(table.article_names))
        self.passage_count: dict[str, int] = defaultdict(int, {a: int(c) for a, c in zip(table.article_names, counts) if c})
        self.cited_by: dict[str, list[str]] = defaultdict(list)  # ref_id -> ids of text passages citing it
        for row, rids in table.ref_ids.items():
            if prose[row]:
                for rid in rids:
                    self.cited_by[rid].append(table.ids[row])
        self._prose = prose
        self.cited_at: dict[str, list[SpanOut]] = defaultdict(list)  # ref_id -> marker spans citing it
        for a in data.articles:
            for m in a.markers:
                for rid in m.ref_ids:
                    self.cited_at[rid].append(SpanOut(start=m.char_start, end=m.char_end))
        self.works: dict[str, Work] = {w.id: w for w in data.works}
        self.work_of: dict[str, str] = {rid: w.id for w in data.works for rid in w.ref_ids}  # ref_id -> work id
        # (passage id, ref id) -> [(citing sentence span, its evidence)], and (article, sentence start, ref) -> evidence
        self.evidence: dict[tuple[str, str], list[tuple[int, int, list[Evidence]]]] = defaultdict(list)
        self.sentence_evidence: dict[tuple[str, int, str], list[Evidence]] = {}
        for w in data.works:
            for c, ev in zip(w.citing, w.evidence):
                if c.ref_id and ev:
                    self.sentence_evidence[(c.article_id, c.start, c.ref_id)] = ev
                    if c.passage_id:
                        self.evidence[(c.passage_id, c.ref_id)].append((c.start, c.end, ev))
        self.pdf_files: dict[str, str] = {}  # source id -> corpus-relative file, for GET /sources/{id}/pdf
        for a in data.articles:
            if a.source_format == "pdf":
                self.pdf_files[a.id] = a.meta.file

    def summaries(self) -> list[ArticleSummary]:
        return [
            ArticleSummary(**self.article_out(a.id).model_dump(), passages=self.passage_count[a.id], references=len(a.references))
            for a in self.articles.values()
        ]

    def detail(self, article_id: str) -> ArticleDetail:
        a = self.articles[article_id]
        return ArticleDetail(
            **self.article_out(a.id).model_dump(),
            text=a.text,
            sections=[
                SectionOut(heading=s.heading, span=SpanOut(start=s.heading_start if s.heading_start is not None else s.start, end=s.end))
                for s in a.sections
            ],
            references=[self.reference_out(r.ref_id) for r in a.references],
            pages=[PageOut(page=i + 1, span=SpanOut(start=s.start, end=s.end)) for i, s in enumerate(a.pages)],
        )

    def reference_out(self, ref_id: str) -> ReferenceOut:
        r = self.references[ref_id]
        return ReferenceOut(
            ref_id=r.ref_id,
            number=r.number,
            text=r.text,
            doi=r.doi,
            url=r.url,
            article_id=r.article_id,
            authors=r.authors,
            year=r.year,
            title=r.title,
            journal=r.journal,
            span=SpanOut(start=r.char_start, end=r.char_end),
            cited_by=self.cited_by.get(r.ref_id, []),
            cited_at=self.cited_at.get(r.ref_id, []),
            work_id=self.work_of.get(r.ref_id),
        )

    def citing_articles(self, ref_id: str) -> list[ArticleOut]:
        """Every article whose reference list has the work this entry names."""
        wid = self.work_of.get(ref_id)
        ids = list(dict.fromkeys(self.references[r].article_id for r in self.works[wid].ref_ids)) if wid else [self.references[ref_id].article_id]
        return [self.article_out(a) for a in ids]

    def article_out(self, article_id: str) -> ArticleOut:
        a = self.articles[article_id]
        m = a.meta
        return ArticleOut(
            id=m.id, title=m.title, author=m.author, publisher=m.publisher, date=m.date, url=m.url, format=a.source_format,
            doi=m.doi, pdf_url=f"/sources/{m.id}/pdf" if m.id in self.pdf_files else None,
        )

    def evidence_out(self, e: Evidence) -> EvidenceOut:
        text = self.articles[e.source_id].text
        highlight = None
        if e.sentence_start is not None and e.sentence_end is not None:
            highlight = SpanOut(start=e.sentence_start - e.start, end=e.sentence_end - e.start)
        return EvidenceOut(source_id=e.source_id, passage_id=e.passage_id, quote=text[e.start : e.end], page=e.page,
                           span=SpanOut(start=e.start, end=e.end), highlight=highlight, score=e.score)

    def passage(self, passage_id: str) -> Passage | None:
        row = self.table.row_of.get(passage_id)
        return None if row is None else self.table[row]

    def passages_of(self, article_id: str) -> list[Passage]:
        """An article's prose passages (text and captions), in order."""
        return [self.table[int(r)] for r in self.table.rows_of_article(article_id) if self._prose[r]]

    def passage_evidence(self, passage_id: str, ref_id: str, focus: tuple[int, int] | None = None) -> list[Evidence]:
        """Evidence for the sentences of a passage that cite ``ref_id``: each sentence's best first (the sentences
        overlapping ``focus``, the highlighted ones, before the others), then their second best; at most 2."""
        rows = sorted(self.evidence.get((passage_id, ref_id), []),
                      key=lambda r: (not (focus and r[0] < focus[1] and focus[0] < r[1]), r[0]))
        out: list[Evidence] = []
        for rank in range(max((len(ev) for _, _, ev in rows), default=0)):
            for _, _, ev in rows:
                if rank < len(ev) and all(e.passage_id != ev[rank].passage_id for e in out):
                    out.append(ev[rank])
        return out[:MAX_EVIDENCE_PER_CITATION]

    def citation(self, ref_id: str, passage_id: str | None = None, sentence: tuple[str, int] | None = None,
                 focus: tuple[int, int] | None = None) -> CitationOut:
        """An entry as a quote cites it, with primary evidence: for the sentences of passage ``passage_id`` that
        cite it (those overlapping ``focus`` first), or for the one sentence (article id, start) ``sentence``."""
        r = self.references[ref_id]
        if sentence is not None:
            evidence = self.sentence_evidence.get((*sentence, ref_id), [])
        else:
            evidence = self.passage_evidence(passage_id, ref_id, focus) if passage_id else []
        return CitationOut(ref_id=r.ref_id, number=r.number, text=r.text, doi=r.doi, url=r.url, work_id=self.work_of.get(ref_id),
                           evidence=[self.evidence_out(e) for e in evidence])

    # ------------------------------------------------------------------ works

    def work_summary(self, w: Work) -> WorkSummary:
        return WorkSummary(
            id=w.id, title=w.title, authors=w.authors, year=w.year, journal=w.journal, doi=w.doi, doi_url=doi_url(w.doi),
            cited_by_articles=len({c.article_id for c in w.citing} | {self.references[r].article_id for r in w.ref_ids}),
            citing_sentences=len(w.citing), has_source=bool(w.source_id),
        )

    def citing_out(self, c: Citing, evidence: list[Evidence]) -> CitingOut:
        text = self.articles[c.article_id].text
        has_marker = c.marker_start is not None and c.marker_end is not None
        return CitingOut(
            article=self.article_out(c.article_id),
            passage_id=c.passage_id,
            sentence=text[c.start : c.end],
            span=SpanOut(start=c.start, end=c.end),
            marker=text[c.marker_start : c.marker_end] if has_marker else None,
            marker_span=SpanOut(start=c.marker_start, end=c.marker_end) if has_marker else None,
            ref_id=c.ref_id,
            mention=c.mention,
            evidence=[self.evidence_out(e) for e in evidence],
        )

    def work_citing(self, w: Work) -> list[CitingOut]:
        rows = w.evidence if len(w.evidence) == len(w.citing) else [[] for _ in w.citing]
        return [self.citing_out(c, ev) for c, ev in zip(w.citing, rows)]

    def work_detail(self, work_id: str) -> WorkDetail:
        w = self.works[work_id]
        entries = [
            WorkEntry(article=self.article_out(r.article_id), ref_id=r.ref_id, number=r.number, text=r.text,
                      span=SpanOut(start=r.char_start, end=r.char_end))
            for r in (self.references[rid] for rid in w.ref_ids)
        ]
        source = None
        if w.source_id:
            a = self.articles[w.source_id]
            source = SourceOut(id=a.id, title=a.meta.title, format=a.source_format, doi=a.meta.doi,
                               pdf_url=self.article_out(a.id).pdf_url, matched_by=w.matched_by or "doi")
        return WorkDetail(**self.work_summary(w).model_dump(), entries=entries, citing=self.work_citing(w), source=source)

    def work_list(self, limit: int, offset: int) -> list[WorkSummary]:
        """Works cited by the most articles first, then by citing sentences, then by title."""
        summaries = sorted((self.work_summary(w) for w in self.works.values()),
                           key=lambda s: (-s.cited_by_articles, -s.citing_sentences, (s.title or "").lower(), s.id))
        return summaries[offset : offset + limit]

    def passage_out(self, hit: Hit, highlight: SpanOut) -> PassageOut:
        p = hit.passage
        return PassageOut(
            id=p.id,
            quote=p.text,
            highlight=highlight,
            score=round(hit.score, 6),
            article=self.article_out(p.article_id),
            section=p.section,
            page=p.page,
            span=SpanOut(start=p.char_start, end=p.char_end),
            citations=[self.citation(rid, p.id, focus=(p.char_start + highlight.start, p.char_start + highlight.end)) for rid in p.ref_ids],
        )
