"""Hypothesis strategies and settings shared by the property tests.

The strategies aim at the regions where text handling breaks: every Unicode category (control
characters, NUL, bidi marks, zero-width and other format characters, combining marks, unusual
line and paragraph separators, non-ASCII digits), very long words, and documents assembled from
pieces of the real corpus mixed with citation markers, headings, reference lists, boilerplate
lines, blank lines and Windows line endings.

Every test runs a bounded number of examples with a derandomized (fixed) seed, so CI is
reproducible and the whole folder stays fast.  Set ``VERBATIM_PROPERTY_SCALE=20`` (say) to run
twenty times as many examples with fresh randomness when hunting for bugs locally.
"""
from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"

_SCALE = float(os.environ.get("VERBATIM_PROPERTY_SCALE", "1"))


def props(max_examples: int) -> settings:
    """Settings for one property test: ``max_examples`` (times the scale), no deadline, fixed seed."""
    return settings(
        max_examples=max(1, int(max_examples * _SCALE)),
        deadline=None,
        derandomize=_SCALE == 1,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                               HealthCheck.large_base_example],
        print_blob=True,
    )


# --------------------------------------------------------------------------------------- characters
# Characters that are known to trip text handling, each on purpose.
NASTY = [
    "\x00", "\x01", "\x07", "\x1b", "\x7f",  # NUL and other C0/DEL controls
    "\t", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f",  # whitespace that is not a space or newline
    "\r", "\n", "\r\n", "\n\n", "\x85", "\u2028", "\u2029",  # line ends, next line, line/paragraph separators
    "\xa0", "\u2007", "\u202f", "\u3000", "\u1680",  # no-break and other wide spaces
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\xad",  # zero-width characters, BOM, soft hyphen
    "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2069",  # bidi controls
    "\u0301", "\u0308", "\u0336", "\u20dd", "\u0903",  # combining marks (Mn, Me, Mc)
    "…", "’", "‘", "”", "“", "\"", "'", "ʼ", "`", "´",  # quotes and apostrophes
    "–", "—", "-", "/", "|", "•", "▪", "·", "*",  # dashes, slashes, bullets
    "[", "]", "[]", " []", "(", ")", ".", ",", ";", ":", "?", "!", "%",
    "¹", "²", "³", "⁵", "¹²", "٣", "१", "１２", "Ⅻ", "½",  # superscripts and non-ASCII digits
    "ß", "İ", "ı", "ﬁ", "Σ", "ς", "ǅ", "𝐀", "ｋ", "Ａ",  # case-mapping and compatibility oddities
    "\U0001F600", "\U0001F48A", "\U000E0001", "\U0010FFFF", "\uFFFF", "\uE000",  # emoji, tags, noncharacters, private use
]

# Any code point except surrogates: files are decoded as UTF-8, so ingest never sees a lone surrogate.
ANY_CHAR = st.characters(exclude_categories=("Cs",))
# The router also takes JSON strings, which can carry lone surrogates ("\ud800").
ANY_CHAR_WITH_SURROGATES = st.characters(codec=None, exclude_categories=())

nasty = st.sampled_from(NASTY)
unicode_text = st.text(ANY_CHAR, max_size=200)
unicode_with_surrogates = st.text(ANY_CHAR_WITH_SURROGATES, max_size=200)
# Text dense in the characters above.
nasty_text = st.lists(st.one_of(nasty, st.text(ANY_CHAR, max_size=3)), max_size=40).map("".join)
long_word = st.builds(
    lambda ch, n: ch * n,
    st.one_of(st.sampled_from(["a", "x", "1", ".", "!", "…", " ", "-", "[", "\u200b", "ketamine", "ab1", "[1]"]), ANY_CHAR),
    st.integers(200, 2500),
)

# --------------------------------------------------------------------------------------- corpus pieces
CORPUS_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
CORPUS_LINES = sorted({line for t in CORPUS_TEXTS for line in t.splitlines() if line.strip()})
assert CORPUS_TEXTS and CORPUS_LINES, "the property tests read the real corpus"


def _corpus_text(i: int) -> str:
    return CORPUS_TEXTS[i]


def _corpus_line(i: int) -> str:
    return CORPUS_LINES[i]


# Not st.sampled_from: that would put the whole corpus into every strategy's repr.
corpus_text = st.integers(0, len(CORPUS_TEXTS) - 1).map(_corpus_text)
corpus_line = st.integers(0, len(CORPUS_LINES) - 1).map(_corpus_line)


@st.composite
def corpus_slice(draw, max_len: int = 600) -> str:
    """A slice of a real article, cut anywhere (mid-word, mid-marker, mid-line)."""
    text = draw(corpus_text)
    start = draw(st.integers(0, len(text)))
    return text[start : start + draw(st.integers(0, max_len))]


# --------------------------------------------------------------------------------------- citations
_n = st.integers(0, 1200)


def _fmt(template: str, *parts):
    return st.tuples(*parts).map(lambda xs: template.format(*xs))


