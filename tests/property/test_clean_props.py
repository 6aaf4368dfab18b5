"""Properties of ingest/clean.py on any Unicode input: never crash, keep kept lines verbatim, account for
every dropped line."""
from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from ingest.clean import NAV_LINE, clean, find_title
from tests.property.strategies import any_document, nasty_text, props, unicode_text

RULES = {"breadcrumb", "byline", "repeated-title", "navigation", "footer", "call-to-action"}
ARTIFACTS = re.compile(r"(?:\s|\[\])*")  # what may follow a kept line in the raw text: whitespace, "[]" back-links


def _bare(line: str) -> str:
    """A raw line without surrounding whitespace and trailing "[]" back-links: how the cleaner reports it."""
    return re.sub(r"(?:\s*\[\])+\s*$", "", line).strip()


def _raw_lines(raw: str) -> list[str]:
    """The raw lines as the cleaner reads them (any line ending, a leading BOM ignored)."""
    return raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")


def _is_kept_form(kept: str, raw_line: str, first: bool) -> bool:
    """``kept`` is ``raw_line`` minus trailing whitespace and back-link artifacts (and, for the
    first line of the text, minus leading whitespace too)."""
    source = raw_line.lstrip() if first else raw_line
    return source.startswith(kept) and ARTIFACTS.fullmatch(source[len(kept) :]) is not None


@props(150)
@given(raw=any_document)
@example(raw="")
@example(raw="\ufeff\ufeff\r\n\r")
@example(raw="Title\r\nBy\r\nJane Doe\r\n\r\nBody [] []  \r\nOur Promise\r\nfooter")
@example(raw="  Title\x1c\n\x85\n\u2028 []")
def test_clean_keeps_lines_verbatim_and_accounts_for_every_dropped_line(raw):
    cleaned = clean(raw)
    text = cleaned.text
    assert clean(raw) == cleaned  # deterministic: no state carried between calls

    # Shape: normalised line ends, no padding, blank runs collapsed.
    assert "\r" not in text
    assert "\n\n\n" not in text
    assert text == text.strip()

    # Every kept line is a raw line, in order, verbatim up to trailing whitespace and "[]" artifacts.
    raw_lines = _raw_lines(raw)
    kept = [line for line in text.split("\n") if line]
    j = 0
    for k, line in enumerate(kept):
        while j < len(raw_lines) and not _is_kept_form(line, raw_lines[j], first=k == 0):
            j += 1
        assert j < len(raw_lines), f"cleaned line {line!r} is not a raw line (in order)"
        j += 1

    # Every dropped line is reported once, with a known rule, as the stripped raw line.
    stripped_raw = [_bare(r) for r in raw_lines]
    for rule, line in cleaned.removed:
        assert rule in RULES
        assert line and line in stripped_raw
    # Accounting: each non-blank raw line is either kept or reported removed.
    nonblank_raw = sum(1 for r in raw_lines if _bare(r))
    assert len(kept) + len(cleaned.removed) == nonblank_raw

    # The title is one of the raw lines, and never a navigation line.
    if cleaned.title is not None:
        assert cleaned.title in stripped_raw
        assert cleaned.title == cleaned.title.strip() and cleaned.title
        assert NAV_LINE.match(cleaned.title) is None


@props(80)
@given(raw=any_document.map(lambda s: s.replace("\r", "")), crlf=st.booleans(), bom=st.booleans())
def test_clean_ignores_line_endings_and_a_leading_bom(raw, crlf, bom):
    variant = raw.replace("\n", "\r\n" if crlf else "\r")
    if bom:
        variant = "\ufeff" + variant
    assert clean(variant) == clean(raw)


@props(100)
@given(
    lines=st.lists(st.one_of(unicode_text, nasty_text, st.sampled_from(["Previous", "Next", "Menu", "Home / A", "A"])), max_size=12),
    padding=st.lists(st.sampled_from(["", "  ", "\t", "Skip to content", "  Skip to main content "]), max_size=4),
)
@example(lines=[], padding=[])
@example(lines=["", "  ", "\u200b"], padding=[])
@example(lines=["Previous", "A linked post", "Real Title"], padding=["Skip to content"])
@example(lines=["Learn / Real Title", "Real Title"], padding=[])
def test_find_title_is_a_stripped_line_and_skips_leading_navigation(lines, padding):
    title = find_title(lines)
    if title is not None:
        assert title and title == title.strip()
        assert title in [line.strip() for line in lines]
        assert NAV_LINE.match(title) is None
    # Blank lines and "Skip to content" links above the page never change its title
    # (unless a breadcrumb on the page names them).
    if not any("Skip to" in line for line in lines):
        assert find_title(padding + lines) == title
    # A plain first line is the title.
    assert find_title(["Plain Title Line"] + lines) == "Plain Title Line"
