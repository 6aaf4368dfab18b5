"""Works: one record per cited paper, across every article that lists or names it.  Pure functions.

Reference entries name the same work when their DOIs agree, or, without a DOI on both sides, when their
first authors' surnames agree, their years agree (or one is missing), and their titles match within a
fuzzy bound (rapidfuzz ``token_sort_ratio``, which ignores word order, case and punctuation; the same
title is spelt "Efficacy of Ketamine in the Treatment…" in one list and "Efficacy of ketamine in the
treatment…" in another).  Two entries with different DOIs are never one work.

A work's *citing sentences* are the sentences holding a marker that resolves to one of its entries, and,
in web articles, sentences that name it without a marker: its journal's name together with a word of its
title, its year or its first author ("a systematic review published recently in Frontiers in Psychiatry").

When the cited paper is itself in the corpus (a PDF or JATS source), it is linked to its work by the DOI
read from the paper, else by its title (and year, when both are known).
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from rapidfuzz import fuzz

from ingest.markers import fold_name
from ingest.records import PROSE_KINDS, Article, Citing, Passage, Reference, Work, content_id

TITLE_MATCH = 90  # token_sort_ratio for two entries' titles (0-100)
SOURCE_TITLE_MATCH = 92  # a paper's own title against a work's title
MIN_TITLE_WORDS = 4  # shorter titles match only by DOI
MENTION_WORD_LEN = 6  # a title word long enough to count as a cue in a mention
MENTION_WORD_DF = 0.05  # ... and rare enough: in at most this share of the web articles' sentences ("ketamine" is not)
PAPER_FORMATS = frozenset({"pdf", "jats"})
_STOP = frozenset(
    "about after against among and are between but for from has have into its not of off on or over than that the "
    "their there these this those through under use used using was were what when which while with within".split()
)


def normal_doi(doi: str | None) -> str | None:
    if not doi:
        return None
    d = doi.strip().lower()
    d = re.sub(r"^(?:https?://)?(?:dx\.)?doi\.org/|^doi:\s*", "", d)
    return d.rstrip(".,;)") or None


def normal_title(title: str | None) -> str:
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", title or "") if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[a-z0-9]+", plain.lower()))


def first_surname(r: Reference) -> str:
    """The folded surname of the first author: "Jones, J. L." and "Jones JL" are both "jones"."""
    name = r.authors[0] if r.authors else re.split(r"[,.(]", r.text, maxsplit=1)[0]
    if "," in name:
        name = name.split(",")[0]
    parts = name.split()
    while len(parts) > 1 and re.fullmatch(r"[A-Z]{1,3}\.?|(?:[A-Z]\.)+", parts[-1]):
        parts.pop()  # trailing initials
    return fold_name(" ".join(parts))


def _same_surname(a: str, b: str) -> bool:
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return a == b or (len(short) >= 4 and long_.endswith(short))  # "vandermeulen" and "meulen"


def same_work(a: Reference, b: Reference) -> bool:
    da, db = normal_doi(a.doi), normal_doi(b.doi)
    if da and db:
        return da == db
    if a.year and b.year and a.year != b.year:
        return False
    ta, tb = normal_title(a.title), normal_title(b.title)
    if len(ta.split()) < MIN_TITLE_WORDS or len(tb.split()) < MIN_TITLE_WORDS:
        return False
    return _same_surname(first_surname(a), first_surname(b)) and fuzz.token_sort_ratio(ta, tb) >= TITLE_MATCH


def group_references(references: list[Reference]) -> list[list[Reference]]:
    """Entries grouped into works (union-find; DOI first, then surname-blocked fuzzy titles)."""
    parent = list(range(len(references)))
    dois: dict[int, str | None] = {i: normal_doi(r.doi) for i, r in enumerate(references)}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    group_doi: dict[int, set[str]] = {i: ({d} if d else set()) for i, d in dois.items()}

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri == rj:
            return
        if group_doi[ri] and group_doi[rj] and group_doi[ri] != group_doi[rj]:
            return  # never join two works with different DOIs through a third entry
        parent[rj] = ri
        group_doi[ri] |= group_doi[rj]

    by_doi: dict[str, int] = {}
    for i, d in dois.items():
        if d:
            if d in by_doi:
                union(by_doi[d], i)
            else:
                by_doi[d] = i
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(references):
        s = first_surname(r)
        if s:
            blocks[s[-4:]].append(i)  # surname endings, so "van der Meulen" meets "Meulen"
    for members in blocks.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if find(i) != find(j) and same_work(references[i], references[j]):
                    union(i, j)
    groups: dict[int, list[Reference]] = defaultdict(list)
    for i, r in enumerate(references):
        groups[find(i)].append(r)
    return list(groups.values())


def _sentence_of(passages: list[Passage], start: int) -> tuple[str | None, int, int] | None:
    """The (passage id, sentence span) holding offset ``start``, or the nearest sentence ending before it."""
    best = None
    for p in passages:
        if not (p.char_start <= start <= p.char_end + 2):
            continue
        for s, e in p.sentences:
            if s <= start < e:
                return p.id, s, e
            if e <= start and (best is None or e > best[2]):
                best = (p.id, s, e)
    return best


def _work_fields(entries: list[Reference]) -> dict:
    with_doi = [r for r in entries if normal_doi(r.doi)]
    titled = sorted((r for r in entries if r.title), key=lambda r: len(r.title or ""), reverse=True)
    journals = sorted((r.journal for r in entries if r.journal), key=len, reverse=True)
    authors = max((r.authors for r in entries), key=len, default=[])
    years = [r.year for r in entries if r.year]
    return {
        "title": titled[0].title if titled else None,
        "authors": list(authors),
        "year": years[0] if years else None,
        "journal": journals[0] if journals else None,
        "doi": normal_doi(with_doi[0].doi) if with_doi else None,
    }


def work_id(fields: dict, entries: list[Reference]) -> str:
    if fields["doi"]:
        return content_id("work", fields["doi"])
    r = entries[0]
    return content_id("work", first_surname(r), fields["year"], normal_title(fields["title"]) or r.text)


def _mention_cues(fields: dict, entries: list[Reference], common: set[str]) -> tuple[list[re.Pattern], list[str], str | None]:
    journals = sorted({j for j in (r.journal for r in entries) if j and len(j.split()) >= 2})
    journal_res = [re.compile(r"\b" + r"\s+".join(map(re.escape, j.split())) + r"\b", re.I) for j in journals]
    words = [w for w in normal_title(fields["title"]).split() if len(w) >= MENTION_WORD_LEN and w not in _STOP and w not in common]
    surname = None
    if entries and entries[0].authors:
        name = entries[0].authors[0].split(",")[0].split()
        surname = name[0] if name and len(name[0]) >= 3 else None
    return journal_res, words, surname


def common_words(articles: list[Article], by_article: dict[str, list[Passage]]) -> set[str]:
    """Words in more than MENTION_WORD_DF of the web articles' sentences: too common to name a work."""
    df: dict[str, int] = defaultdict(int)
    n = 0
    for a in articles:
        if a.source_format != "text":
            continue
        for p in by_article[a.id]:
            for s, e in p.sentences:
                n += 1
                for w in set(normal_title(a.text[s:e]).split()):
                    df[w] += 1
    return {w for w, k in df.items() if k > MENTION_WORD_DF * n}


