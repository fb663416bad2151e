"""Persistence: the SQL schema, its migrations and the queries shared by the CLI, crawler, classifier and web app."""

from store.db import get_engine, init_db, reset_engines, session_scope
from store.models import (
    Classification,
    CrawlRun,
    CrawlRunSource,
    FeedState,
    Item,
    JobLock,
    KpiTarget,
    Review,
    Source,
    User,
)

__all__ = [
    "Classification",
    "CrawlRun",
    "CrawlRunSource",
    "FeedState",
    "Item",
    "JobLock",
    "KpiTarget",
    "Review",
    "Source",
    "User",
    "get_engine",
    "init_db",
    "reset_engines",
    "session_scope",
]
