"""The fixed texts and help lines of routing, as data.

Written to the safe-messaging guidance of the 988 Suicide & Crisis Lifeline, the Suicide Prevention
Resource Center (SPRC) and the National Action Alliance for Suicide Prevention: the way to help comes
first, the tone is direct and hopeful, and no text ever names a method, a means or a dose.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Resource:
    """A help line: ``phone`` and ``sms`` are what tel: and sms: links dial."""

    name: str
    contact: str
    phone: str | None = None
    sms: str | None = None


DISCLAIMER = "Verbatim shows quotes from published articles. It is not medical advice."

LIFELINE = Resource(name="988 Suicide & Crisis Lifeline", contact="Call or text 988, any time", phone="988", sms="988")
LIFELINE_SPANISH = Resource(
    name="988 Lifeline en español",
    contact="Llame al 988 y oprima 2, o envíe AYUDA al 988 (call 988 and press 2, or text AYUDA to 988)",
    phone="988",
    sms="988",
)
EMERGENCY = Resource(name="Emergency services", contact="Call 911 if someone is in danger right now", phone="911")
POISON = Resource(name="Poison Help", contact="1-800-222-1222", phone="18002221222")
SAMHSA = Resource(name="SAMHSA National Helpline", contact="1-800-662-4357, free and confidential, 24/7", phone="18006624357")

CRISIS_RESOURCES = (LIFELINE, EMERGENCY, POISON, SAMHSA)

NOTICES = {
    "crisis": (
        "Please call or text 988 now to talk with someone who cares, any time, day or night. If someone is in "
        "danger right now, call 911. You are not alone, and help works: people get through moments like this. "
        "Verbatim only shows quotes from articles and cannot help in an emergency."
    ),
    "refused": (
        "Verbatim cannot help with getting, making or using drugs outside medical care, or with drug tests. "
        "If you are struggling with substance use, the SAMHSA National Helpline is free, confidential and open "
        "24 hours a day."
    ),
    "advice": (
        "Verbatim cannot give medical advice. Please talk with a licensed clinician about your own situation. "
        "You can ask what the articles say in general, for example:"
    ),
    "no_answer": "The articles in Verbatim do not cover this question, so there are no quotes to show.",
}
# Shown with any other kind when the message carries a crisis signal; the crisis lines come first.
SUPPORTIVE = (
    "If this is weighing on you, you can call or text 988 any time to talk with someone. Support is available, "
    "and recovery is possible."
)
# Shown when a message is not in English, in English and in Spanish.
NOT_ENGLISH = (
    "Verbatim reads English only, so it may not understand this message. "
    "Verbatim solo lee inglés, así que es posible que no entienda este mensaje."
)

_BASE_RESOURCES = {"crisis": CRISIS_RESOURCES, "refused": (SAMHSA,), "advice": (SAMHSA,)}


def resources(kind: str, signal: bool, lang: str, spanish_option: bool = False) -> list[Resource]:
    """The help lines of a response: the crisis lines first whenever there is a crisis signal, with 988's
    Spanish option for a message in Spanish (or, with a signal, one that may be: ``spanish_option``)."""
    out = list(CRISIS_RESOURCES if signal or kind == "crisis" else _BASE_RESOURCES.get(kind, ()))
    if out and out[0] == LIFELINE and (lang == "es" or spanish_option):
        out.insert(1, LIFELINE_SPANISH)
    for r in _BASE_RESOURCES.get(kind, ()):
        if r not in out:
            out.append(r)
    return out


def notice(kind: str, signal: bool, lang: str) -> str | None:
    """The fixed text of a response: the kind's notice (the crisis one whenever it is a crisis), the
    supportive line when an answer carries a crisis signal, and the language line for a message not in English."""
    parts = []
    if kind in NOTICES:
        parts.append(NOTICES[kind])
    if signal and kind != "crisis":
        parts.insert(0, SUPPORTIVE)
    if lang != "en":
        parts.append(NOT_ENGLISH)
    return " ".join(parts) or None
