"""Remove web boilerplate from a scraped article, keeping its prose exactly as written.

The cleaner works line by line: a line is either kept verbatim (trailing
whitespace and trailing ``[]`` back-link artifacts aside) or dropped whole,
with the rule that dropped it recorded so the removal can be audited.

Rules, in the order they apply:

- ``breadcrumb``: ``Learn / <title>`` above the title.
- ``byline``: ``By`` / ``by`` lines and the author name after them, a lone
  ``|``, a date line, ``Clinically Reviewed by`` and the reviewer, and
  ``Reviewed by <name>``.
- ``repeated-title``: the title line again after its first occurrence (one
  page repeats its title-and-byline block four times).
- ``navigation``: ``Skip to content``, ``Previous``/``Next`` pagers and the
  linked post title after each.
- ``footer``: everything from a footer opener (``Return to Resource Library``,
  ``Our Promise``, a pager, ...) to the end.
- ``call-to-action``: paragraphs that sell (``schedule a complimentary
  consultation``, ``browse a list of rehabs``, ``step-by-step guide``...), and
  headings such as ``Learn More`` that only introduce them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"

BREADCRUMB = re.compile(r"^\s*(?:[^/\n]{1,40}\s/\s)+(?P<last>[^/\n]+?)\s*$")
BYLINE_BY = re.compile(r"^\s*by\s*$", re.IGNORECASE)
BYLINE_PIPE = re.compile(r"^\s*\|\s*$")
DATE_LINE = re.compile(rf"^\s*{_DATE}\s*(?:\|.*)?$")
REVIEWED_BY_END = re.compile(r"(?:Clinically\s+)?Reviewed\s+by\s*$", re.IGNORECASE)
# The reviewer's name starts with a capital: "Reviewed by the FDA in 2019." is prose.
REVIEWED_BY_LINE = re.compile(r"^\s*(?:Clinically\s+|Medically\s+)?Reviewed\s+by\s+(?-i:[A-Z]).{0,80}$", re.IGNORECASE)
NAV_LINE = re.compile(
    r"^\s*(?:Skip to (?:main )?content|Previous|Next|Prev|Older Posts?|Newer Posts?|Back to top"
    r"|Share(?: this(?: article| post)?)?|Tweet|Menu|Home)\s*$",
    re.IGNORECASE,
)
PAGER_LINE = re.compile(r"^\s*(?:Previous|Next|Prev)\s*$", re.IGNORECASE)
FOOTER_START = re.compile(
    r"^\s*(?:Return to (?:the )?Resource Library|Our Promise|Choose Your Favou?rite Format"
    r"|Related (?:Posts|Articles)|Leave a (?:Comment|Reply)|You (?:may|might) also like)\s*$",
    re.IGNORECASE,
)
CTA_HEADING = re.compile(
    r"^\s*(?:Learn More|Get Started|Get in Touch|Contact Us|Book (?:Now|a Consultation)|Take the Next Step)\s*$",
    re.IGNORECASE,
)
CTA_PHRASES = re.compile(
    r"schedule a (?:free |complimentary )?(?:consultation|call|appointment)"
    r"|book (?:a|an|your) (?:free )?(?:consultation|appointment|call)"
    r"|browse a list of (?:rehabs|clinics|providers|centers)"
    r"|step-by-step guide"
    r"|read more about .{1,60} on our blog"
    r"|(?:call|contact) us (?:today|now)"
    r"|sign up for our newsletter|subscribe to our newsletter",
    re.IGNORECASE,
)
BLANK_RUNS = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Cleaned:
    text: str
    title: str | None
    removed: list[tuple[str, str]] = field(default_factory=list)  # (rule, line)


def strip_backlinks(line: str) -> str:
    r"""``line`` without trailing whitespace and trailing ``[]`` back-link artifacts.

    A loop, not a regex: searching for the suffix ``(?:\s*\[\])+\s*$`` retries from every position of a
    long run of spaces or ``[]`` and takes quadratic time.
    """
    end = len(line)
    while True:
        while end and line[end - 1].isspace():
            end -= 1
        if not line.endswith("[]", 0, end):
            return line[:end]
        end -= 2


def _strip_line(line: str) -> str:
    return strip_backlinks(line)


def _next_nonblank(lines: list[str], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if lines[j].strip():
            return j
    return None


def _is_name_line(line: str) -> bool:
    """A short line that reads like a person's name (with optional credentials)."""
    s = line.strip()
    return 0 < len(s) <= 80 and len(s.split()) <= 10 and not s.endswith((".", "?", "!", ":"))