def find_mentions(
    article: Article, passages: list[Passage], works: list[tuple[str, dict, list[Reference]]], common: set[str] = frozenset()
) -> list[tuple[str, Citing]]:
    """Sentences of a web article that name a work without a marker: (work id, citing sentence)."""
    if article.source_format != "text":
        return []
    cues = [(wid, *_mention_cues(fields, entries, common), fields["year"]) for wid, fields, entries in works]
    marked = {(m.char_start) for m in article.markers}
    out: list[tuple[str, Citing]] = []
    for p in passages:
        if p.kind not in PROSE_KINDS:
            continue
        for s, e in p.sentences:
            if any(s <= m < e for m in marked):
                continue
            sentence = article.text[s:e]
            folded = normal_title(sentence)
            found: list[tuple[int, str, str]] = []
            for wid, journal_res, words, surname, year in cues:
                named = next((m.group(0) for rx in journal_res if (m := rx.search(sentence))), None)
                by_author = surname and re.search(rf"\b{re.escape(surname)}\s+(?:et\s+al|and\b|&)", sentence)
                if not named and not by_author:
                    continue
                hits = sum(1 for w in words if re.search(rf"\b{w}\b", folded))
                has_year = bool(year and str(year) in sentence)
                strength = hits + 2 * has_year + 2 * bool(by_author)
                if strength and (named or has_year):
                    found.append((strength, wid, named or by_author.group(0)))
            if not found:
                continue
            found.sort(reverse=True)
            if len(found) > 1 and found[0][0] == found[1][0]:
                continue  # two works fit as well: name neither
            _, wid, words_used = found[0]
            out.append((wid, Citing(article_id=article.id, passage_id=p.id, start=s, end=e, mention=words_used)))
    return out


