"""Normalisation: the canonical form that every rule is written against.

Pure functions from a string to a string (or a list of strings).  Lower case; accents, invisible
characters, emoji and symbols dropped; apostrophes removed ("don't" -> "dont"); sentence punctuation kept
as its own token; leetspeak folded ("k1ll" -> "kill"); contractions, chat spellings and common
misspellings mapped to one form; and the key crisis words matched within a small edit distance
(rapidfuzz), so "suicdie" or "overdoes" still reads as what it means.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne

__all__ = ["FUZZY_TERMS", "fold_leet", "normalise", "sentences", "split_message"]

_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf"})  # combining marks (accents) and invisible format chars
_OD_APOSTROPHE = re.compile(r"\bo\.?d\.?\s*['’‘ʼ`´]\s*(d|ed|ing)\b")
_OD_DOTTED = re.compile(r"\bo\.d\.(?=\s|$)")
_APOSTROPHES = re.compile(r"['’‘ʼ`´′‛ʹ＇]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")
_SEMICOLON = re.compile(r"[;:]")
_NOT_KEPT = re.compile(r"[^\w\s.?!,]|_")
_PUNCT_RUN = re.compile(r"[.?!,][\s.?!,]*")
_SPACES = re.compile(r"\s+")

# One token -> its canonical spelling (possibly several words).  Patterns are written against the
# canonical forms: contractions without apostrophes ("dont", "cant", "isnt"), "i am", "i have".
_SPELLING = {
    # ketamine and friends
    **dict.fromkeys(
        "ketamin ketamines ketamen ketamene ketamne ketmine ketamie ketemine ketamime katamine ketamina "
        "kettamine ketamiine ketamein ketamien ketamain ketameen ketimine kitamine".split(),
        "ketamine",
    ),
    "esketamin": "esketamine",
    "khole": "k hole",
    "kholes": "k holes",
    "kholing": "k holing",
    # crisis vocabulary
    **dict.fromkeys("suicde sucide suiside suicid suiscide sucicide suicied suacide".split(), "suicide"),
    **dict.fromkeys("sucidal suicdal suicidel suisidal suicidle suicidial sucidial suacidal".split(), "suicidal"),
    **dict.fromkeys("overdoze overdos".split(), "overdose"),
    **dict.fromkeys("overdozed overdosd oded".split(), "overdosed"),
    "oding": "overdosing",
    "od": "overdose",
    **dict.fromkeys("breathin brething breating breahting breathng".split(), "breathing"),
    **dict.fromkeys("myslef mysef mysefl myseld mysel".split(), "myself"),
    "kil": "kill",
    "kms": "kill myself",
    "unalive": "kill",
    "sewerslide": "suicide",
    "dieing": "dying",
    **dict.fromkeys("anymor annymore nemore anymroe".split(), "anymore"),
    **dict.fromkeys("dissapear disapear dissappear disappeer".split(), "disappear"),
    **dict.fromkeys("goodby goodbey".split(), "goodbye"),
    **dict.fromkeys("leathal lethel".split(), "lethal"),
    **dict.fromkeys("seizur siezure seisure seazure sezure seizer".split(), "seizure"),
    "siezing": "seizing",
    **dict.fromkeys("unresponsve unresponive".split(), "unresponsive"),
    "selfharm": "self harm",
    "selfharming": "self harming",
    "pils": "pills",
    # medicines and substances
    **dict.fromkeys("perscription prescripton presciption prescrption prescritpion".split(), "prescription"),
    **dict.fromkeys("suboxen suboxon".split(), "suboxone"),
    **dict.fromkeys("methodone methadon methedone".split(), "methadone"),
    **dict.fromkeys("alchohol alcohal alchol alcohl alcahol".split(), "alcohol"),
    "drugtest": "drug test",
    # contractions and chat spelling
    "im": "i am",
    "ive": "i have",
    "hes": "he is",
    "shes": "she is",
    "theyre": "they are",
    "youre": "you are",
    "thats": "that is",
    "whats": "what is",
    "whos": "who is",
    "theres": "there is",
    "cannot": "cant",
    "dnt": "dont",
    **dict.fromkeys("dosent dosnt doesent".split(), "doesnt"),
    "didint": "didnt",
    "u": "you",
    "ur": "your",
    "r": "are",
    "n": "and",
    "b4": "before",
    **dict.fromkeys("pls plz".split(), "please"),
    **dict.fromkeys("shud shld shoud shoul".split(), "should"),
    **dict.fromkeys("wat wut wht".split(), "what"),
    **dict.fromkeys("wher whre".split(), "where"),
    **dict.fromkeys("cuz bc becuase becasue coz".split(), "because"),
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "tryna": "trying to",
    "finna": "going to",
    "hafta": "have to",
    "kinda": "kind of",
    "sorta": "sort of",
    "lemme": "let me",
    "gimme": "give me",
    "dunno": "dont know",
    "outta": "out of",
    "alot": "a lot",
}

_PHRASES = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"\bim (?=(?:ketamine|ket|injections?|route|administration|dose|dosing|shots?)\b)", "intramuscular "),
        (r"\bi m\b", "i am"),
        (r"\bi ve\b", "i have"),
        (r"\b(don|can|won|isn|aren|wasn|weren|doesn|didn|shouldn|wouldn|couldn|haven|hasn) t\b", r"\1t"),
        (r"\b4 (?=(?:me|you|him|her|my|us)\b)", "for "),
        (r"\b(how|want|going|need|have|got|trying|able|allowed) 2\b", r"\1 to"),
        (r"\bdo not\b", "dont"),
        (r"\bdoes not\b", "doesnt"),
        (r"\bdid not\b", "didnt"),
        (r"\bcan not\b", "cant"),
        (r"\bwill not\b", "wont"),
        (r"\bis not\b", "isnt"),
        (r"\bare not\b", "arent"),
        (r"\bwas not\b", "wasnt"),
        (r"\bwere not\b", "werent"),
        (r"\bhave not\b", "havent"),
        (r"\bhas not\b", "hasnt"),
        (r"\bhad not\b", "hadnt"),
        (r"\bwould not\b", "wouldnt"),
        (r"\bshould not\b", "shouldnt"),
        (r"\bcould not\b", "couldnt"),
        (r"\bany more\b", "anymore"),
        (r"\bmy self\b", "myself"),
        (r"\bover dos(e|ed|es|ing)\b", r"overdos\1"),
        (r"\bgood bye\b", "goodbye"),
        (r"\bspecial k\b", "ketamine"),
        # crisis slang: "sewer slide", "self delete", "catch the bus" / "ctb" (forum slang for suicide)
        (r"\bsewer slide\b", "suicide"),
        (r"\bself (?:delete|deleting|deleted)\b", "kill myself"),
        (r"\b(?:ctb|catch(?:ing)? the bus)\b", "kill myself"),
        (r"\bkys\b", "kill yourself"),
    )
)


# A message and its sentences are normalised by the rules, then again by each n-gram analyzer of the learned
# layer: a small cache makes that once.  Small on purpose: it keeps a request's own texts, not a benchmark's
# repeated questions (a cycle of more texts than it holds never hits).
@lru_cache(maxsize=256)
def normalise(text: str) -> str:
    """Canonical form that the rules are written against.

    Lower case; leetspeak folded; accents, invisible characters, emoji and symbols dropped; apostrophes removed
    ("don't" -> "dont"); sentence punctuation kept as its own token (" . ", " ? ", " ! ", " , ");
    common contractions, chat spellings and misspellings mapped to one form ("ketamin" -> "ketamine",
    "im" -> "i am", "is not" -> "isnt"); a key crisis word misspelt beyond the table, corrected.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    text = fold_leet(text.casefold())
    text = _OD_APOSTROPHE.sub(lambda m: " overdosing " if m.group(1) == "ing" else " overdosed ", text)
    text = _OD_DOTTED.sub(" overdose ", text)
    text = _APOSTROPHES.sub("", text)
    text = _THOUSANDS.sub("", text)
    text = _DECIMAL.sub("point", text)
    text = _SEMICOLON.sub(lambda m: "." if m.group(0) == ";" else ",", text)
    text = _NOT_KEPT.sub(" ", text)
    text = _PUNCT_RUN.sub(_punctuation_token, text)
    words = " ".join(_fuzzy(_SPELLING.get(token, token)) for token in text.split())
    for pattern, replacement in _PHRASES:
        words = pattern.sub(replacement, words)
    return _SPACES.sub(" ", words).strip()


