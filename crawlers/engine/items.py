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
    extra: dict = field(default_factory=dict)
