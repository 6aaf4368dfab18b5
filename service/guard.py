"""Nearest labelled examples: escalate a route the rules missed.

The rules in `service/router.py` catch what has a keyword; indirect statements
("i have all the pills lined up in front of me") often have none.  The guard
embeds the question with the same model as retrieval and finds the most similar
labelled phrasing in `service/route_examples.py`.  When that phrasing is a
crisis or a refusal, is at least `MIN_SIMILARITY` close, and is more cautious
than what the rules decided, the route is raised to its kind.  The guard never
lowers a route.

MIN_SIMILARITY was chosen by leave-one-out over the labelled phrasings (never
on the held-out table): at 0.55 the nearest example alone recovers 235 of 279
crisis and 134 of 153 refused phrasings, and raises 16 of 322 informational
and 9 of 177 advice phrasings, all towards the cautious side.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from index.embed import Embedder
from service.route_examples import examples
from service.router import KINDS, Route

MIN_SIMILARITY = 0.55
ESCALATE_TO = ("crisis", "refused")
_RANK = {k: i for i, k in enumerate(KINDS)}  # lower is more cautious


class ExampleGuard:
    """``cache_dir``: keep the exemplars' vectors there, keyed by the model and the exact phrasings,
    so that a server or `verbatim ask` starts without re-embedding them (about 3 s of CPU)."""

    def __init__(self, embedder: Embedder, min_similarity: float = MIN_SIMILARITY, cache_dir: Path | None = None):
        labelled = examples()
        self.texts = [q for q, _ in labelled]
        self.kinds = [k for _, k in labelled]
        self.vectors = self._vectors(embedder, cache_dir)
        self.min_similarity = min_similarity

    def _vectors(self, embedder: Embedder, cache_dir: Path | None) -> np.ndarray:
        if cache_dir is None:
            return embedder.encode(self.texts)
        key = hashlib.sha256("\n".join([embedder.name, str(embedder.dim), *self.texts]).encode()).hexdigest()[:16]
        path = Path(cache_dir) / f"guard-{key}.npy"
        try:
            vectors = np.load(path, allow_pickle=False)
            if vectors.shape == (len(self.texts), embedder.dim) and vectors.dtype == np.float32:
                return vectors
        except (OSError, ValueError):
            pass  # missing or unreadable: computed again and rewritten below
        vectors = embedder.encode(self.texts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
            with open(tmp, "wb") as f:
                np.save(f, vectors.astype(np.float32), allow_pickle=False)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only cache folder only costs the next start the same few seconds
        return vectors

    def check(self, qv: np.ndarray, decided: Route) -> Route:
        """``decided`` (the rules' route), or a more cautious one if the nearest example says so."""
        if decided.kind == KINDS[0]:
            return decided
        sims = self.vectors @ qv
        j = int(np.argmax(sims))
        kind = self.kinds[j]
        if sims[j] >= self.min_similarity and kind in ESCALATE_TO and _RANK[kind] < _RANK[decided.kind]:
            return Route(kind=kind, rule=f"{kind}.nearest_example", matched=self.texts[j])
        return decided
