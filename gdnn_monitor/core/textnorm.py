"""Vietnamese text normalisation applied once where text enters the system.

Sites serve decomposed Unicode (NFD) and mix two tone-mark conventions ("hoà"/"hòa", "thuỷ"/"thủy"); without one
form the same word would look like two to the classifier and the duplicate detector. We keep NFC and the classic
convention used by most Vietnamese newspapers: the mark sits on the first vowel of an open "oa", "oe", "uy".
"""

from __future__ import annotations

import re
import unicodedata

_TONES = {"\u0300": "grave", "\u0301": "acute", "\u0309": "hook", "\u0303": "tilde", "\u0323": "dot"}


def _with_tone(base: str, tone_mark: str) -> str:
    return unicodedata.normalize("NFC", base + tone_mark)


def _build_moves() -> dict[str, str]:
    """Map 'oà' -> 'òa' etc. for every tone and letter case."""
    moves: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone_mark in _TONES:
            for f, s in (
                (first, second),
                (first.upper(), second),
                (first.upper(), second.upper()),
                (first, second.upper()),
            ):
                moves[f + _with_tone(s, tone_mark)] = _with_tone(f, tone_mark) + s
    return moves


_MOVES = _build_moves()
_NEW_STYLE = re.compile(
    r"(?<![qQ\w])([^\W\d_]*?)(?<![qQ])("
    + "|".join(sorted(map(re.escape, _MOVES), key=len, reverse=True))
    + r")(?![^\W\d_])"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def _classic_tone(match: re.Match[str]) -> str:
    return match.group(1) + _MOVES[match.group(2)]


def normalize_text(text: str | None) -> str:
    """NFC, classic tone placement, no zero-width characters, single spaces; keeps line breaks."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _NEW_STYLE.sub(_classic_tone, text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(lines).strip()


def normalize_inline(text: str | None) -> str:
    """Like normalize_text but on one line: for titles, names and authors."""
    return " ".join(normalize_text(text).split())


_NOT_WORD = re.compile(r"[\W_]+")


def search_words(text: str | None) -> list[str]:
    """The lower-case words of a text (tone marks kept), without punctuation: what a search compares."""
    return _NOT_WORD.sub(" ", normalize_text(text).lower()).split()


def fold_diacritics(text: str) -> str:
    """ "Lạng Sơn" -> "lang son": officers on a keyboard without Vietnamese input type it that way."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


SEARCH_INDEX_CHARS = 400  # per half: keeps the entry well under PostgreSQL's limit for one B-tree index row


def search_index(text: str | None) -> str:
    """The text as searched: its words with tone marks, then the same words without, so that a word typed with
    marks ("làng") matches only itself and one typed without ("lang") matches every marked form (làng, lạng)."""
    words = " ".join(search_words(text))[:SEARCH_INDEX_CHARS]
    return f"{words} | {fold_diacritics(words)}"
