"""Idempotent storage of crawled items keyed by canonical URL: a second crawl adds nothing and loses nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from store.models import Item

# Fields a re-crawl may fill in when they were empty; nothing an officer or the classifier set is ever touched.
FILLABLE = ("summary", "text", "published_at", "author")


@dataclass
class UpsertResult:
    item: Item
    created: bool
    updated: bool = False


def find_existing(session: Session, url: str, source_id: str, content_hash: str | None) -> Item | None:
    """The stored item for this URL, or the same article stored by this source under another URL."""
    item = session.exec(select(Item).where(Item.url == url)).first()
    if item is None and content_hash:
        item = session.exec(select(Item).where(Item.source_id == source_id, Item.content_hash == content_hash)).first()
    return item


def _fill_missing(item: Item, values: dict[str, Any]) -> bool:
    changed = False
    for key in FILLABLE:
        if getattr(item, key) in (None, "") and values.get(key) not in (None, ""):
            setattr(item, key, values[key])
            changed = True
    return changed


def upsert_item(session: Session, values: dict[str, Any]) -> UpsertResult:
    """Insert the item unless its URL (or identical content from the same source) is stored; then only fill gaps.

    The insert runs in a savepoint so that a concurrent worker inserting the same URL first (unique constraint)
    turns into 'already stored' instead of an error.
    """
    existing = find_existing(session, values["url"], values["source_id"], values.get("content_hash"))
    if existing is not None:
        updated = _fill_missing(existing, values)
        if updated:
            session.add(existing)
            session.flush()
        return UpsertResult(existing, created=False, updated=updated)
    item = Item(**values)
    try:
        with session.begin_nested():
            session.add(item)
    except IntegrityError:
        existing = session.exec(select(Item).where(Item.url == values["url"])).one()
        return UpsertResult(existing, created=False)
    return UpsertResult(item, created=True)


def known_urls(session: Session, source_ids: list[str]) -> dict[str, datetime | None]:
    """Stored URLs of these sources with their publication time, so a crawl need not fetch them again."""
    rows = session.exec(select(Item.url, Item.published_at).where(Item.source_id.in_(source_ids)))
    return {url: published for url, published in rows}  # noqa: C416  (rows are Row objects, not pairs: dict() fails)