def link_source(fields: dict, papers: list[Article]) -> tuple[str | None, str | None]:
    """The corpus paper that is this work, and how it was matched: by DOI, else by title (and year)."""
    if fields["doi"]:
        for a in papers:
            if normal_doi(a.meta.doi) == fields["doi"]:
                return a.id, "doi"
    title = normal_title(fields["title"])
    if len(title.split()) < MIN_TITLE_WORDS:
        return None, None
    best = None
    for a in papers:
        year = int(a.meta.date[:4]) if a.meta.date and a.meta.date[:4].isdigit() else None
        if fields["year"] and year and fields["year"] != year:
            continue
        score = fuzz.token_sort_ratio(title, normal_title(a.meta.title))
        if score >= SOURCE_TITLE_MATCH and (best is None or score > best[0]):
            best = (score, a.id)
    return (best[1], "title") if best else (None, None)


def find_works(articles: list[Article], passages: list[Passage]) -> list[Work]:
    """Every cited work, with its entries, citing sentences and (when in the corpus) its source paper."""
    refs = [r for a in articles for r in a.references]
    by_article: dict[str, list[Passage]] = defaultdict(list)
    for p in passages:
        if p.kind in PROSE_KINDS:
            by_article[p.article_id].append(p)
    papers = [a for a in articles if a.source_format in PAPER_FORMATS]
    # Entries that name the same corpus paper are one work, even when one of them was parsed too poorly
    # to match the other (an entry without a DOI, linked by its title).
    by_source: dict[str, list[Reference]] = defaultdict(list)
    unlinked: list[list[Reference]] = []
    for entries in group_references(refs):
        source_id, _ = link_source(_work_fields(entries), papers)
        if source_id:
            by_source[source_id] += entries
        else:
            unlinked.append(entries)
    infos = []
    work_of: dict[str, str] = {}
    for entries in [*by_source.values(), *unlinked]:
        fields = _work_fields(entries)
        wid = work_id(fields, entries)
        infos.append((wid, fields, entries))
        for r in entries:
            work_of[r.ref_id] = wid
    common = common_words(articles, by_article)
    citing: dict[str, list[Citing]] = defaultdict(list)
    seen: set[tuple] = set()
    for a in articles:
        for m in a.markers:
            for rid in m.ref_ids:
                place = _sentence_of(by_article[a.id], m.char_start)
                if place is None or rid not in work_of:
                    continue
                pid, s, e = place
                key = (work_of[rid], a.id, s)
                if key in seen:
                    continue
                seen.add(key)
                citing[work_of[rid]].append(
                    Citing(article_id=a.id, passage_id=pid, start=s, end=e, marker_start=m.char_start, marker_end=m.char_end, ref_id=rid)
                )
        for wid, c in find_mentions(a, by_article[a.id], infos, common):
            if (wid, a.id, c.start) not in seen:
                seen.add((wid, a.id, c.start))
                citing[wid].append(c)
    works = []
    for wid, fields, entries in infos:
        source_id, matched_by = link_source(fields, papers)
        if source_id and not fields["doi"]:
            fields = {**fields, "doi": normal_doi(next(a.meta.doi for a in papers if a.id == source_id))}
        works.append(
            Work(
                id=wid,
                ref_ids=[r.ref_id for r in entries],
                citing=sorted(citing[wid], key=lambda c: (c.article_id, c.start)),
                source_id=source_id,
                matched_by=matched_by,
                **fields,
            )
        )
    return works
