"""The JSON contract: request and response models, defined once for the CLI and the HTTP API."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from safety.notices import Resource
from safety.types import KINDS

Kind = Literal[KINDS]  # "crisis", "refused", "advice", "answer", "no_answer"; defined once, in safety.types
MAX_QUESTION = 1000
MAX_HISTORY = 5
# The characters str.strip() removes (str.isspace), spelled out for the OpenAPI schema: JSON Schema's `\s`
# (ECMA-262) is another set (it lacks \x1c-\x1f and \x85, and has \ufeff).
_WS = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Some character that is not whitespace: what `.strip()` leaves non-empty.
NOT_BLANK_PATTERN = rf"[^{_WS}]"
# 1 to MAX_QUESTION characters once surrounding whitespace is trimmed.
QUESTION_PATTERN = rf"^[{_WS}]*[^{_WS}](?:[\s\S]{{0,{MAX_QUESTION - 2}}}[^{_WS}])?[{_WS}]*$"


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"question": "Does a single ketamine dose reduce drinking?", "top_k": 5},
                {"question": "and for alcohol?", "history": ["Does ketamine help with opioid withdrawal?"]},
            ]
        },
    )

    question: str = Field(
        description="1 to 1000 characters after trimming.",
        # Documents what `_question` enforces, so clients and schema-driven tests know a blank or over-long
        # question is rejected (422): 1 to 1000 characters between the first and last non-whitespace.
        json_schema_extra={"minLength": 1, "pattern": QUESTION_PATTERN},
    )
    top_k: int = Field(5, ge=1, le=10, description="How many passages, 1 to 10.")
    history: list[str] = Field(
        default_factory=list,
        max_length=MAX_HISTORY,
        description="The user's earlier questions, oldest first (at most 5).",
        json_schema_extra={"items": {"type": "string", "maxLength": MAX_QUESTION}},  # what `_history` enforces
    )

    @field_validator("question")
    @classmethod
    def _question(cls, v: str) -> str:
        _unicode(v, "question")
        v = v.strip()
        if not v:
            raise ValueError("question must not be empty")
        if len(v) > MAX_QUESTION:
            raise ValueError(f"question must be at most {MAX_QUESTION} characters after trimming (got {len(v)})")
        return v

    @field_validator("history")
    @classmethod
    def _history(cls, v: list[str]) -> list[str]:
        for i, h in enumerate(v):
            _unicode(h, f"history[{i}]")
            if len(h) > MAX_QUESTION:
                raise ValueError(f"history[{i}] must be at most {MAX_QUESTION} characters")
        return [h.strip() for h in v if h.strip()]


def _unicode(text: str, name: str) -> None:
    """JSON may escape half a surrogate pair (``"\\ud800"``); such text cannot be tokenized or sent back as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{name} must be valid Unicode text (it has an unpaired surrogate)") from None


class SpanOut(BaseModel):
    start: int = Field(description="Offset of the first character in the article's cleaned text.")
    end: int = Field(description="Offset just past the last character.")


class ArticleOut(BaseModel):
    id: str
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None


class CitationOut(BaseModel):
    ref_id: str
    number: int | None = Field(description="The entry's number in the article's reference list (null if unnumbered).")
    text: str = Field(description="The full reference entry.")
    doi: str | None = None
    url: str | None = None


class PassageOut(BaseModel):
    id: str
    quote: str = Field(description="Verbatim: equals the article's cleaned text at `span`.")
    highlight: SpanOut = Field(description="Offsets inside `quote` of the sentence(s) that best answer the question.")
    score: float
    article: ArticleOut
    section: str | None = None
    page: int | None = Field(None, description="1-based PDF page; null for web articles.")
    span: SpanOut
    citations: list[CitationOut]


class AskResponse(BaseModel):
    kind: Kind
    question: str
    notice: str | None = Field(
        description="Fixed text: the notice of a non-answer kind, a supportive line when an answer carries a crisis "
        "signal, a line saying Verbatim reads English when the message is in another language; else null."
    )
    disclaimer: str
    passages: list[PassageOut]
    resources: list[Resource] = Field(
        description="Help lines, to show before any passage: the crisis lines whenever the message carries a crisis signal."
    )
    suggestions: list[str]
    rule: str | None = Field(None, description="The routing rule that decided a non-answer kind (for audits).")


class ReferenceOut(CitationOut):
    article_id: str
    authors: list[str]
    year: int | None = None
    title: str | None = None
    journal: str | None = None
    span: SpanOut
    cited_by: list[str] = Field(description="Ids of the article's passages whose markers cite this entry.")
    cited_at: list[SpanOut] = Field(
        default_factory=list, description="Where in the article's text each marker citing this entry stands."
    )


class SectionOut(BaseModel):
    heading: str | None
    span: SpanOut


class ArticleDetail(ArticleOut):
    text: str = Field(description="The cleaned text; every quote's span points into it.")
    sections: list[SectionOut]
    references: list[ReferenceOut]


class ArticleSummary(ArticleOut):
    passages: int
    references: int


class ReferenceHit(BaseModel):
    reference: ReferenceOut
    score: float
    articles: list[ArticleOut] = Field(description="Every article whose reference list has this work.")


class Health(BaseModel):
    status: Literal["ok"]
    index_version: str
    model: str
    counts: dict[str, int]


class ErrorOut(BaseModel):
    error: str = Field(description="What was wrong, in one sentence.")
    detail: list[dict] | None = None
