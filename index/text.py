"""What is matched against a question for each passage (the quote itself stays verbatim).

A passage is indexed with its section heading and the titles of the works its
markers cite: "in one case, a woman ... 1 mg/kg" cites "... an addicted woman:
a case report", which is how a reader asks for it ("the case report").
"""
from __future__ import annotations

from collections.abc import Iterator

from ingest.records import PROSE_KINDS, Article, Passage

# Bump when index_text changes: stored vectors of an older version are not reused.
INDEX_TEXT_VERSION = 2


def index_text(p: Passage, article: Article) -> str:
    if p.kind not in PROSE_KINDS:
        return p.text
    if article.source_format != "text":
        # A paper's passage cites many works; their titles would outweigh its own words.
        return "\n".join(x for x in (p.section or "", p.text) if x)
    titles = {r.ref_id: r.title for r in article.references}
    cited = [titles[r] for r in p.ref_ids if titles.get(r)]
    parts = [p.section or "", p.text, " ".join(f"({t})" for t in cited)]
    return "\n".join(x for x in parts if x)


def iter_index_texts(passages: list[Passage], articles: list[Article]) -> Iterator[str]:
    """Each passage's ``index_text``, in order, made as it is read (the index write never holds them all)."""
    by_id = {a.id: a for a in articles}
    return (index_text(p, by_id[p.article_id]) for p in passages)
