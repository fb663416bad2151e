"""Same story, different placement: a portal that republishes a newspaper article (with "Nguồn: Báo …", a retouched
title or an added intro line) gets the newspaper item's story id.

Fingerprints: sha256 of the normalised text for exact copies; a 64-bit simhash over word 3-shingles for near copies.
Lookup stays fast on 100,000 items: only items within ±30 days are considered, and the database itself filters them
to those sharing one of eight 8-bit simhash bands (any two hashes within 7 bits share a band), so a handful of rows
come back to Python for the exact Hamming distance and, when needed, a word-shingle containment check.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone

import numpy as np
from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from gdnn_monitor.textnorm import normalize_text
from store.models import Item

SIMHASH_BITS = 64
BANDS = 8
BAND_HEX = SIMHASH_BITS // 4 // BANDS
WINDOW = timedelta(days=30)
SAME_DISTANCE = 3
VERIFY_DISTANCE = 12
SAME_CONTAINMENT = 0.7
SAME_TITLE_CONTAINMENT = 0.5
MIN_WORDS_FOR_SIMHASH = 40
SHINGLE = 3


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", normalize_text(text).lower())


def _shingles(words: list[str]) -> set[str]:
    if len(words) < SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def simhash(text: str) -> int:
    """64-bit simhash of the text's word 3-shingles (Charikar): near-identical texts differ in few bits."""
    shingles = _shingles(_words(text))
    if not shingles:
        return 0
    digests = b"".join(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest() for s in shingles)
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(len(shingles), 8), axis=1)
    majority = bits.sum(axis=0, dtype=np.int64) * 2 > len(shingles)
    return int("".join("1" if bit else "0" for bit in majority), 2)


def hamming(first: int, second: int) -> int:
    return (first ^ second).bit_count()


def content_fingerprint(title: str, text: str) -> tuple[str, str]:
    """(content_hash, simhash hex): sha256 of the normalised body (the title when there is no body) and its simhash."""
    basis = " ".join(_words(text)) or " ".join(_words(title))
    content_hash = hashlib.sha256(basis.encode("utf-8")).hexdigest()
    return content_hash, f"{simhash(basis):016x}"


def title_key(title: str | None) -> str:
    return " ".join(_words(title or ""))


def containment(first: str, second: str) -> float:
    """Share of the shorter text's 3-shingles that also occur in the longer text (1.0: one contains the other)."""
    a, b = _shingles(_words(first)), _shingles(_words(second))
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _bands(hex_hash: str) -> list[str]:
    return [hex_hash[i * BAND_HEX:(i + 1) * BAND_HEX] for i in range(BANDS)]


def _when(item) -> datetime:
    when = item.published_at or item.fetched_at or datetime.now(timezone.utc)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _in_window(when: datetime):
    low, high = when - WINDOW, when + WINDOW
    return or_(Item.published_at.between(low, high), and_(Item.published_at.is_(None), Item.fetched_at.between(low, high)))


def _others(item):
    conditions = [Item.story_id.is_not(None)]
    if item.id is not None:
        conditions.append(Item.id != item.id)
    return conditions


def new_story_id(content_hash: str) -> str:
    """A story id derived from the first placement's content, so re-running a crawl gives the same ids."""
    return "s" + content_hash[:31]


def assign_story_id(session: Session, item: Item) -> str:
    """Set and return item.story_id: the story of a stored near-duplicate within ±30 days, else a new story.

    Fills item.content_hash and item.simhash when they are missing. Does not add or commit the item.
    """
    if not item.content_hash or not item.simhash:
        item.content_hash, item.simhash = content_fingerprint(item.title or "", item.text or "")
    story = _find_story(session, item)
    item.story_id = story or new_story_id(item.content_hash)
    return item.story_id


def _find_story(session: Session, item: Item) -> str | None:
    with session.no_autoflush:
        exact = session.exec(select(Item.story_id).where(Item.content_hash == item.content_hash, *_others(item))
                             .limit(1)).first()
        if exact:
            return exact
        window = _in_window(_when(item))
        own_hash = int(item.simhash, 16)
        words = len(_words(item.text or ""))
        if words >= MIN_WORDS_FOR_SIMHASH:
            band_match = or_(*[func.substr(Item.simhash, 1 + i * BAND_HEX, BAND_HEX) == band
                               for i, band in enumerate(_bands(item.simhash))])
            rows = session.exec(select(Item.id, Item.simhash, Item.story_id).where(window, band_match, *_others(item))
                                ).all()
            scored = sorted((hamming(own_hash, int(h, 16)), i, s) for i, h, s in rows if h and _is_hex(h))
            if scored and scored[0][0] <= SAME_DISTANCE:
                return scored[0][2]
            to_verify = [(row_id, story) for distance, row_id, story in scored if distance <= VERIFY_DISTANCE][:20]
            story = _verified(session, item, to_verify, SAME_CONTAINMENT)
            if story:
                return story
        same_title = session.exec(select(Item.id, Item.story_id).where(window, Item.title == item.title, *_others(item))
                                  .limit(20)).all()
        return _verified(session, item, [(row_id, story) for row_id, story in same_title], SAME_TITLE_CONTAINMENT)


def _is_hex(value: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-fA-F]{1,16}", value))


def _verified(session: Session, item: Item, candidates: list[tuple[int, str]], threshold: float) -> str | None:
    """The first candidate whose text (mostly) contains this item's text or is contained in it."""
    if not candidates:
        return None
    ids = [row_id for row_id, _ in candidates]
    texts = dict(session.exec(select(Item.id, Item.text).where(Item.id.in_(ids))).all())
    own = item.text or ""
    for row_id, story in candidates:
        if containment(own, texts.get(row_id) or "") >= threshold:
            return story
    return None
