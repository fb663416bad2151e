"""The item a spider yields for each collected article, video or post (already extracted and normalised)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class CrawledItem:
    source_id: str
    url: str
    title: str
    text: str
    channel: str
    summary: str | None = None
    published_at: datetime | None = None
    author: str | None = None
    genre: str = "article"
    language: str = "vi"
    discovered_via: str = "listing"
    fetched_url: str | None = None
    feed_only: bool = False  # stored from the feed entry: robots.txt refuses the page (or the source reads feeds only)
    attachment_url: str | None = None  # the PDF/DOC a notice links to
    publisher: str | None = None  # the outlet an aggregator feed names for the entry
    join_by_title: bool = False  # an aggregator's copy: the same title from the same outlet is the same item
    extra: dict = field(default_factory=dict)
