"""One Settings class: every value can come from a ``VERBATIM_*`` environment variable."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

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
    threads: int | None = Field(None, ge=1, le=64, description="torch intra-op threads; default: torch's choice.")
    host: str = Field("127.0.0.1", description="Address `verbatim serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `verbatim serve` listens on.")
