"""Turn search hits into quoted passages with their citations.  Nothing here writes prose."""
from __future__ import annotations

import re
from collections import defaultdict

from index.search import Hit
from index.store import IndexData
from ingest.records import PROSE_KINDS, Article, Reference
from service.schemas import (
    ArticleDetail,
    ArticleOut,
    ArticleSummary,
    CitationOut,
    PassageOut,
    ReferenceOut,
    SectionOut,
    SpanOut,
)

WORD = re.compile(r"[a-z0-9]+")


def work_key(r: Reference) -> tuple:
    """Entries of different articles that name the same work share a key (DOI, or author, year and title)."""
    surname = WORD.findall((r.authors[0] if r.authors else r.text).lower())[:1]
    title = WORD.findall((r.title or "").lower())[:4]
    return (tuple(surname), r.year, tuple(title))


class Catalog:
    """Look-ups over an index's articles and references."""

    def __init__(self, data: IndexData):
        self.articles: dict[str, Article] = {a.id: a for a in data.articles}
        self.references: dict[str, Reference] = {r.ref_id: r for a in data.articles for r in a.references}
        self.cited_by: dict[str, list[str]] = defaultdict(list)  # ref_id -> ids of text passages citing it
        self.passage_count: dict[str, int] = defaultdict(int)
        for p in data.passages:
            if p.kind in PROSE_KINDS:
                self.passage_count[p.article_id] += 1
                for rid in p.ref_ids:
                    self.cited_by[rid].append(p.id)
        self.cited_at: dict[str, list[SpanOut]] = defaultdict(list)  # ref_id -> marker spans citing it
        for a in data.articles:
            for m in a.markers:
                for rid in m.ref_ids:
                    self.cited_at[rid].append(SpanOut(start=m.char_start, end=m.char_end))
        self.works: dict[tuple, list[str]] = defaultdict(list)  # work key -> article ids listing it
        for r in self.references.values():
            if r.article_id not in self.works[work_key(r)]:
                self.works[work_key(r)].append(r.article_id)

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
        )

    def citing_articles(self, ref_id: str) -> list[ArticleOut]:
        return [self.article_out(a) for a in self.works[work_key(self.references[ref_id])]]

    def article_out(self, article_id: str) -> ArticleOut:
        m = self.articles[article_id].meta
        return ArticleOut(id=m.id, title=m.title, author=m.author, publisher=m.publisher, date=m.date, url=m.url)

    def citation(self, ref_id: str) -> CitationOut:
        r = self.references[ref_id]
        return CitationOut(ref_id=r.ref_id, number=r.number, text=r.text, doi=r.doi, url=r.url)

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
            citations=[self.citation(rid) for rid in p.ref_ids],
        )