def _punctuation_token(m: re.Match[str]) -> str:
    run = m.group(0)
    for mark in run:
        if mark in ".?!":
            return f" {mark} "
    return " , "


# --------------------------------------------------------------------------------------------------
# Leetspeak: digits and symbols standing for letters inside a word ("k1ll", "su1c1d3", "d!e").
# --------------------------------------------------------------------------------------------------

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l"})
_LEET_WORD = re.compile(r"(?<![\w@$!|])(?=[\w@$!|]*[a-z])(?=[\w@$!|]*[0-9@$!|][\w@$!|]*[a-z]|[\w@$!|]*[a-z][0-9@$!|])[\w@$!|]+")
# Words with digits that are not leetspeak: quantities and units, ordinals, times, and the chat spellings
# that `_SPELLING` maps ("b4").
_NOT_LEET = re.compile(r"^\d+(?:[.,]\d+)?[a-z]{0,4}$|^[a-z]{1,3}\d+$|^[a-z]+\d{2,}$|^\d+[a-z]+\d*$")


def fold_leet(text: str) -> str:
    """Fold digits and symbols inside a word to the letters they stand for; numbers and units are kept."""
    def fold(m: re.Match[str]) -> str:
        word = m.group(0)
        if word in _SPELLING or _NOT_LEET.match(word) or not any(c.isalpha() for c in word):
            return word
        core = word.rstrip("!")  # "help!" ends a sentence; it is not "helpi"
        return core.translate(_LEET) + word[len(core):]
    return _LEET_WORD.sub(fold, text)


