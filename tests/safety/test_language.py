"""safety/language.py: which language a message is in, and when 988's Spanish option is offered.

The language line ("Verbatim reads English") needs a clear detection; the Spanish option, with a crisis
signal, only a sign of Spanish: an extra help line costs an English reader nothing.
"""
from __future__ import annotations

import pytest

from safety import route
from safety.language import detect, leans_spanish
from safety.notices import LIFELINE_SPANISH, resources

# Short Spanish crisis phrasings (from safety/data) that the clear-detection test calls English.
SHORT_SPANISH = ["kiero suisidarme esta noche", "no voy a estar aquí para fin de mes", "tengo una soga lista en el armario"]


@pytest.mark.integration
@pytest.mark.parametrize("message", SHORT_SPANISH)
def test_a_short_spanish_crisis_gets_the_spanish_option_without_the_language_line(message, real_embedder):
    assert detect(message) == "en" and leans_spanish(message)
    r = route(message, embed=real_embedder.encode)  # the rules miss these; the learned layer sees the crisis
    assert r.signal and r.spanish_option and r.lang == "en"
    assert LIFELINE_SPANISH in resources(r.kind, r.signal, r.lang, r.spanish_option)


def test_clear_spanish_gets_both_and_english_gets_neither():
    es = route("quiero morir, ya no puedo más con mi vida")
    assert es.kind == "crisis" and es.lang == "es" and es.spanish_option
    en = route("i want to end it all tonight, i have the pills ready")
    assert en.kind == "crisis" and en.lang == "en" and not en.spanish_option
    assert LIFELINE_SPANISH not in resources(en.kind, en.signal, en.lang, en.spanish_option)


def test_without_a_crisis_signal_no_spanish_option_is_offered():
    r = route("¿qué dicen los estudios sobre la ketamina y el alcohol?")
    assert not r.signal and not r.spanish_option
    assert resources(r.kind, r.signal, r.lang, r.spanish_option) == []
