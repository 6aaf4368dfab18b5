"""The JSON contract: request and response models, defined once for the CLI and the HTTP API."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from safety.notices import Resource
from safety.types import KINDS

Kind = Literal[KINDS]  # "crisis", "refused", "advice", "answer", "no_answer"; defined once, in safety.types
MAX_QUESTION = 1000
MAX_HISTORY = 5
MAX_SCOPE = 20  # articles a question may be limited to
# The characters str.strip() removes (str.isspace), spelled out for the OpenAPI schema: JSON Schema's `\s`
# (ECMA-262) is another set (it lacks \x1c-\x1f and \x85, and has \ufeff).
_WS = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Some character that is not whitespace: what `.strip()` leaves non-empty.
NOT_BLANK_PATTERN = rf"[^{_WS}]"


def _trimmed_pattern(max_chars: int) -> str:
    """1 to ``max_chars`` characters between the first and the last that are not whitespace."""
    return rf"^[{_WS}]*[^{_WS}](?:[\s\S]{{0,{max_chars - 2}}}[^{_WS}])?[{_WS}]*$"


# 1 to MAX_QUESTION characters once surrounding whitespace is trimmed.
QUESTION_PATTERN = _trimmed_pattern(MAX_QUESTION)


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
    articles: list[str] | None = Field(
        None, min_length=1, max_length=MAX_SCOPE,
        description="Limit the answer to these articles (ids from GET /articles); an unknown id is a 422 that names "
        "it. Routing and crisis handling are the same whatever the scope.",
        json_schema_extra={"items": {"type": "string", "minLength": 1, "maxLength": 200}},
    )
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

    @field_validator("top_k", mode="before")
    @classmethod
    def _top_k(cls, v):
        if isinstance(v, bool):  # JSON true is not the integer 1
            raise ValueError("top_k must be an integer, not true or false")
        return v

    @field_validator("articles")
    @classmethod
    def _articles(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return v
        for i, a in enumerate(v):
            _unicode(a, f"articles[{i}]")
            if not 1 <= len(a) <= 200:
                raise ValueError(f"articles[{i}] must be 1 to 200 characters")
        return list(dict.fromkeys(v))

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
    format: str = Field("text", description="\"text\" for a web article; \"pdf\" or \"jats\" for a scientific paper (a source).")
    doi: str | None = Field(None, description="A paper's own DOI.")
    pdf_url: str | None = Field(None, description="A PDF source: GET it for the original file (#page=N opens a page).")


class EvidenceOut(BaseModel):
    """A passage of the cited paper itself that best supports a citing sentence; precomputed at ingest."""

    source_id: str = Field(description="The cited paper, as a source in the corpus (GET /articles/{source_id}).")
    passage_id: str
    quote: str = Field(description="Verbatim: the source's cleaned text at `span`.")
    page: int | None = Field(None, description="1-based PDF page; null for JATS.")
    span: SpanOut
    highlight: SpanOut | None = Field(None, description="Offsets inside `quote` of its sentence that best supports the citing sentence.")
    score: float = Field(description="How well it supports the sentence (0 to 1; higher is better).")


class CitationOut(BaseModel):
    ref_id: str
    number: int | None = Field(description="The entry's number in the article's reference list (null if unnumbered).")
    text: str = Field(description="The full reference entry.")
    doi: str | None = None
    url: str | None = None
    work_id: str | None = Field(None, description="The cited work, across all articles (GET /works/{work_id}).")
    evidence: list[EvidenceOut] = Field(
        default_factory=list,
        description="When the cited paper is itself in the corpus: its passages that best support the sentences of "
        "this quote that cite it (at most 2, best first).",
    )


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
    articles: list[str] | None = Field(
        None, description="The articles the question was limited to (null: all). A no_answer within them suggests "
        "the same question, to ask of all the articles."
    )


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


class PageOut(BaseModel):
    page: int = Field(description="1-based page of a PDF source.")
    span: SpanOut


class ArticleDetail(ArticleOut):
    text: str = Field(description="The cleaned text; every quote's span points into it.")
    sections: list[SectionOut]
    references: list[ReferenceOut]
    pages: list[PageOut] = Field(default_factory=list, description="A PDF source: which span of the text each page holds.")


class ArticleSummary(ArticleOut):
    passages: int
    references: int


class CitingOut(BaseModel):
    """A sentence of an article that cites a work, by a marker or by naming it."""

    article: ArticleOut
    passage_id: str | None = Field(description="The passage that holds the sentence.")
    sentence: str = Field(description="Verbatim: the article's cleaned text at `span`.")
    span: SpanOut
    marker: str | None = Field(None, description="The citation marker's text, e.g. \"[7]\"; null for a mention by name.")
    marker_span: SpanOut | None = None
    ref_id: str | None = Field(None, description="The reference entry the marker resolves to.")
    mention: str | None = Field(None, description="For a citation without a marker: the words that name the work.")
    evidence: list[EvidenceOut] = Field(default_factory=list)


class SourceOut(BaseModel):
    """The cited paper itself, when it is in the corpus."""

    id: str
    title: str | None = None
    format: str = Field(description="\"pdf\" or \"jats\".")
    doi: str | None = None
    pdf_url: str | None = Field(None, description="GET this for the original PDF (add #page=N to open it at a page).")
    matched_by: str = Field(description="How the paper was linked to the work: \"doi\" or \"title\".")


class WorkSummary(BaseModel):
    id: str
    title: str | None = None
    authors: list[str]
    year: int | None = None
    journal: str | None = None
    doi: str | None = None
    doi_url: str | None = None
    cited_by_articles: int = Field(description="How many articles cite it (in their reference list or by name).")
    citing_sentences: int
    has_source: bool = Field(description="Whether the paper itself is in the corpus.")


class WorkEntry(BaseModel):
    """One article's reference-list entry for the work, exactly as listed."""

    article: ArticleOut
    ref_id: str
    number: int | None = None
    text: str
    span: SpanOut