# --------------------------------------------------------------------------------------------------
# Key crisis words within a small edit distance.  Only a word that is not itself common English is
# corrected, so "overdone" or "skill" stay as they are.
# --------------------------------------------------------------------------------------------------

FUZZY_TERMS = (
    "suicide", "suicidal", "overdose", "overdosed", "overdosing", "myself", "himself", "herself", "lethal",
    "unresponsive", "breathing", "disappear", "goodbye", "anymore", "ketamine", "killing", "hopeless",
    "worthless", "pointless", "unconscious", "poisoned", "esketamine",
)
_COMMON_ZIPF = 2.5  # a word at least this frequent in English is a word of its own, not a misspelling


def _max_edits(word: str) -> int:
    return 1 if len(word) <= 7 else 2


@lru_cache(maxsize=65536)
def _fuzzy(word: str) -> str:
    if len(word) < 5 or not word.isalpha() or word in FUZZY_TERMS:
        return word
    from wordfreq import zipf_frequency

    if zipf_frequency(word, "en") >= _COMMON_ZIPF:
        return word
    hit = extractOne(word, FUZZY_TERMS, scorer=OSA.distance, score_cutoff=_max_edits(word))
    return hit[0] if hit is not None else word


_SENTENCE_SPLIT = re.compile(r"\s+[.?!]\s+|\s+[.?!]$")


def sentences(normalised: str) -> list[str]:
    """The sentences of a normalised text (its " . ", " ? " and " ! " tokens end them), non-empty."""
    return [s.strip() for s in _SENTENCE_SPLIT.split(normalised) if s.strip()]


_RAW_BREAK = re.compile(r"(?<=[.?!…])\s+|\s*\n+\s*")
MAX_SENTENCES = 8  # a longer message is judged by its first sentences and by the whole


def split_message(text: str) -> list[str]:
    """The sentences of a visitor's raw message, as they typed them (for the learned layer, which embeds
    each one): split at sentence punctuation and line breaks; empty pieces dropped."""
    parts = [p.strip() for p in _RAW_BREAK.split(text.strip())]
    return [p for p in parts if any(c.isalnum() for c in p)][:MAX_SENTENCES]
