"""Properties of the citation-marker finder, the reference-list parser and the structure parser on any
Unicode input: never crash, every span lies inside the text it came from, spans are ordered and
disjoint, and what is reported as found really is in the text."""
from __future__ import annotations

from hypothesis import assume, example, given
from hypothesis import strategies as st

from ingest.markers import find_markers
from ingest.references import normalize_entry, parse_entry, parse_reference_list, split_entries
from ingest.structure import parse_structure
from tests.property.strategies import (
    any_document,
    citation,
    corpus_slice,
    document,
    nasty_text,
    props,
    reference_entry,
    reference_list,
    separator,
    unicode_text,
)

# Text rich in citation-like fragments.
cited_text = st.lists(st.tuples(st.one_of(citation, corpus_slice(200), nasty_text, unicode_text), separator), max_size=20).map(
    lambda xs: "".join(a + b for a, b in xs)
)
valid_numbers = st.one_of(st.just(set()), st.sets(st.integers(0, 1000), max_size=40), st.just(set(range(1, 60))))


@st.composite
def text_and_region(draw, text_strategy=st.one_of(cited_text, any_document)):
    text = draw(text_strategy)
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    return text, start, end


# ------------------------------------------------------------------------------------------ markers
@props(150)
@given(tr=text_and_region(), valid=valid_numbers)
@example(tr=("x[1-]y[3–5], [7]  drinking.12 B12 [999-1]", 0, 41), valid={12})
@example(tr=("[١٢] promising6, 9, 17, 18 and 46% and 20.7", 0, 44), valid={6, 9, 17, 18, 12})
@example(tr=("[1]" * 3, 1, 9), valid=set())
def test_markers_are_ordered_disjoint_spans_inside_the_region(tr, valid):
    text, start, end = tr
    found = find_markers(text, start, end, valid)
    prev_end = start
    for f in found:
        assert start <= f.start < f.end <= end
        assert f.start >= prev_end, "markers overlap or are out of order"
        prev_end = f.end
        literal = text[f.start : f.end]
        assert f.numbers, f"marker {literal!r} carries no number"
        assert all(isinstance(n, int) and n >= 0 for n in f.numbers)
        if literal.startswith("["):
            assert literal.endswith("]")
        else:
            # A flattened superscript: digits, every number names an entry, and they ascend.
            assert literal[0].isdigit() and literal[-1].isdigit()
            assert set(f.numbers) <= valid
            assert f.numbers == sorted(set(f.numbers))
    # Bracketed markers never depend on the reference list; superscripts need one.
    bracketed = [f for f in found if text[f.start] == "["]
    assert find_markers(text, start, end, set()) == bracketed
    assert find_markers(text, start, end, valid) == found  # deterministic


@props(80)
@given(
    before=st.one_of(cited_text, unicode_text),
    after=st.one_of(cited_text, unicode_text),
    n=st.integers(0, 999),
    m=st.integers(0, 999),
)
@example(before="[3],", after="[4]", n=12, m=13)
def test_an_inserted_bracket_marker_is_always_found(before, after, n, m):
    literal = f"[{n}, {m}]"
    text = f"{before} {literal} {after}"
    pos = len(before) + 1
    found = find_markers(text, 0, len(text), set())
    covering = [f for f in found if f.start <= pos and pos + len(literal) <= f.end]
    assert len(covering) == 1, f"{literal} in {text!r} not found: {found}"
    assert {n, m} <= set(covering[0].numbers)


@props(80)
@given(before=st.one_of(cited_text, unicode_text), after=st.one_of(cited_text, unicode_text), n=st.integers(1, 999))
def test_a_superscript_after_a_sentence_is_found_when_it_names_an_entry(before, after, n):
    text = f"{before} It reduces harmful drinking.{n} The {after}"
    pos = len(f"{before} It reduces harmful drinking.")
    found = find_markers(text, 0, len(text), {n})
    assert any(f.start == pos and f.end == pos + len(str(n)) and f.numbers == [n] for f in found), found
    # Without a reference list it is not a citation.
    assert not any(f.start == pos for f in find_markers(text, 0, len(text), set()))


