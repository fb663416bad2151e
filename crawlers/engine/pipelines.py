"""Item pipeline: fingerprint, story id and an idempotent upsert, one short transaction per item, so a crawl
killed half way keeps everything it had stored and never stores an article twice."""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy.exceptions import DropItem

from crawlers.engine.items import CrawledItem
from gdnn_monitor.core.textnorm import normalize_inline, normalize_text
from store.db import session_scope
from store.items import upsert_item

logger = logging.getLogger(__name__)


def item_values(item: CrawledItem, content_hash: str | None, simhash: str | None) -> dict[str, Any]:
    """Column values of a crawled item (text normalised once more in case a spider built it by hand)."""
    return {
        "url": item.url,
        "source_id": item.source_id,
        "origin": "crawl",
        "title": normalize_inline(item.title),
        "summary": normalize_text(item.summary) or None,
        "text": normalize_text(item.text) or None,
        "published_at": item.published_at,
        "author": normalize_inline(item.author) or None,
        "genre": item.genre,
        "language": item.language,
        "channel": item.channel,
        "content_hash": content_hash,
        "simhash": simhash,
    }


class StorePipeline:
    """Writes each item as it arrives (no batching: a kill loses at most the item in flight)."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler)

    def process_item(self, item: CrawledItem) -> CrawledItem:
        from crawlers.identity.dedup import assign_story_id, content_fingerprint

        spider = self.crawler.spider
        if not item.title:
            raise DropItem(f"no title: {item.url}")
        started = time.perf_counter()
        content_hash, simhash = content_fingerprint(item.title, item.text)
        try:
            with session_scope() as session:
                result = upsert_item(session, item_values(item, content_hash, simhash))
                if result.created:
                    result.item.story_id = assign_story_id(session, result.item)
                    session.add(result.item)
        except Exception as exc:  # a database problem with one item is reported and the crawl goes on
            spider.record_error(item.source_id, f"storing {item.url} failed: {type(exc).__name__}: {exc}")
            raise DropItem(str(exc)) from exc
        finally:
            spider.store_seconds += time.perf_counter() - started
        spider.record_stored(item.source_id, result.created, result.updated)
        return item
