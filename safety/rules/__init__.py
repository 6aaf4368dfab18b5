"""The rules as data, one module per kind (and one for other languages), in the order they are tried:
most cautious kind first, so the first rule that fires is the most cautious route any rule supports."""
from __future__ import annotations

from safety.rules import advice, crisis, other_languages, refused
from safety.types import RANK, Rule

RULES: tuple[Rule, ...] = tuple(
    sorted((*crisis.RULES, *refused.RULES, *advice.RULES, *other_languages.RULES), key=lambda r: RANK[r.kind])
)
