"""What the spider keeps while it crawls: per-source statistics, the crawl's options, listing pages waiting on
their articles (for --since)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scrapy.http import Request
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure


@dataclass
class SourceStats:
    """What one crawl did for one source; sent to the parent process at the end."""

    pages: int = 0
    new_items: int = 0
    updated_items: int = 0
    known_skipped: int = 0
    older_skipped: int = 0
    not_articles: int = 0
    blocked_by_robots: int = 0
    errors: int = 0
    last_error: str | None = None
    responded: bool = False
    roots: int = 0
    roots_ok: int = 0
    fatal: str | None = None
    requested: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ListingPage:
    """A listing page whose next pages wait until its articles show whether the walk has passed --since. The next
    page is taken even beyond the listing depth while this page still holds articles newer than --since: a back-fill
    ends where the articles get old, not after a fixed number of pages."""

    pending: int
    source_id: str
    next_pages: list[tuple[str, int]]  # (URL, depth)
    max_depth: int
    next_postback: Request | None = None  # the next page of a WebForms listing, when its pager posts back
    fresh: bool = False
    old: bool = False


@dataclass
class CrawlOptions:
    since: datetime | None = None
    listing_depth: int = 5
    max_pages: int = 2000
    facebook_token: str | None = None
    facebook_graph_url: str = "https://graph.facebook.com/v19.0"
    tz: Any = None
    distributed: bool = False
    feed_states: dict[str, dict[str, str | None]] = field(default_factory=dict)
    known: dict[str, datetime | None] = field(default_factory=dict)


def error_text(failure: Failure) -> str:
    """One line for the summary and health: the HTTP status, or the exception and the URL."""
    error = failure.value
    if isinstance(error, HttpError):
        return f"HTTP {error.response.status} {error.response.url}"
    request = getattr(failure, "request", None)
    where = f" {request.url}" if request is not None else ""
    return f"{type(error).__name__}: {str(error)[:200]}{where}"
