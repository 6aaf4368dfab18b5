"""ingest/clean.py: boilerplate lines go, prose stays byte for byte.

Each case below is literal input -> literal output and documents one rule.
"""
from __future__ import annotations

import pytest

from ingest.clean import clean

NBSP = "\xa0"

# (raw, cleaned text): one rule per line.
DROPPED = [
    pytest.param("Skip to content\n\nA Title\n\nBody text.", "A Title\n\nBody text.", id="skip-to-content-at-top"),
    pytest.param("A Title\n\nBody text.\n\nSkip to content", "A Title\n\nBody text.", id="skip-to-content-at-end"),
    pytest.param(
        "A Title\n\nBody text.\n\nPrevious\nPrevious\n\nAre You a Good Candidate?\n\nNext\nNext\n\nKetamine Vs. Psilocybin Therapy",
        "A Title\n\nBody text.",
        id="pager-and-linked-post-titles",
    ),
    pytest.param("Learn / A Title\n\nA Title\n\nBody text.", "A Title\n\nBody text.", id="breadcrumb"),
    pytest.param(
        f"A Title\n\nBy{NBSP} \nHannah Friedman\n|\n{NBSP}May 2nd, 2022| {NBSP}  Clinically Reviewed by{NBSP} \nRajnandini Rathod\n\nBody text.",
        "A Title\n\nBody text.",
        id="byline-author-date-reviewer",
    ),
    pytest.param(
        "A Title?\n\n" + "by\n\nCharles Maddix, APRN, MSN, PMHNP-BC\n\nSep 17, 2024\n\nA Title?\n\n" * 3
        + "by\n\nCharles Maddix, APRN, MSN, PMHNP-BC\n\nSep 17, 2024\n\nBody text.",
        "A Title?\n\nBody text.",
        id="title-and-byline-repeated-four-times",
    ),
    pytest.param("A Title\n\nBody text.\n\nReviewed by Rajnandini Rathod\n\nMore text.", "A Title\n\nBody text.\n\nMore text.", id="reviewed-by-name"),
    pytest.param(
        "A Title\n\nBody text.\n\nIf you are interested, please schedule a complimentary consultation. You can read more on our blog.\n\nMore text.",
        "A Title\n\nBody text.\n\nMore text.",
        id="cta-consultation",
    ),
    pytest.param(
        "A Title\n\nBody text.\n\nMy comprehensive, step-by-step guide to ketamine therapy answers all of your questions.\n\nMore text.",
        "A Title\n\nBody text.\n\nMore text.",
        id="cta-guide",
    ),
    pytest.param(
        "A Title\n\nBody text.\n\nYou can browse a list of rehabs that offer ketamine-assisted therapy.\n\nMore text.",
        "A Title\n\nBody text.\n\nMore text.",
        id="cta-rehab-list",
    ),
    pytest.param("A Title\n\nBody text.\n\nLearn More\n\nMore text.", "A Title\n\nBody text.\n\nMore text.", id="cta-heading"),
    pytest.param(
        "A Title\n\nBody text.\n\nReturn to Resource Library\n\nOur Promise\n\nHow Is RehabPath Different?\n\nWe believe everyone deserves access to information.",
        "A Title\n\nBody text.",
        id="footer-after-resource-library",
    ),
    pytest.param(
        "A Title\n\nBody text.\n\nChoose Your Favorite Format\n\nSkip to content",
        "A Title\n\nBody text.",
        id="footer-choose-format",
    ),
    pytest.param("A Title\n\n  1. Smith J. A study. https://x.org/a []\n  2. Doe A. Another. [] []", "A Title\n\n  1. Smith J. A study. https://x.org/a\n  2. Doe A. Another.", id="trailing-backlinks"),
    pytest.param("A Title\r\n\r\nBody one.\r\n\r\n\r\n\r\nBody two.", "A Title\n\nBody one.\n\nBody two.", id="crlf-and-blank-runs"),
    pytest.param("\ufeffA Title\n\nBody text.", "A Title\n\nBody text.", id="byte-order-mark"),
]

# Prose that must survive untouched.
KEPT = [
    pytest.param(f"He called it “an alternative”{NBSP}– and meant it. Ketamine’s effects{NBSP}last.", id="curly-quotes-nbsp-en-dash"),
    pytest.param("The next day and the previous week were calm; next, we compare them.", id="next-previous-mid-sentence"),
    pytest.param("Next steps in research are discussed below.", id="line-starting-with-next"),
    pytest.param("Previous studies found the same effect.", id="line-starting-with-previous"),
    pytest.param("By the end of the study, most patients had improved.", id="line-starting-with-by"),
    pytest.param("Reviewed by the FDA in 2019, the drug was approved.", id="reviewed-by-in-prose"),
    pytest.param("Reviewed by the FDA in 2019.", id="short-reviewed-by-sentence"),
    pytest.param("This treatment was reviewed by experts in the field.", id="reviewed-by-mid-sentence"),
    pytest.param("May 2020 was a hard month for clinics.", id="month-and-year-in-prose"),
    pytest.param("A guide for clinicians is available.", id="guide-without-cta-phrase"),
    pytest.param("See [] here, an empty bracket inside a line.", id="brackets-inside-line"),
]


@pytest.mark.parametrize(("raw", "expected"), DROPPED)
def test_boilerplate_is_dropped(raw, expected):
    assert clean(raw).text == expected