# ------------------------------------------------------------------------------------------ references
@props(120)
@given(tr=text_and_region(st.one_of(reference_list(), any_document, cited_text)))
@example(tr=("1. A\n1. B\n 2 C []\n\n[]\nD\n3\xa0E", 0, 24))
def test_split_entries_are_ordered_stripped_spans_inside_the_list(tr):
    text, start, end = tr
    entries = split_entries(text, start, end)
    prev_end = start
    last_number = 0
    for e in entries:
        assert start <= e.start < e.end <= end
        assert e.start >= prev_end
        prev_end = e.end
        body = text[e.start : e.end]
        assert body == body.strip() and body.strip()
        if e.number is not None:
            assert e.number > last_number, "numbered entries must ascend"
            last_number = e.number
    nonblank_lines = [line for line in text[start:end].split("\n") if line.strip()]
    assert len(entries) <= len(nonblank_lines)


@props(80)
@given(bodies=st.lists(st.one_of(reference_entry, unicode_text, nasty_text), min_size=1, max_size=10))
def test_a_numbered_list_splits_into_its_entries(bodies):
    bodies = [normalize_entry(b.replace("\n", " ").replace("\r", " ")).lstrip("0123456789. ") for b in bodies]
    assume(all(b.strip() for b in bodies))
    text = "\n".join(f"{i}. {b}" for i, b in enumerate(bodies, 1))
    entries = split_entries(text, 0, len(text))
    assert [e.number for e in entries] == list(range(1, len(bodies) + 1))
    assert [normalize_entry(text[e.start : e.end]) for e in entries] == bodies


@props(150)
@given(entry=st.one_of(reference_entry, unicode_text, nasty_text, corpus_slice(400), cited_text))
@example(entry="Smith, J. (2019).  , 1")
@example(entry="Anon. (n.d.). . ")
@example(entry="Das RK, Krupitsky E.M., et al. . ; 2020")
def test_parse_entry_fields_are_quotes_of_the_entry(entry):
    f = parse_entry(entry)
    norm = normalize_entry(entry)
    for value in (f.title, f.journal, f.doi, f.url, *f.authors):
        if value is not None:
            assert isinstance(value, str)
            assert value in norm, f"field {value!r} is not in the entry {norm!r}"
    if f.year is not None:
        assert 1900 <= f.year <= 2099
    if f.doi is not None:
        assert f.doi.startswith("10.")
    if f.url is not None:
        assert f.url.startswith(("http://", "https://"))
    assert normalize_entry(norm) == norm  # the one-line form is a fixed point


@props(80)
@given(tr=text_and_region(st.one_of(reference_list(), document)))
# Regression: two identical unnumbered entries got the same ref_id (the service keys references by id).
@example(tr=("Ketamine for Substance Abuse\n\n000000\n\n000000", 0, 44))
def test_parse_reference_list_records_point_into_the_text(tr):
    text, start, end = tr
    refs = parse_reference_list("prop", text, start, end)
    assert len({r.ref_id for r in refs}) == len(refs), "reference ids collide"
    for r in refs:
        assert start <= r.char_start < r.char_end <= end
        assert r.text == normalize_entry(text[r.char_start : r.char_end])
        assert r.article_id == "prop"


# ------------------------------------------------------------------------------------------ structure
@props(120)
@given(text=any_document, line_mode=st.booleans(), title_from_text=st.booleans())
@example(text="References", line_mode=True, title_from_text=True)
@example(text="T\n\n1. a 2001\n2. b 2002\n3. c doi", line_mode=False, title_from_text=False)
def test_structure_spans_are_ordered_and_inside_the_text(text, line_mode, title_from_text):
    first = next((line.strip() for line in text.split("\n") if line.strip()), None)
    st_ = parse_structure(text, first if title_from_text else None, line_mode=line_mode)
    n = len(text)
    if st_.title_span is not None:
        s, e = st_.title_span
        assert text[s:e] == st_.title
    assert st_.sections, "there is always a first section"
    for i, sec in enumerate(st_.sections):
        assert 0 <= sec.start <= n and 0 <= sec.end <= n
        if sec.heading_start is not None:
            assert text[sec.heading_start : sec.heading_end] == sec.heading
            assert sec.heading_end <= sec.start
        if i:
            assert sec.start >= st_.sections[i - 1].start
    prev_end = 0
    for p in st_.paragraphs:
        assert prev_end <= p.start < p.end <= n
        prev_end = p.end
        body = text[p.start : p.end]
        assert body == body.strip() and body
        sec = st_.sections[p.section]
        assert sec.start <= p.start and p.end <= sec.end, "a paragraph lies outside its section"
    if st_.references_span is not None:
        s, e = st_.references_span
        assert 0 <= s <= e == n
