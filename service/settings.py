"""One Settings class: every value can come from a ``VERBATIM_*`` environment variable."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

import re

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from safety.learned import MODEL_PATH as SAFETY_MODEL_PATH

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VERBATIM_", extra="ignore")

    corpus_dir: Path = Field(PROJECT_ROOT / "corpus", description="Folder of articles (and corpus/manifest.toml).")
    index_dir: Path = Field(PROJECT_ROOT / "data" / "index", description="Index root; git ignores data/.")
    max_tokens: int = Field(160, ge=16, le=2000, description="Largest passage, in cl100k_base tokens.")
    target_tokens: int = Field(110, ge=8, le=2000, description="Short paragraphs are joined up to this size.")
    fixed_chars: int | None = Field(
        None, ge=100, le=20000, description="Fixed character windows instead of passages; for the evaluation's comparison."
    )
    fixed_overlap: int = Field(0, ge=0, le=10000, description="Overlap of fixed windows, in characters.")
    max_file_bytes: int = Field(20 * 1024 * 1024, ge=1, description="Larger corpus files are skipped.")
    top_k: int = Field(5, ge=1, le=10)
    backend: Literal["onnx", "torch"] = Field(
        "onnx", description="Embedding backend: ONNX Runtime (exported once from the bundled model) or torch."
    )
    model_cache: Path = Field(PROJECT_ROOT / "data" / "models", description="Where the ONNX export of the model is kept.")
    safety_model: Path = Field(SAFETY_MODEL_PATH, description="The safety classifier (`verbatim train-safety` writes it).")
    threads: int | None = Field(
        None, ge=1, le=64, description="Encoder threads of each process; default: one per core, shared out among "
        "`verbatim serve --workers` processes (cores // workers, at least 1)."
    )
    ann: Literal["auto", "flat", "hnsw", "ivf"] = Field(
        "auto", description="FAISS index type; auto is exact search for small corpora, approximate for large ones."
    )
    cache_size: int = Field(2048, ge=0, le=1_000_000, description="Answers kept for repeated questions; 0 turns the cache off.")
    max_queue: int = Field(64, ge=1, le=10_000, description="Questions in progress or waiting; beyond it, 503 at once.")
    rate_limit: float = Field(
        60.0, ge=0, description="Questions per minute per client address (POST /ask, GET /references); 0 turns it off."
    )
    rate_burst: int = Field(20, ge=1, le=10_000, description="Questions a client may send at once before the rate applies.")
    # The largest valid question with its history is 6,000 characters; escaped as JSON (an emoji is
    # "\\ud83d\\ude00", 12 bytes) that is at most 72 KB, so every valid request fits.
    max_body_bytes: int = Field(128 * 1024, ge=256, le=10 * 2**20, description="Larger request bodies get 413.")
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed to call the API from a browser; empty means CORS is off."
    )
    embed_origins: list[str] = Field(
        default_factory=list,
        description="Origins (scheme://host[:port]) allowed to frame the embeddable chat page /embed, as a JSON "
        "list; empty means /embed cannot be framed either (frame-ancestors 'none').",
    )
    admin_token: str | None = Field(
        None, min_length=16, description="Bearer token for POST /admin/reload; without one, admin routes do not exist."
    )
    request_timeout: float = Field(
        10.0, ge=0.5, le=300, description="Seconds a request's headers and body may take to arrive; then 408 and the "
        "connection is closed (also a connection that sends nothing)."
    )
    max_connections: int = Field(
        4096, ge=16, le=1_000_000, description="Connections and requests in progress `verbatim serve` holds at once; "
        "beyond, 503 at once."
    )
    eval_token: str | None = Field(
        None, min_length=16,
        description="Bearer token of evaluation clients (`verbatim eval --url`), exempt from the rate limit; compared "
        "in constant time. Without one, every client is rate-limited.",
    )
    workers: int = Field(
        1, ge=1, le=64, description="Worker processes of `verbatim serve` (also --workers), sharing one listening "
        "socket; each loads the index (memory-mapped) and the model."
    )
    host: str = Field("127.0.0.1", description="Address `verbatim serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `verbatim serve` listens on.")

    @field_validator("embed_origins")
    @classmethod
    def _origins_only(cls, value: list[str]) -> list[str]:
        """Each entry goes into a CSP header and the page's postMessage allowlist: exact origins only (no path,
        wildcard, quote, space or semicolon), written the way browsers spell event.origin."""
        out = []
        for origin in value:
            o = origin.strip().rstrip("/").lower()
            if not _ORIGIN.fullmatch(o):
                raise ValueError(f"not an origin (scheme://host[:port]): {origin!r}")
            if o not in out:
                out.append(o)
        return out


_ORIGIN = re.compile(r"https?://(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?")
