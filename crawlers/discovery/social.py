"""Social channels: a YouTube channel's public video feed, and a Facebook page's posts through the Graph API
(`/{page-id}/posts`, following `paging.next`), both turned into the same article items as web pages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawlers.discovery.feeds import FeedEntry
from gdnn_monitor.core.textnorm import normalize_inline, normalize_text

GRAPH_FIELDS = "id,message,created_time,permalink_url,status_type"
GRAPH_PAGE_SIZE = 50


class GraphError(RuntimeError):
    """The Graph API answered with an error object (expired token, unknown page, rate limit)."""


@dataclass(frozen=True)
class SocialPost:
    url: str
    title: str
    text: str
    published: datetime | None
    genre: str
    author: str | None = None


def youtube_video(entry: FeedEntry, channel_name: str) -> SocialPost:
    """A video of the channel feed; its description is the text."""
    url = f"https://www.youtube.com/watch?v={entry.video_id}" if entry.video_id else entry.url
    return SocialPost(
        url=url,
        title=entry.title,
        text=entry.summary,
        published=entry.published,
        genre="video",
        author=entry.author or channel_name,
    )


def graph_posts_url(graph_url: str, page_id: str) -> str:
    """First page of a page's posts; the token travels in the Authorization header, never in a logged URL."""
    query = urlencode({"fields": GRAPH_FIELDS, "limit": GRAPH_PAGE_SIZE})
    return f"{graph_url.rstrip('/')}/{page_id}/posts?{query}"


def without_token(url: str) -> str:
    """paging.next repeats access_token in its query; drop it (the header carries it)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "access_token"]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _title_of(message: str) -> str:
    """A post has no headline: its first line, cut at a word boundary."""
    first = normalize_inline(message.split("\n", 1)[0])
    if len(first) <= 120:
        return first
    return first[:120].rsplit(" ", 1)[0] + "…"


def _graph_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None


def parse_graph_posts(body: bytes, page_id: str) -> tuple[list[SocialPost], str | None]:
    """Posts of one Graph API page and the URL of the next page (None at the end)."""
    document = json.loads(body)
    if "error" in document:
        error = document["error"]
        raise GraphError(f"Graph API error {error.get('code')}: {error.get('message')}")
    posts = []
    for entry in document.get("data", []):
        message = normalize_text(entry.get("message") or "")
        if not message:
            continue
        post_id = str(entry.get("id", ""))
        url = entry.get("permalink_url") or f"https://www.facebook.com/{post_id.replace('_', '/posts/', 1)}"
        posts.append(
            SocialPost(
                url=url,
                title=_title_of(message),
                text=message,
                published=_graph_time(entry.get("created_time")),
                genre="post",
            )
        )
    next_url = (document.get("paging") or {}).get("next")
    return posts, without_token(next_url) if next_url else None