class WorkDetail(WorkSummary):
    entries: list[WorkEntry]
    citing: list[CitingOut]
    source: SourceOut | None = None


class ReferenceHit(BaseModel):
    reference: ReferenceOut
    score: float
    articles: list[ArticleOut] = Field(description="Every article whose reference list has this work.")
    work: WorkSummary | None = Field(None, description="The work this entry names, across all articles.")
    citing: list[CitingOut] = Field(default_factory=list, description="Every sentence, in any article, that cites the work.")


MAX_VERIFY = 5000
VERDICTS = ("exact", "near", "not_found")
Verdict = Literal[VERDICTS]


class VerifyRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"text": "Ketamine is an NMDA receptor antagonist. It was first made in 1962."}]},
    )
    text: str = Field(description=f"One or more sentences, 1 to {MAX_VERIFY} characters after trimming.",
                      # documents what `_text` enforces (as for a question): not blank, and the limit after trimming
                      json_schema_extra={"minLength": 1, "pattern": _trimmed_pattern(MAX_VERIFY)})

    @field_validator("text")
    @classmethod
    def _text(cls, v: str) -> str:
        _unicode(v, "text")
        v = v.strip()
        if not v:
            raise ValueError("text must not be empty")
        if len(v) > MAX_VERIFY:
            raise ValueError(f"text must be at most {MAX_VERIFY} characters after trimming (got {len(v)})")
        return v


class DiffOp(BaseModel):
    """A run of whole words; consecutive runs are joined with one space."""

    op: Literal["equal", "insert", "delete"] = Field(
        description="equal: in both; insert: only in the pasted sentence; delete: only in the source."
    )
    text: str


class MatchOut(BaseModel):
    article: ArticleOut
    passage_id: str | None = None
    quote: str = Field(description="Verbatim: the document's cleaned text at `span` (the matching sentence).")
    span: SpanOut
    section: str | None = None
    page: int | None = None
    similarity: float = Field(description="1.0 for exact; else a 0-1 word-level similarity.")
    meaning: float | None = Field(None, description="related only: the cosine between the two sentences' embeddings.")
    diff: list[DiffOp] = Field(default_factory=list, description="Word-level differences (near matches only).")
    numbers_changed: bool = Field(False, description="The sentence and the source differ in a number.")
    citations: list[CitationOut] = Field(default_factory=list, description="Works the source sentence cites, with their evidence.")


class VerdictOut(BaseModel):
    sentence: str
    span: SpanOut = Field(description="Where the sentence is in the submitted text.")
    verdict: Verdict
    matches: list[MatchOut] = Field(description="exact: every place it occurs; near: the closest matches; not_found: none.")
    related: list[MatchOut] = Field(
        default_factory=list, description="not_found only: the closest sentences by meaning, for a person to judge."
    )


class VerifyResponse(BaseModel):
    sentences: list[VerdictOut]
    counts: dict[str, int]


class Health(BaseModel):
    status: Literal["ok"]
    index_version: str
    model: str
    counts: dict[str, int]
    worker: int = Field(0, description="Which worker process answered (0 to N-1 under `verbatim serve --workers N`; "
                        "0 for a single process).")


class ErrorOut(BaseModel):
    error: str = Field(description="What was wrong, in one sentence.")
    detail: list[dict] | None = None
