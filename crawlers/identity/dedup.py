"""Same story, different placement: a portal that republishes a newspaper article (with "Nguồn: Báo …", a retouched
title or an added intro line) gets the newspaper item's story id.

Fingerprints: sha256 of the normalised text for exact copies; a 64-bit simhash over word 3-shingles for near copies.
Lookup stays fast on 100,000 items: the fingerprints, times and title keys of stored items are kept in memory per
database and topped up by id on every call (one indexed query); items within ±30 days are compared with one
vectorised XOR/popcount, and only the few close ones are checked against their stored text (word-shingle
containment).
"""

from __future__ import annotations

import hashlib
import re
import threading
import weakref
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import func
from sqlmodel import Session, select

from gdnn_monitor.core.textnorm import normalize_text
from store.models import Item

SIMHASH_BITS = 64
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
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


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
    """Number of differing bits between two simhashes."""
    return (first ^ second).bit_count()


def content_fingerprint(title: str, text: str) -> tuple[str, str]:
    """(content_hash, simhash hex): sha256 of the normalised body and its simhash. A short body (a video's one-line
    description, a brief) is hashed with its title, so two clips sharing a stock description stay two items."""
    words = _words(text)
    if len(words) < MIN_WORDS_FOR_SIMHASH:
        words = _words(title) + words
    basis = " ".join(words)
    content_hash = hashlib.sha256(basis.encode("utf-8")).hexdigest()
    return content_hash, f"{simhash(basis):016x}"


def title_key(title: str | None) -> str:
    """Lower-case words of a title, for "same title" lookups that ignore case and punctuation."""
    return " ".join(_words(title or ""))


def containment(first: str, second: str) -> float:
    """Share of the shorter text's 3-shingles that also occur in the longer text (1.0: one contains the other)."""
    a, b = _shingles(_words(first)), _shingles(_words(second))
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


class SimhashIndex:
    """Fingerprints, times and title keys of the stored items of one database, held in memory and topped up with the
    rows whose id is above the last one seen, so each lookup costs one indexed query plus a vectorised XOR."""

    def __init__(self) -> None:
        self.last_id = 0
        self.ids = np.zeros(0, dtype=np.int64)
        self.hashes = np.zeros(0, dtype=np.uint64)
        self.times = np.zeros(0, dtype=np.int64)
        self.stories: list[str | None] = []
        self.by_title: dict[str, list[int]] = {}
        self._pending: list[tuple[int, int, int, str | None]] = []

    def refresh(self, session: Session) -> None:
        rows = session.exec(
            select(Item.id, Item.simhash, Item.story_id, Item.published_at, Item.fetched_at, Item.title)
            .where(Item.id > self.last_id, Item.simhash.is_not(None))
            .order_by(Item.id)
        ).all()
        for row_id, hex_hash, story, published, fetched, title in rows:
            if _is_hex(hex_hash):
                self.add(row_id, int(hex_hash, 16), _epoch(published or fetched), story, title)
            self.last_id = max(self.last_id, row_id)

    def add(self, row_id: int, fingerprint: int, when: int, story: str | None, title: str | None) -> None:
        self._pending.append((row_id, fingerprint, when, story))
        key = title_key(title)
        if key:
            self.by_title.setdefault(key, []).append(row_id)

    def _materialise(self) -> None:
        if not self._pending:
            return
        ids, hashes, times, stories = zip(*self._pending)
        self.ids = np.concatenate([self.ids, np.array(ids, dtype=np.int64)])
        self.hashes = np.concatenate([self.hashes, np.array(hashes, dtype=np.uint64)])
        self.times = np.concatenate([self.times, np.array(times, dtype=np.int64)])
        self.stories.extend(stories)
        self._pending.clear()

    def near(self, fingerprint: int, when: int, exclude: int | None) -> list[tuple[int, int, str | None]]:
        """(distance, id, story) of items within the time window and VERIFY_DISTANCE bits, nearest first."""
        self._materialise()
        window = int(WINDOW.total_seconds())
        mask = (self.times >= when - window) & (self.times <= when + window)
        if exclude is not None:
            mask &= self.ids != exclude
        positions = np.nonzero(mask)[0]
        distances = np.bitwise_count(self.hashes[positions] ^ np.uint64(fingerprint))
        close = positions[distances <= VERIFY_DISTANCE]
        close_distances = distances[distances <= VERIFY_DISTANCE]
        found = [(int(d), int(self.ids[p]), self.stories[p]) for p, d in zip(close, close_distances)]
        return sorted(found)

    def set_story(self, row_id: int | None, story: str) -> None:
        self._materialise()
        if row_id is None:
            return
        position = int(np.searchsorted(self.ids, row_id))
        if position < len(self.ids) and self.ids[position] == row_id:
            self.stories[position] = story