citation = st.one_of(
    _fmt("[{}]", _n),
    _fmt("[{},{}]", _n, _n),
    _fmt("[{}, {}]", _n, _n),
    _fmt("[{}-{}]", _n, _n),
    _fmt("[{}–{}]", _n, _n),
    _fmt("[{}], [{}]", _n, _n),
    _fmt("{}", _n),
    _fmt("{},{}", _n, _n),
    _fmt("{}, {}, {}", _n, _n, _n),
    _fmt(".{}", _n),
    _fmt(",{}", _n),
    _fmt("”{}", _n),
    _fmt("){}", _n),
    _fmt("(Smith {})", st.integers(1900, 2099)),
    _fmt("(Smith et al., {}; Jones, {})", st.integers(1900, 2099), st.integers(1900, 2099)),
    st.sampled_from(["⁵", "¹²", "[]", "[", "]", "[,]", "[1-]", "[-1]", "[1,,2]", "[١٢]", "[12a]", "[0]",
                     "20.7", "46%", "1 mg/kg", "2 weeks", "B12", "H2O", "2nd", "[1-999]", "[999-1]"]),
)

# --------------------------------------------------------------------------------------- lines of a page
heading = st.sampled_from([
    "References", "REFERENCES", "Reference", "Sources", "Works Cited", "Bibliography", "Citations",
    "Notes and References", "Introduction", "What is Ketamine?", "Conclusion", "2019 Findings",
    "Ketamine for Substance Abuse", "Learn / Ketamine for Substance Abuse", "Skip to content", "By", "by",
    "Hannah Friedman", "|", "May 2nd, 2022", "Sep 17, 2024 | News", "Clinically Reviewed by",
    "Reviewed by Jane Doe", "Previous", "Next", "Our Promise", "Return to Resource Library", "Learn More",
    "Share this article", "Please schedule a complimentary consultation today.", "• A bullet", "1. A numbered line",
])

reference_entry = st.one_of(
    _fmt("{}. Das RK, Krupitsky E.M., Zarate CA Jr, et al. Ketamine and the brain. J Psychopharmacol. {};{}:1-9.",
         st.integers(0, 999), st.integers(1900, 2099), _n),
    _fmt("{} Smith, J. A., & Lee, B. ({}). A title of a study. Journal of Things, 3(1), 1–2. https://doi.org/10.1000/{}",
         st.integers(0, 999), st.integers(1900, 2099), _n),
    _fmt("{}. Ketamine: A transformational catalyst. ({}). Retrieved from https://example.org/{} []",
         st.integers(0, 999), st.integers(1900, 2099), _n),
    _fmt("{}\xa0Jones AB. Title only {}", st.integers(0, 999), unicode_text),
    _fmt("Unnumbered Author, C. (n.d.). Something. {}", unicode_text),
    _fmt("{}. doi:10.{}/abc.{} {}", st.integers(0, 999), st.integers(1000, 99999), _n, unicode_text),
)


@st.composite
def reference_list(draw) -> str:
    """A reference list: a heading (or none) and entries, numbered in order or not, some wrapped."""
    lines = [draw(st.sampled_from(["References", "Sources", "REFERENCES", ""]))]
    for i in range(1, draw(st.integers(0, 12)) + 1):
        entry = draw(reference_entry)
        if draw(st.booleans()):  # renumber in order, the common case
            entry = f"{i}. " + entry.split(" ", 1)[-1]
        lines.append(entry)
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["", "continued on the next line 2020.", "[]", "  []  []"])))
    return "\n".join(lines)


def _join(pieces_and_seps: list[tuple[str, str]]) -> str:
    return "".join(p + s for p, s in pieces_and_seps)


separator = st.sampled_from(["", " ", " ", "\n", "\n", "\n\n", "\r\n", "\r\n\r\n", "\r", "\n\n\n\n", "\t", ". ", "\n \n"])

piece = st.one_of(
    corpus_slice(),
    corpus_line,
    citation,
    heading,
    reference_entry,
    nasty_text,
    unicode_text,
    long_word,
)

# A whole scraped page: a title, then pieces of prose, citations, headings and boilerplate, maybe a
# reference list at the end.
document = st.builds(
    lambda title, body, refs: title + "\n\n" + body + refs,
    st.one_of(heading, corpus_line, unicode_text, st.just("")),
    st.lists(st.tuples(piece, separator), max_size=25).map(_join),
    st.one_of(st.just(""), reference_list().map(lambda r: "\n\n" + r)),
)


@st.composite
def mutated_corpus_article(draw) -> str:
    """A whole real article with random insertions, deletions and line-ending changes."""
    text = draw(corpus_text)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    for _ in range(draw(st.integers(0, 8))):
        i = draw(st.integers(0, len(text)))
        op = draw(st.integers(0, 2))
        if op == 0:
            text = text[:i] + draw(st.one_of(nasty_text, citation, heading, separator)) + text[i:]
        elif op == 1:
            text = text[:i] + text[i + draw(st.integers(0, 200)) :]
        else:
            text = text[:i] + draw(long_word) + text[i:]
    return text


any_document = st.one_of(unicode_text, nasty_text, document, document, mutated_corpus_article())
