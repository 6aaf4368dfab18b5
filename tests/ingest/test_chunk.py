"""ingest/chunk.py: sentences, and passages that are verbatim, bounded and whole-sentence."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.chunk import DEFAULT_MAX_TOKENS, chunk_article, count_tokens, sentences
from ingest.load import Document
from ingest.pipeline import build_article, ingest_corpus
from ingest.records import PASSAGE_REFERENCE, PASSAGE_TEXT, ArticleMeta


def _split(text: str) -> list[str]:
    return [text[s:e] for s, e in sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It works. It lasts.", ["It works.", "It lasts."]),
        ("Some drugs, e.g. ketamine, act fast. Others do not.", ["Some drugs, e.g. ketamine, act fast.", "Others do not."]),
        ("Others, i.e. Most of them, do not. Fine.", ["Others, i.e. Most of them, do not.", "Fine."]),
        ("Krupitsky et al. Found this. It held.", ["Krupitsky et al. Found this.", "It held."]),
        ("Dr. Lynne McInnes agrees. So do others.", ["Dr. Lynne McInnes agrees.", "So do others."]),
        ("The U.S. Government agreed. Then it left.", ["The U.S. Government agreed.", "Then it left."]),
        ("Zarate C. A. Jr. Wrote it. Done.", ["Zarate C. A. Jr. Wrote it.", "Done."]),
        ("Overdoses caused 20.7 deaths per 100,000 people. Opioids dominate.", ["Overdoses caused 20.7 deaths per 100,000 people.", "Opioids dominate."]),
        ("The dose was 0.5 mg/kg. It worked.", ["The dose was 0.5 mg/kg.", "It worked."]),
        ("Scores averaged 20.7 (SD 3.1) at baseline. Then fell.", ["Scores averaged 20.7 (SD 3.1) at baseline.", "Then fell."]),
        ("It was approved in 2019. The FDA agreed.", ["It was approved in 2019.", "The FDA agreed."]),
        ("It reduces harmful drinking.12 A review agreed.", ["It reduces harmful drinking.12", "A review agreed."]),
        ("Typical in opioid addiction.1 A recent study disagreed.", ["Typical in opioid addiction.1", "A recent study disagreed."]),
        ("It cut doses.6, 9 Then it stopped.", ["It cut doses.6, 9", "Then it stopped."]),
        ("Adverse consequences.[1] The causes are complex.", ["Adverse consequences.[1]", "The causes are complex."]),
        ("Withdrawal symptoms.[7], [8] As a known analgesic, it helps.", ["Withdrawal symptoms.[7], [8]", "As a known analgesic, it helps."]),
        ("Is it increasing.[9], [13], [16]. Alcoholism follows.", ["Is it increasing.[9], [13], [16].", "Alcoholism follows."]),
        ("Does it work? Some say yes.", ["Does it work?", "Some say yes."]),
        ("It works! Really.", ["It works!", "Really."]),
        ("Interest grew… Research followed.", ["Interest grew…", "Research followed."]),
        ("He said “it works.” Then he left.", ["He said “it works.”", "Then he left."]),
        ('He said "it works." Then he left.', ['He said "it works."', "Then he left."]),
        ("It is “a dreamlike state.”17 In it, patients drift.", ["It is “a dreamlike state.”17", "In it, patients drift."]),
        ("Is it safe?” she asked.", ["Is it safe?” she asked."]),  # lower case after: the quote goes on
        ("Rates were high. (60% for the control group.) But typical.", ["Rates were high.", "(60% for the control group.)", "But typical."]),
        ("A first point. - A bullet.", ["A first point.", "- A bullet."]),
        ("The dose was high. and yet safe.", ["The dose was high. and yet safe."]),  # no capital: no new sentence
        ("No end punctuation", ["No end punctuation"]),
        ("  Padded.   Text.  ", ["Padded.", "Text."]),
        ("", []),
    ],
)
def test_sentences(text, expected):
    assert _split(text) == expected


def test_sentences_offsets_are_absolute_within_a_region():
    text = "Skip me. First one. Second one. Skip me too."
    start, end = text.index("First"), text.index(" Skip me too")
    assert [text[s:e] for s, e in sentences(text, start, end)] == ["First one.", "Second one."]


# --- long paragraphs and the ``fits`` predicate --------------------------------

WORDS = "one two three four five six seven eight nine ten eleven twelve".split()
LONG_PARAGRAPH = " ".join(f"Sentence {w} talks about rivers and lakes in some detail." for w in WORDS)


def _article(body: str, article_id: str = "t"):
    text = f"A Title\n\n{body}\n"
    return build_article(ArticleMeta(id=article_id, file=f"{article_id}.txt"), Document(path=Path(f"{article_id}.txt"), sha256="0", text=text))


def test_long_paragraph_is_split_between_sentences_only():
    a = _article(LONG_PARAGRAPH)
    assert count_tokens(LONG_PARAGRAPH) > 40  # the paragraph really is over the budget
    chunks = chunk_article(a, max_tokens=40, target_tokens=30)
    texts = [p.text for p in chunks.passages]
    assert texts == [
        "Sentence one talks about rivers and lakes in some detail. Sentence two talks about rivers and lakes in some detail. Sentence three talks about rivers and lakes in some detail.",
        "Sentence four talks about rivers and lakes in some detail. Sentence five talks about rivers and lakes in some detail. Sentence six talks about rivers and lakes in some detail.",
        "Sentence seven talks about rivers and lakes in some detail. Sentence eight talks about rivers and lakes in some detail. Sentence nine talks about rivers and lakes in some detail.",
        "Sentence ten talks about rivers and lakes in some detail. Sentence eleven talks about rivers and lakes in some detail. Sentence twelve talks about rivers and lakes in some detail.",
    ]
    assert all(p.n_tokens <= 40 for p in chunks.passages)
    assert chunks.oversize == 0


def test_fits_predicate_is_honoured():
    a = _article(LONG_PARAGRAPH + "\n\nA short closing paragraph.")
    # Within the token budget the paragraph is one passage ...
    assert [len(p.text) for p in chunk_article(a).passages] == [len(LONG_PARAGRAPH), len("A short closing paragraph.")]
    # ... but a caller's bound of 150 characters splits it between sentences.
    chunks = chunk_article(a, fits=lambda t: len(t) <= 150)
    sent = [f"Sentence {w} talks about rivers and lakes in some detail." for w in WORDS]
    assert [p.text for p in chunks.passages] == [
        f"{sent[0]} {sent[1]}",
        f"{sent[2]} {sent[3]}",
        f"{sent[4]} {sent[5]}",
        f"{sent[6]} {sent[7]}",
        f"{sent[8]} {sent[9]}",
        f"{sent[10]} {sent[11]}\n\nA short closing paragraph.",  # 149 characters: the join still fits
    ]
    assert chunks.oversize == 0


def test_a_sentence_over_every_bound_is_kept_whole_and_counted():
    a = _article("A fairly long single sentence that cannot be split anywhere at all.")
    chunks = chunk_article(a, max_tokens=5, target_tokens=5)
    assert [p.text for p in chunks.passages] == ["A fairly long single sentence that cannot be split anywhere at all."]
    assert chunks.oversize == 1


def test_short_paragraphs_of_one_section_are_joined_up_to_the_target():
    a = _article("First short one.\n\nSecond short one.\n\nA Heading\n\nThird short one.")
    assert [(p.text, p.section) for p in chunk_article(a).passages] == [
        ("First short one.\n\nSecond short one.", None),
        ("Third short one.", "A Heading"),
    ]


@pytest.mark.parametrize(("max_tokens", "target_tokens"), [(100, 0), (100, 101), (0, 0)])
def test_bad_sizes_are_refused(max_tokens, target_tokens):
    with pytest.raises(ValueError, match="target_tokens"):
        chunk_article(_article("Body."), max_tokens=max_tokens, target_tokens=target_tokens)


# --- every passage of the real corpus -----------------------------------------


def _by_article(corpus_result):
    arts = {a.id: a for a in corpus_result.articles}
    out = {aid: [] for aid in arts}
    for p in corpus_result.passages:
        out[p.article_id].append(p)
    return [(arts[aid], ps) for aid, ps in out.items()]


def test_corpus_has_passages_of_both_kinds(corpus_result):
    kinds = {p.kind for p in corpus_result.passages}
    assert kinds == {PASSAGE_TEXT, PASSAGE_REFERENCE}
    assert corpus_result.oversize_sentences == 0


def test_corpus_passages_are_verbatim(corpus_result):
    arts = {a.id: a for a in corpus_result.articles}
    for p in corpus_result.passages:
        assert arts[p.article_id].text[p.char_start : p.char_end] == p.text, p.id
        assert p.text and p.text == p.text.strip(), p.id


def test_corpus_passages_fit_the_token_budget(corpus_result):
    for p in corpus_result.passages:
        assert p.n_tokens == count_tokens(p.text), p.id
        assert p.n_tokens <= DEFAULT_MAX_TOKENS, p.id


def test_corpus_text_passages_start_and_end_at_sentence_boundaries(corpus_result):
    for a, passages in _by_article(corpus_result):
        starts, ends = set(), set()
        for para in a.paragraphs:
            for s, e in sentences(a.text, para.start, para.end):
                starts.add(s)
                ends.add(e)
        for p in passages:
            if p.kind == PASSAGE_TEXT:
                assert p.char_start in starts, f"{a.id}: starts mid-sentence: {p.text[:60]!r}"
                assert p.char_end in ends, f"{a.id}: ends mid-sentence: {p.text[-60:]!r}"


def test_corpus_passages_of_an_article_do_not_overlap(corpus_result):
    for a, passages in _by_article(corpus_result):
        spans = sorted((p.char_start, p.char_end) for p in passages)
        for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
            assert e1 <= s2, f"{a.id}: {a.text[s1:e1][:40]!r} overlaps {a.text[s2:e2][:40]!r}"


def test_corpus_every_body_sentence_is_in_a_text_passage(corpus_result):
    for a, passages in _by_article(corpus_result):
        body_end = a.references_span.start if a.references_span else len(a.text)
        spans = [(p.char_start, p.char_end) for p in passages if p.kind == PASSAGE_TEXT]
        assert all(e <= body_end for _, e in spans), a.id
        for para in a.paragraphs:
            if para.start < body_end:
                for s, e in sentences(a.text, para.start, para.end):
                    assert any(ps <= s and e <= pe for ps, pe in spans), f"{a.id}: {a.text[s:e][:50]!r} is in no passage"


def test_corpus_text_passage_section_is_the_section_at_its_start(corpus_result):
    for a, passages in _by_article(corpus_result):
        for p in passages:
            if p.kind == PASSAGE_TEXT:
                sec = a.section_at(p.char_start)
                assert sec is not None and p.section == sec.heading, p.id
                assert p.char_end <= sec.end, f"{a.id}: passage crosses into the next section"


def test_corpus_one_reference_passage_per_entry(corpus_result):
    for a, passages in _by_article(corpus_result):
        refs = [p for p in passages if p.kind == PASSAGE_REFERENCE]
        assert [(p.char_start, p.char_end, p.ref_ids) for p in refs] == [(r.char_start, r.char_end, [r.ref_id]) for r in a.references]
        assert all(p.section == "References" for p in refs)
    assert sum(p.kind == PASSAGE_REFERENCE for p in corpus_result.passages) == 42  # 20 + 22 entries


def test_corpus_text_passage_ref_ids_are_the_markers_inside_it(corpus_result):
    cited_somewhere = False
    for a, passages in _by_article(corpus_result):
        for p in passages:
            if p.kind != PASSAGE_TEXT:
                continue
            inside = [m for m in a.markers if p.char_start <= m.char_start and m.char_end <= p.char_end]
            expected = list(dict.fromkeys(rid for m in inside for rid in m.ref_ids))
            assert p.ref_ids == expected, p.id
            assert all(m.literal in p.text for m in inside)
            cited_somewhere |= bool(expected)
    assert cited_somewhere


def test_corpus_markers_are_never_cut_by_a_passage_edge(corpus_result):
    for a, passages in _by_article(corpus_result):
        for p in passages:
            for m in a.markers:
                inside = p.char_start <= m.char_start and m.char_end <= p.char_end
                outside = m.char_end <= p.char_start or p.char_end <= m.char_start
                assert inside or outside, f"{a.id}: marker {m.literal!r} cut by {p.id}"


def test_corpus_passage_ids_are_unique(corpus_result):
    ids = [p.id for p in corpus_result.passages]
    assert len(ids) == len(set(ids))


def test_corpus_passage_ids_are_stable_across_ingests(corpus_dir, corpus_result):
    again = ingest_corpus(corpus_dir)
    assert [p.id for p in again.passages] == [p.id for p in corpus_result.passages]
    assert [r.ref_id for a in again.articles for r in a.references] == [r.ref_id for a in corpus_result.articles for r in a.references]


def test_passage_id_depends_on_content_not_position():
    a = _article("Alpha beta gamma.", "x")
    b = _article("Alpha beta gamma.", "y")
    c = _article("Alpha beta delta.", "x")
    ids = [chunk_article(art).passages[0].id for art in (a, a, b, c)]
    assert ids[0] == ids[1] and len({ids[0], ids[2], ids[3]}) == 3
