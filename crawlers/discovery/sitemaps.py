"""Sitemaps, sitemap indexes and Google News sitemaps, parsed safely (no entities, gzip size-limited) so that
`lastmod` / `news:publication_date` can skip entries older than the crawl's --since."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from lxml import etree
from scrapy.utils.gz import gunzip

_PARSER = etree.XMLParser(recover=True, remove_comments=True, resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: datetime | None
    title: str | None = None


@dataclass(frozen=True)
class Sitemap:
    is_index: bool
    entries: list[SitemapEntry]


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def parse_w3c_datetime(text: str | None, tz: tzinfo) -> datetime | None:
    """'2024-05-01', '2024-05-01T08:15:00+07:00', '2024-05-01T01:15Z' → aware datetime (date-only: local midnight)."""
    if not text:
        return None
    text = text.strip().replace("Z", "+00:00").replace("z", "+00:00")
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=tz)


def sitemap_body(body: bytes, max_size: int) -> bytes:
    """The XML of a sitemap, gunzipped when it is served compressed."""
    if body[:2] == b"\x1f\x8b":
        return gunzip(body, max_size=max_size)
    return body


def parse_sitemap(body: bytes, tz: tzinfo = UTC) -> Sitemap:
    """Entries of a urlset or a sitemapindex; a Google News entry's publication date wins over lastmod."""
    try:
        root = etree.fromstring(body.strip(), parser=_PARSER)
    except etree.XMLSyntaxError:
        return Sitemap(is_index=False, entries=[])
    if root is None:
        return Sitemap(is_index=False, entries=[])
    is_index = _local(root.tag) == "sitemapindex"
    entries = []
    for node in root:
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        values: dict[str, str] = {}
        for child in node.iter():
            name = _local(child.tag)
            if child.text and child.text.strip() and name not in values:
                values[name] = child.text.strip()
        if "loc" not in values:
            continue
        when = parse_w3c_datetime(values.get("publication_date"), tz) or parse_w3c_datetime(values.get("lastmod"), tz)
        entries.append(SitemapEntry(url=values["loc"], lastmod=when, title=values.get("title")))
    return Sitemap(is_index=is_index, entries=entries)


def newest_first(entries: list[SitemapEntry]) -> list[SitemapEntry]:
    """Recent entries first (undated ones last, in file order), so a page budget is spent on current articles and
    not on a decade-old archive month."""
    dated = sorted((e for e in entries if e.lastmod), key=lambda e: e.lastmod or datetime.min, reverse=True)
    return dated + [e for e in entries if not e.lastmod]
