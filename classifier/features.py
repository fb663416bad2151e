"""Turn an item into the tokens the linear model sees: syllable n-grams, kept apart for the headline and the body.

The headline says what the item is mainly about, so its n-grams get their own features ("t:" prefix); the body
contributes plain n-grams. Syllables are what Vietnamese text is written in, so no segmenter is needed (the
underthesea word-segmenting variant is kept for the comparison in train.py).
"""

from __future__ import annotations

import re

SEPARATOR = "\u241e"  # a character that never occurs in news text, between headline and body
MAX_BODY_SYLLABLES = 1500
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d")


def join_item(title: str, text: str) -> str:
    """One string per item, because scikit-learn vectorisers take one document each."""
    return f"{title or ''}{SEPARATOR}{text or ''}"


def split_item(document: str) -> tuple[str, str]:
    title, _, text = document.partition(SEPARATOR)
    return title, text


def syllables(text: str, limit: int | None = None) -> list[str]:
    """Lower-cased syllables; digits collapse to '0' so years and counts share features."""
    tokens = _TOKEN.findall(text.lower())
    if limit is not None:
        tokens = tokens[:limit]
    return [_DIGITS.sub("0", token) if token[0].isdigit() else token for token in tokens]


def ngrams(tokens: list[str], low: int, high: int, prefix: str = "") -> list[str]:
    out: list[str] = []
    for size in range(low, high + 1):
        out.extend(prefix + " ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1))
    return out


def syllable_analyzer(document: str) -> list[str]:
    """Headline 1-3-grams marked 't:' plus body 1-3-grams (first MAX_BODY_SYLLABLES syllables)."""
    title, text = split_item(document)
    title_tokens = syllables(title)
    body_tokens = syllables(text, MAX_BODY_SYLLABLES)
    return ngrams(title_tokens, 1, 3, "t:") + ngrams(title_tokens + ["|"] + body_tokens, 1, 3)


def word_analyzer(document: str) -> list[str]:
    """underthesea word segmentation (slow): headline and body words and word bigrams."""
    from underthesea import word_tokenize

    title, text = split_item(document)
    body = " ".join(text.split()[:MAX_BODY_SYLLABLES])
    title_words = [w.lower() for w in word_tokenize(title) if _TOKEN.search(w)] if title else []
    body_words = [w.lower() for w in word_tokenize(body) if _TOKEN.search(w)] if body else []
    return ngrams(title_words, 1, 2, "t:") + ngrams(title_words + ["|"] + body_words, 1, 2)
