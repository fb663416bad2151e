"""The tables. Items keep their current classification and review state denormalised for fast dashboards;
Classification and Review keep the full history (Review is an append-only audit trail)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, Column, Computed, Float, Index, Integer, String, Text, UniqueConstraint, event, false
from sqlmodel import Field, SQLModel

from gdnn_monitor.core.textnorm import search_index
from store.types import UTCDateTime, utcnow

# The review queue's order in one number: zone first (review, accept, reject, unclassified), then how unsure the
# model is (|score - 0.5| < 1), so one index walk serves the queue instead of sorting every matching item.
QUEUE_ORDER_SQL = (
    "CASE zone WHEN 'review' THEN 0 WHEN 'accept' THEN 1 WHEN 'reject' THEN 2 ELSE 3 END "
    "+ abs(coalesce(gdnn_score, 0.5) - 0.5)"
)
QUEUE_FILTER_COLUMNS = ("source_id", "theme", "published_at", "fetched_at")
ZONE_RANKS = {"review": 0, "accept": 1, "reject": 2}  # the whole part of QUEUE_ORDER_SQL


def _time(nullable: bool = True, index: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class Source(SQLModel, table=True):
    """A registered outlet, mirrored from the sources file, with its crawl health."""

    id: str = Field(primary_key=True, max_length=100)
    name: str
    kind: str = Field(index=True, max_length=20)
    province: Optional[str] = None
    homepage: Optional[str] = None
    enabled: bool = True
    last_crawl_at: Optional[datetime] = Field(default=None, sa_column=_time())
    last_success_at: Optional[datetime] = Field(default=None, sa_column=_time())
    last_failure_at: Optional[datetime] = Field(default=None, sa_column=_time())
    consecutive_failures: int = 0
    last_error: Optional[str] = Field(default=None, sa_column=Column(Text))
    backoff_until: Optional[datetime] = Field(default=None, sa_column=_time())
    crawl_note: Optional[str] = Field(default=None, sa_column=Column(Text))


class Item(SQLModel, table=True):
    """One placement of a story: a crawled article/video/post, or a manual entry made by an officer."""

    __table_args__ = (
        Index("ix_item_published_source", "published_at", "source_id"),
        Index("ix_item_zone_score", "zone", "gdnn_score"),
        # The counting rule by period, covered; confirmed items by period (any zone) for the reports; the review
        # queue's indexes follow the class (they need its columns).
        Index("ix_item_review_published", "review", "published_at", "fetched_at"),
        Index(
            "ix_item_counting",
            "review",
            "zone",
            "published_at",
            "fetched_at",
            "story_id",
            "source_id",
            "genre",
            "channel",
            "theme",
            "quantity",
        ),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    url: str = Field(sa_column=Column(Text, unique=True, nullable=False))
    source_id: str = Field(foreign_key="source.id", index=True, max_length=100)
    origin: str = Field(default="crawl", max_length=10)
    title: str = Field(sa_column=Column(Text, nullable=False))
    search_title: Optional[str] = Field(default=None, sa_column=Column(Text))
    summary: Optional[str] = Field(default=None, sa_column=Column(Text))
    text: Optional[str] = Field(default=None, sa_column=Column(Text))
    published_at: Optional[datetime] = Field(default=None, sa_column=_time(index=True))
    fetched_at: datetime = Field(default_factory=utcnow, sa_column=_time(nullable=False))
    author: Optional[str] = None
    genre: str = Field(default="article", max_length=20)
    language: str = Field(default="vi", max_length=10)
    channel: Optional[str] = Field(default=None, max_length=40)
    quantity: int = 1
    content_hash: Optional[str] = Field(default=None, index=True, max_length=64)
    simhash: Optional[str] = Field(default=None, max_length=20)
    story_id: Optional[str] = Field(default=None, index=True, max_length=64)
    note: Optional[str] = Field(default=None, sa_column=Column(Text))
    created_by: Optional[str] = None
    attachment: Optional[str] = None
    # stored from the feed entry alone (robots.txt refuses the page): title, description, link and date, no body
    feed_only: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    attachment_url: Optional[str] = Field(default=None, sa_column=Column(Text))
    publisher: Optional[str] = None
    gdnn_score: Optional[float] = None
    gdnn: Optional[bool] = None
    theme: Optional[str] = Field(default=None, max_length=20)
    activity_group: Optional[int] = None
    zone: Optional[str] = Field(default=None, max_length=10)
    explanation: Optional[str] = Field(default=None, sa_column=Column(Text))
    # 'negative' for bad news about a vocational school (scandal, discipline, fraud, fake certificates, closure),
    # with the phrases that say so as a JSON list; 'neutral' otherwise; None when not classified or rejected
    tone: Optional[str] = Field(default=None, max_length=10, index=True)
    tone_phrases: Optional[str] = Field(default=None, sa_column=Column(Text))
    model_version: Optional[str] = None
    review: Optional[str] = Field(default=None, max_length=10, index=True)
    reviewed_by: Optional[str] = None
    reviewed_at: Optional[datetime] = Field(default=None, sa_column=_time())
    queue_order: Optional[float] = Field(default=None, sa_column=Column(Float, Computed(QUEUE_ORDER_SQL)))
    # Bumped by every decision and undo: a decision applies only to the version it was made on (store.reviews).
    review_version: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))


_columns = Item.__table__.c
# The review queue in its order (queue_order, newest first among equals), by status, by source and for "all", each
# carrying the filter columns so a filtered page walks one index and never reads article rows.
Index(
    "ix_item_queue_order",
    _columns.review,
    _columns.queue_order,
    _columns.id.desc(),
    *(_columns[name] for name in QUEUE_FILTER_COLUMNS),
)
Index(
    "ix_item_queue_source",
    _columns.source_id,
    _columns.queue_order,
    _columns.id.desc(),
    _columns.review,
    _columns.theme,
    _columns.published_at,
    _columns.fetched_at,
)
Index("ix_item_queue_all", _columns.queue_order, _columns.id.desc(), *(_columns[name] for name in QUEUE_FILTER_COLUMNS))


@event.listens_for(Item, "before_insert")
@event.listens_for(Item, "before_update")
def _keep_search_title(_mapper, _connection, item: Item) -> None:
    """The queue's title search reads this lower-case copy of the title (with and without tone marks)."""
    item.search_title = search_index(item.title)


