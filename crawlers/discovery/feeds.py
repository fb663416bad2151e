"""RSS/Atom feeds read with feedparser, which still yields the entries of a malformed feed (an unescaped '&',
a missing XML declaration) and reports the fault instead of failing."""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import feedparser

from gdnn_monitor.core.textnorm import normalize_inline, normalize_text

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    published: datetime | None
    summary: str
    author: str | None = None
    video_id: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    entries: list[FeedEntry]
    malformed: str | None


def _entry_time(entry: dict) -> datetime | None:
    """feedparser's parsed time is UTC (a struct_time); we keep it aware."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    return None


def _summary_text(entry: dict) -> str:
    """The entry's description without markup (YouTube keeps it in media:description)."""
    from lxml import html as lxml_html

    raw = entry.get("media_description") or entry.get("summary") or ""
    if "<" in raw:
        try:
            raw = lxml_html.fromstring(raw).text_content()
        except (ValueError, lxml_html.etree.ParserError):
            pass
    return normalize_text(raw)


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Entries with a link, titles and summaries normalised; `malformed` says what feedparser complained about."""
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(body, response_headers=headers)
    malformed = str(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    if malformed:
        logger.info(
            "feed %s is not well-formed (%s); keeping the %d entries it yields", url, malformed, len(parsed.entries)
        )
    entries = []
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if not link:
            continue
        entries.append(
            FeedEntry(
                url=link,
                title=normalize_inline(entry.get("title")),
                published=_entry_time(entry),
                summary=_summary_text(entry),
                author=normalize_inline(entry.get("author")) or None,
                video_id=entry.get("yt_videoid"),
            )
        )
    return ParsedFeed(entries=entries, malformed=malformed)
