"""Which language a message is in, by lingua (a maintained detector that is accurate on short text).

Verbatim reads English.  A message counts as another language only when the detector is clear about it:
the top language is not English, its confidence is at least `MIN_CONFIDENCE`, English's is below
`MAX_ENGLISH`, and the message has at least `MIN_LETTERS` letters.  Short or mixed English ("kms",
"NMDA antagonist?") stays English.  The detector and its models load on first use, not at import.
"""
from __future__ import annotations

import re
from functools import lru_cache

ENGLISH = "en"
# The languages the detector chooses among: English and the languages visitors of a US site most often write.
LANGUAGES = ("ENGLISH", "SPANISH", "PORTUGUESE", "FRENCH", "GERMAN", "ITALIAN", "CHINESE", "VIETNAMESE",
             "KOREAN", "RUSSIAN", "ARABIC", "TAGALOG")
MIN_CONFIDENCE = 0.5
MAX_ENGLISH = 0.2
MIN_LETTERS = 8
# For a message with a crisis signal, 988's Spanish option is shown on a weaker sign of Spanish: an extra
# line costs an English reader nothing, and a Spanish reader without it may not call.  On the labelled
# crisis and signal phrasings, `detect` finds 94 of 98 in Spanish; Spanish as the top candidate, or at
# this confidence, finds all 98, and adds the line for 7 of 1,757 others.
SPANISH_FOR_CRISIS = 0.2
MAX_CHARS = 2000  # the detector reads at most this much of a message
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*(getattr(Language, name) for name in LANGUAGES)).build()


def warm_up() -> None:
    """Load the detector and its models now (a server does this at start, not on a visitor's question)."""
    detect("Is this English or not?")
    detect("¿Esto es inglés o no?")


@lru_cache(maxsize=len(LANGUAGES))
def _iso(name: str) -> str:
    from lingua import Language

    return getattr(Language, name).iso_code_639_1.name.lower()


@lru_cache(maxsize=4096)
def _confidences(text: str) -> tuple[tuple[str, float], ...]:
    """The detector's (language name, confidence) pairs for a message, most likely first; none for a text
    with fewer than `MIN_LETTERS` letters."""
    text = text[:MAX_CHARS].encode("utf-8", "ignore").decode("utf-8")  # lone surrogates cannot be read
    if len(_LETTER.findall(text)) < MIN_LETTERS:
        return ()
    return tuple((v.language.name, v.value) for v in _detector().compute_language_confidence_values(text))


def leans_spanish(text: str) -> bool:
    """Whether a message may be Spanish: it is, by `detect`, or Spanish is the detector's top candidate, or
    has at least `SPANISH_FOR_CRISIS` confidence.  Only for choosing help lines, never the answer."""
    values = _confidences(text)
    spanish = dict(values).get("SPANISH", 0.0)
    return detect(text) == "es" or (bool(values) and values[0][0] == "SPANISH") or spanish >= SPANISH_FOR_CRISIS


def detect(text: str) -> str:
    """ISO 639-1 code of the message's language: "en" unless another language is clear."""
    values = _confidences(text)
    if not values:
        return ENGLISH
    top, confidence = values[0]
    english = dict(values).get("ENGLISH", 0.0)
    if top == "ENGLISH" or confidence < MIN_CONFIDENCE or english >= MAX_ENGLISH:
        return ENGLISH
    return _iso(top)