@pytest.mark.parametrize("line", KEPT)
def test_prose_is_kept_byte_for_byte(line):
    raw = f"A Title\n\nFirst paragraph.\n\n{line}\n\nLast paragraph."
    assert clean(raw).text == raw


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        pytest.param("A Title\n\nBody.", "A Title", id="first-line"),
        pytest.param("Learn / A Title\n\nA Title\n\nBody.", "A Title", id="after-breadcrumb"),
        pytest.param("Skip to content\n\nA Title\n\nBody.", "A Title", id="after-skip-link"),
        pytest.param("Menu\nHome\n\nA Title\n\nBody.", "A Title", id="after-menu"),
        pytest.param("\n\n  A Title  \n\nBody.", "A Title", id="padded"),
        pytest.param("", None, id="empty"),
    ],
)
def test_title_is_the_first_line_that_is_not_navigation(raw, title):
    assert clean(raw).title == title


def test_each_removal_is_recorded_with_its_rule():
    raw = (
        "Learn / A Title\n\nA Title\n\nBy\nJane Doe\n\nBody text.\n\nA Title\n\n"
        "Please schedule a complimentary consultation.\n\nReturn to Resource Library\n\nOur Promise"
    )
    assert clean(raw).removed == [
        ("breadcrumb", "Learn / A Title"),
        ("byline", "By"),
        ("byline", "Jane Doe"),
        ("repeated-title", "A Title"),
        ("call-to-action", "Please schedule a complimentary consultation."),
        ("footer", "Return to Resource Library"),
        ("footer", "Our Promise"),
    ]


def test_lone_by_before_a_sentence_drops_only_the_by():
    assert clean("A Title\n\nBy\n\nThis sentence follows a lone by.\n\nBody.").text == "A Title\n\nThis sentence follows a lone by.\n\nBody."


# --- the real corpus ---------------------------------------------------------

BOILERPLATE = [
    "Skip to content",
    "Return to Resource Library",
    "Choose Your Favorite Format",
    "Our Promise",
    "schedule a complimentary consultation",
    "Previous",
    "Clinically Reviewed by",
    "How Is RehabPath Different?",
]


@pytest.fixture(scope="module")
def raw_texts(corpus_dir, articles) -> dict[str, str]:
    return {a.id: (corpus_dir / a.meta.file).read_text(encoding="utf-8") for a in articles.values()}


def _raw_line(line: str) -> str:
    """A raw line with trailing whitespace and trailing "[]" back-links removed."""
    line = line.rstrip()
    while line.endswith("[]"):
        line = line[:-2].rstrip()
    return line


def test_corpus_boilerplate_is_in_the_raw_files(raw_texts):
    # Guards the next test: each string is there to be removed in the first place.
    raw = "".join(raw_texts.values())
    assert [b for b in BOILERPLATE if b not in raw] == []


@pytest.mark.parametrize("boilerplate", BOILERPLATE)
def test_corpus_boilerplate_is_gone(articles, boilerplate):
    assert [a.id for a in articles.values() if boilerplate in a.text] == []


def test_corpus_title_appears_exactly_once(articles):
    for a in articles.values():
        assert a.text.count(a.meta.title) == 1, a.id
        assert a.text.split("\n", 1)[0] == a.meta.title, a.id


def test_corpus_cleaner_only_drops_whole_lines(articles, raw_texts):
    """Kept lines are raw lines (less trailing space and "[]"), in their original order."""
    for a in articles.values():
        raw_lines = [_raw_line(line) for line in raw_texts[a.id].split("\n")]
        it = iter(raw_lines)
        for line in a.text.split("\n"):
            if line.strip():
                assert any(line.rstrip() == r for r in it), f"{a.id}: {line[:60]!r} is not a raw line (or out of order)"


def test_corpus_every_raw_line_is_kept_or_recorded(articles, raw_texts):
    for a in articles.values():
        raw = sorted(s for s in (_raw_line(line).strip() for line in raw_texts[a.id].split("\n")) if s)
        kept = [line.strip() for line in a.text.split("\n") if line.strip()]
        assert raw == sorted(kept + [line for _, line in a.removed]), a.id


def test_corpus_cleaning_removes_only_boilerplate(articles):
    """The removals per article, by rule: a change here means prose may have been lost."""
    counts = {a.id: sorted({rule: sum(r == rule for r, _ in a.removed) for rule, _ in a.removed}.items()) for a in articles.values()}
    assert counts == {
        "iv-ketamine-for-opiate-addiction": [],
        "ketamine-assisted-therapy-for-substance-use-disorders": [("breadcrumb", 1), ("byline", 6), ("call-to-action", 1), ("footer", 5)],
        "ketamine-for-substance-abuse": [("call-to-action", 1), ("footer", 2)],
        "ketamine-promising-treatment-for-substance-use-disorders": [("byline", 12), ("repeated-title", 3)],
        "potential-of-ketamine-therapy-for-addiction": [("call-to-action", 2), ("footer", 6)],
    }


def test_pager_at_the_top_is_navigation_not_a_footer():
    raw = (
        "Previous\n\nAn Older Post\n\nThe Real Title\n\nFirst paragraph of prose.\n\n"
        "Second paragraph of prose.\n\nThird paragraph of prose.\n\nNext\n\nA Newer Post\n\nFooter words"
    )
    out = clean(raw)
    assert out.title == "The Real Title"
    assert out.text == "The Real Title\n\nFirst paragraph of prose.\n\nSecond paragraph of prose.\n\nThird paragraph of prose."
