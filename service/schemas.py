"""The JSON contract: request and response models, defined once for the CLI and the HTTP API."""
from __future__ import annotations

from pydantic import BaseModel, Field


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
    score: float
    article: ArticleOut
    section: str | None = None
    page: int | None = Field(None, description="1-based PDF page; null for web articles.")
    span: SpanOut
    citations: list[CitationOut]


class PassagesOut(BaseModel):
    passages: list[PassageOut]