def _is_link_title(line: str) -> bool:
    """A short line that reads like the title of a linked post (it may end in "?")."""
    s = line.strip()
    return 0 < len(s) <= 100 and len(s.split()) <= 14 and not s.endswith((".", ":", ";", ","))


def find_title(lines: list[str]) -> str | None:
    """The first non-blank line that is neither navigation (``Skip to content``) nor a breadcrumb."""
    skip_link = False
    for line in lines:
        s = line.strip()
        if not s:
            continue
        if NAV_LINE.match(s):
            skip_link = skip_link or bool(PAGER_LINE.match(s))
            continue
        if skip_link and _is_link_title(s):  # the post a top-of-page pager links to
            skip_link = False
            continue
        m = BREADCRUMB.match(s)
        if m and any(other.strip() == m["last"] for other in lines):
            continue
        return s
    return None


def clean(raw: str) -> Cleaned:
    """Return the article's text with boilerplate lines removed, and what was removed."""
    lines = [_strip_line(line) for line in raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")]
    title = find_title(lines)
    drop: dict[int, str] = {}

    def mark(i: int | None, rule: str) -> None:
        if i is not None and i not in drop:
            drop[i] = rule

    def mark_with_name(i: int) -> None:
        """A byline line ("By", "Clinically Reviewed by") and the name on the line after it."""
        mark(i, "byline")
        j = _next_nonblank(lines, i)
        if j is not None and _is_name_line(lines[j]):
            mark(j, "byline")

    # Footer: drop from the first footer opener to the end.  A Previous/Next
    # pager opens the footer only in the second half of the page; near the top
    # it is just navigation (dropped below with the post title it links to).
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    second_half = nonblank[len(nonblank) // 2] if nonblank else 0
    footer_at = next(
        (i for i in nonblank if FOOTER_START.match(lines[i]) or (i >= second_half and PAGER_LINE.match(lines[i]))),
        None,
    )
    if footer_at is not None:
        for i in range(footer_at, len(lines)):
            if lines[i].strip():
                mark(i, "footer")

    seen_title = False
    for i, line in enumerate(lines):
        s = line.strip()
        if not s or i in drop:
            continue
        if title is not None and s == title:
            if seen_title:
                mark(i, "repeated-title")
            seen_title = True
            continue
        m = BREADCRUMB.match(s)
        if m and title is not None and m["last"] == title and not seen_title:
            mark(i, "breadcrumb")
        elif BYLINE_BY.match(s) or REVIEWED_BY_END.fullmatch(s):
            mark_with_name(i)
        elif BYLINE_PIPE.match(s) or DATE_LINE.match(s):
            if REVIEWED_BY_END.search(s):
                mark_with_name(i)
            else:
                mark(i, "byline")
        elif REVIEWED_BY_LINE.match(s) and len(s.split()) <= 8:
            mark(i, "byline")
        elif NAV_LINE.match(s):
            mark(i, "navigation")
            if PAGER_LINE.match(s):
                j = _next_nonblank(lines, i)
                while j is not None and PAGER_LINE.match(lines[j]):
                    mark(j, "navigation")
                    j = _next_nonblank(lines, j)
                if j is not None and _is_link_title(lines[j]) and not PAGER_LINE.match(lines[j]):
                    mark(j, "navigation")
        elif CTA_PHRASES.search(s):
            mark(i, "call-to-action")
        elif CTA_HEADING.match(s):
            mark(i, "call-to-action")

    kept = [line for i, line in enumerate(lines) if i not in drop]
    text = BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip()
    removed = [(rule, lines[i].strip()) for i, rule in sorted(drop.items())]
    return Cleaned(text=text, title=title, removed=removed)
