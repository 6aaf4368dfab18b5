"""Turn search hits into quoted passages with their citations.  Nothing here writes prose."""
from __future__ import annotations

from index.search import Hit
from index.store import IndexData
from ingest.records import Article, Reference
from service.schemas import ArticleOut, CitationOut, PassageOut, SpanOut


class Catalog:
    """Look-ups over an index's articles and references."""

    def __init__(self, data: IndexData):
        self.articles: dict[str, Article] = {a.id: a for a in data.articles}
        self.references: dict[str, Reference] = {r.ref_id: r for a in data.articles for r in a.references}

    def article_out(self, article_id: str) -> ArticleOut:
        m = self.articles[article_id].meta
        return ArticleOut(id=m.id, title=m.title, author=m.author, publisher=m.publisher, date=m.date, url=m.url)

    def citation(self, ref_id: str) -> CitationOut:
        r = self.references[ref_id]
        return CitationOut(ref_id=r.ref_id, number=r.number, text=r.text, doi=r.doi, url=r.url)

    def passage_out(self, hit: Hit) -> PassageOut:
        p = hit.passage
        return PassageOut(
            id=p.id,
            quote=p.text,
            score=round(hit.score, 6),
            article=self.article_out(p.article_id),
            section=p.section,
            page=p.page,
            span=SpanOut(start=p.char_start, end=p.char_end),
            citations=[self.citation(rid) for rid in p.ref_ids],
        )
