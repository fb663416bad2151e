"""The JSON-lines shape of a stored item, which other tools and the tests rely on (see README, `items`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, tzinfo

from sqlalchemy import func
from sqlmodel import Session, select

from store.counting import effective_gdnn, is_counted
from store.models import Item


def item_time(item: Item) -> datetime:
    """Publication time when the page gave one, else when we fetched it."""
    return item.published_at or item.fetched_at


def item_record(item: Item, tz: tzinfo) -> dict:
    published = item.published_at.astimezone(tz).isoformat() if item.published_at else None
    return {
        "url": item.url,
        "source": item.source_id,
        "title": item.title,
        "published": published,
        "fetched": item.fetched_at.astimezone(tz).isoformat(),
        "author": item.author,
        "genre": item.genre,
        "origin": item.origin,
        "gdnn": effective_gdnn(item),
        "gdnn_score": item.gdnn_score,
        "theme": item.theme,
        "zone": item.zone,
        "explanation": json.loads(item.explanation) if item.explanation else [],
        "review": item.review,
        "counted": is_counted(item),
        "story": item.story_id,
        "summary": item.summary,
        "text": item.text,
    }


def iter_items(
    session: Session, since: datetime | None = None, until: datetime | None = None, batch: int = 500
) -> Iterator[Item]:
    """Stream items ordered by time in batches, so 100,000 items do not sit in memory at once."""
    when = func.coalesce(Item.published_at, Item.fetched_at)
    query = select(Item).order_by(when, Item.id)
    if since is not None:
        query = query.where(when >= since)
    if until is not None:
        query = query.where(when < until)
    offset = 0
    while True:
        rows = session.exec(query.offset(offset).limit(batch)).all()
        yield from rows
        if len(rows) < batch:
            return
        offset += batch