class Classification(SQLModel, table=True):
    """Every model decision ever made on an item, so a model change can be audited."""

    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    model_version: str
    score: float
    label: bool
    theme: Optional[str] = None
    activity_group: Optional[int] = None
    zone: str = Field(max_length=10)
    explanation: Optional[str] = Field(default=None, sa_column=Column(Text))
    tone: Optional[str] = Field(default=None, max_length=10)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_time(nullable=False))


class Review(SQLModel, table=True):
    """Append-only audit trail of officers' decisions; an undo is a new row pointing at the row it undoes."""

    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    user: str
    at: datetime = Field(default_factory=utcnow, sa_column=_time(nullable=False))
    decision: str = Field(max_length=20)
    corrected: Optional[str] = Field(default=None, sa_column=Column(Text))
    note: Optional[str] = Field(default=None, sa_column=Column(Text))
    undoes_id: Optional[int] = Field(default=None, foreign_key="review.id")


class CrawlRun(SQLModel, table=True):
    """One crawl (all sources or a selection) with its outcome."""

    id: Optional[int] = Field(default=None, primary_key=True)
    run_id: str = Field(unique=True, max_length=40)
    trigger: str = Field(default="cli", max_length=20)
    started_at: datetime = Field(default_factory=utcnow, sa_column=_time(nullable=False))
    finished_at: Optional[datetime] = Field(default=None, sa_column=_time())
    status: str = Field(default="running", max_length=20)
    error: Optional[str] = Field(default=None, sa_column=Column(Text))
    pages: int = 0
    new_items: int = 0
    errors: int = 0


class CrawlRunSource(SQLModel, table=True):
    """Per-source statistics and errors of one crawl run."""

    __table_args__ = (UniqueConstraint("run_id", "source_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    run_id: str = Field(foreign_key="crawlrun.run_id", index=True, max_length=40)
    source_id: str = Field(max_length=100, index=True)
    status: str = Field(default="running", max_length=20)
    pages: int = 0
    new_items: int = 0
    updated_items: int = 0
    errors: int = 0
    last_error: Optional[str] = Field(default=None, sa_column=Column(Text))


class FeedState(SQLModel, table=True):
    """Conditional-GET state of a feed or sitemap URL (ETag, Last-Modified)."""

    url: str = Field(sa_column=Column(Text, primary_key=True))
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    last_fetched_at: Optional[datetime] = Field(default=None, sa_column=_time())


class User(SQLModel, table=True):
    """A web-app account; the password is stored only as an argon2 hash."""

    id: Optional[int] = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=80)
    password_hash: str
    role: str = Field(max_length=20)
    active: bool = True
    # Bumped to end every session of the account (logout, new password, deactivation, "log out everywhere").
    session_generation: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_time(nullable=False))


class KpiTarget(SQLModel, table=True):
    """A yearly target of the communication plan, e.g. 50 tin/bài or 1,000 sản phẩm truyền thông."""

    __table_args__ = (UniqueConstraint("year", "metric"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    metric: str = Field(max_length=40)
    target: int
    label: Optional[str] = None


class JobLock(SQLModel, table=True):
    """A named lock in the database, so two crawls never run at once even from different processes or machines."""

    name: str = Field(primary_key=True, max_length=60)
    holder: str
    acquired_at: datetime = Field(sa_column=_time(nullable=False))
    expires_at: datetime = Field(sa_column=_time(nullable=False))


class SummaryCache(SQLModel, table=True):
    """A period's dashboard numbers, valid while the items' change counter still reads `version` (store/summaries.py):
    adding up a year of a large archive on every page view would cost seconds."""

    key: str = Field(primary_key=True, max_length=120)
    version: int
    payload: str = Field(sa_column=Column(Text, nullable=False))
    computed_at: datetime = Field(sa_column=_time(nullable=False))


class ItemChange(SQLModel, table=True):
    """SQLite's change counter of the items (one row, bumped by triggers); PostgreSQL uses a sequence instead."""

    id: int = Field(primary_key=True)
    version: int = 0


def zone_range(zone: str) -> list:
    """Items of one zone as a range of queue_order (the zone is its whole part), so the queue index answers it."""
    rank = ZONE_RANKS[zone]
    return [Item.queue_order >= rank, Item.queue_order < rank + 1]


class LoginLock(SQLModel, table=True):
    """A login lock of the throttle (an address, or an address + user name), kept so a restart does not lift it."""

    key: str = Field(sa_column=Column(String(200), primary_key=True))
    locked_until: datetime = Field(sa_column=_time(nullable=False))
