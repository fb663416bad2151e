"""The tables. Items keep their current classification and review state denormalised for fast dashboards;
Classification and Review keep the full history (Review is an append-only audit trail)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, Index, Text, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from gdnn_monitor.core.textnorm import search_index
from store.types import UTCDateTime, utcnow


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


class Item(SQLModel, table=True):
    """One placement of a story: a crawled article/video/post, or a manual entry made by an officer."""

    __table_args__ = (
        Index("ix_item_published_source", "published_at", "source_id"),
        Index("ix_item_zone_score", "zone", "gdnn_score"),
        # Covering indexes of the web app: the review queue's filters, title search and order, and the counting rule
        # by period.
        Index(
            "ix_item_queue",
            "review",
            "zone",
            "gdnn_score",
            "source_id",
            "theme",
            "published_at",
            "fetched_at",
            "search_title",
        ),
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
