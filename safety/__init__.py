"""Safety routing, decided before retrieval: crisis, refused, advice or answer, and whether to show the
crisis lines.  Nothing here imports the service; the service calls `route()` (or a `Router`'s two steps,
`screen` then `decide`, when it embeds the vectors itself).

    normalise.py   the canonical text the rules read (spelling, slang, leetspeak, near-misses)
    rules/         the rules as data, a module per kind;  signal.py: words that carry a crisis signal
    engine.py      applies the rules per sentence and to the whole, follow-ups, then the learned layer
    learned.py     the classifier (plain arrays in model/classifier.npz); train.py fits it
    language.py    which language a message is in (lingua)
    notices.py     the fixed texts and help lines
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from safety.engine import Router, Screen, is_follow_up
from safety.learned import MODEL_PATH, Classifier, ModelError
from safety.types import KINDS, ROUTE_KINDS, Route

__all__ = ["KINDS", "ROUTE_KINDS", "Classifier", "ModelError", "Route", "Router", "Screen", "is_follow_up",
           "load_router", "route"]


def load_router(model: str | None = None, dim: int | None = None, path: Path = MODEL_PATH) -> Router:
    """A router with the stored classifier, checked against the embedding model (raises `ModelError`)."""
    return Router(Classifier.load(path, expect_model=model, expect_dim=dim))


@lru_cache(maxsize=1)
def _default_router() -> Router:
    return load_router()


def route(message: str, history: Sequence[str] = (), embed: Callable[[list[str]], np.ndarray] | None = None) -> Route:
    """Route one visitor message, given their earlier messages (oldest first).

    ``embed`` maps a list of texts to their vectors with the model the classifier was trained on; with it,
    the learned second opinion may raise the rules' route.  Without it, the rules decide alone."""
    if embed is None:
        return Router().route(message, history)
    return _default_router().route(message, history, embed)