_indexes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_indexes_lock = threading.Lock()


def _index_for(session: Session) -> SimhashIndex:
    """One index per engine (a disposed engine's index goes with it); rebuilt if the table was emptied or
    recreated under us (ids went backwards)."""
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    with _indexes_lock:
        index = _indexes.get(engine)
        if index is None:
            index = _indexes[engine] = SimhashIndex()
    if index.last_id:
        highest = session.exec(select(func.max(Item.id))).one()
        if highest is None or highest < index.last_id:
            with _indexes_lock:
                index = _indexes[engine] = SimhashIndex()
    return index


def _epoch(when: datetime | None) -> int:
    if when is None:
        return int(datetime.now(UTC).timestamp())
    return int((when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp())


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

    Fills item.content_hash and item.simhash when they are missing. Does not add or commit the item. Items stored by
    other processes are seen once committed (the in-memory index is topped up by id on every call).
    """
    if not item.content_hash or not item.simhash:
        item.content_hash, item.simhash = content_fingerprint(item.title or "", item.text or "")
    with session.no_autoflush:
        index = _index_for(session)
        index.refresh(session)
        story = _find_story(session, index, item)
    item.story_id = story or new_story_id(item.content_hash)
    if item.id is not None:
        index.set_story(item.id, item.story_id)
    return item.story_id


def _find_story(session: Session, index: SimhashIndex, item: Item) -> str | None:
    exact = session.exec(
        select(Item.story_id).where(Item.content_hash == item.content_hash, *_others(item)).limit(1)
    ).first()
    if exact:
        return exact
    when = _epoch(item.published_at or item.fetched_at)
    words = len(_words(item.text or ""))
    if words >= MIN_WORDS_FOR_SIMHASH:
        near = [(d, i, s) for d, i, s in index.near(int(item.simhash, 16), when, item.id)]
        if near and near[0][0] <= SAME_DISTANCE:
            story = near[0][2] or _stored_story(session, near[0][1])
            if story:
                return story
        story = _verified(session, item, [(i, s) for _, i, s in near[:20]], SAME_CONTAINMENT)
        if story:
            return story
    same_title = [i for i in index.by_title.get(title_key(item.title), []) if i != item.id][-20:]
    return _verified(session, item, [(i, None) for i in same_title], SAME_TITLE_CONTAINMENT, when)


def _stored_story(session: Session, row_id: int) -> str | None:
    return session.exec(select(Item.story_id).where(Item.id == row_id)).first()


def _is_hex(value: str | None) -> bool:
    return bool(value) and bool(re.fullmatch(r"[0-9a-fA-F]{1,16}", value))


def _verified(
    session: Session, item: Item, candidates: list[tuple[int, str | None]], threshold: float, when: int | None = None
) -> str | None:
    """The first candidate (in the time window) whose text mostly contains this item's text or is contained in it."""
    if not candidates:
        return None
    ids = [row_id for row_id, _ in candidates]
    rows = session.exec(
        select(Item.id, Item.text, Item.story_id, Item.published_at, Item.fetched_at).where(Item.id.in_(ids))
    ).all()
    stored = {row[0]: row[1:] for row in rows}
    own = item.text or ""
    window = int(WINDOW.total_seconds())
    for row_id, _ in candidates:
        if row_id not in stored:
            continue
        text, story, published, fetched = stored[row_id]
        if not story or (when is not None and abs(_epoch(published or fetched) - when) > window):
            continue
        if containment(own, text or "") >= threshold:
            return story
    return None
