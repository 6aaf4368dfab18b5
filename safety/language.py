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


@lru_cache(maxsize=1024)
def leans_spanish(text: str) -> bool:
    """Whether a message may be Spanish: it is, by `detect`, or Spanish is the detector's top candidate, or
    has at least `SPANISH_FOR_CRISIS` confidence.  Only for choosing help lines, never the answer."""
    if detect(text) == "es":
        return True
    text = text[:MAX_CHARS].encode("utf-8", "ignore").decode("utf-8")
    if len(_LETTER.findall(text)) < MIN_LETTERS:
        return False
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return False
    spanish = next((v.value for v in values if v.language.name == "SPANISH"), 0.0)
    return values[0].language.name == "SPANISH" or spanish >= SPANISH_FOR_CRISIS


@lru_cache(maxsize=4096)
def detect(text: str) -> str:
    """ISO 639-1 code of the message's language: "en" unless another language is clear."""
    text = text[:MAX_CHARS].encode("utf-8", "ignore").decode("utf-8")  # lone surrogates cannot be read
    if len(_LETTER.findall(text)) < MIN_LETTERS:
        return ENGLISH
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return ENGLISH
    top = values[0]
    english = next((v.value for v in values if v.language.name == "ENGLISH"), 0.0)
    if top.language.name == "ENGLISH" or top.value < MIN_CONFIDENCE or english >= MAX_ENGLISH:
        return ENGLISH
    return top.language.iso_code_639_1.name.lower()
