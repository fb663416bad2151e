"""A crawl as the product runs it: under the database crawl lock, distributed when PostgreSQL and Redis are
configured, and followed by classification of what it stored. `gdnn-monitor crawl`, the scheduler and the demo all
come through here; the crawl engine itself (crawlers.engine) knows nothing of locks or the classifier."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from gdnn_monitor.core.logs import new_run_id
from store.locks import CRAWL_LOCK, hold_lock
from store.models import CrawlRun, Item
from store.types import utcnow

if TYPE_CHECKING:
    from crawlers.engine.run import CrawlSummary, Progress

logger = logging.getLogger(__name__)
log = logging.getLogger("gdnn.scheduler")

FAILED = "failed"
RUNNING = "running"
CLASSIFY_LIMIT = 5000

CrawlFunction = Callable[..., Any]


# --- classification of what a crawl stored ---------------------------------------------------------------------------


def classify_ids(item_ids: list[int]) -> int:
    """Classify these items when a model is installed (the scheduler's hook too); how many were classified."""
    return classify_with_note(item_ids)[0]


def classify_with_note(item_ids: list[int]) -> tuple[int, str | None]:
    """Classify what a crawl added when a model is installed; without one the items wait for `classify`.

    Returns how many were classified and, when none could be, why (shown in the crawl summary)."""
    if not item_ids:
        return 0, None
    from store.db import session_scope

    try:
        from classifier import classify_items, load_model

        model = load_model()
    except Exception as exc:  # no classifier or no trained model yet is a normal state of a fresh install
        note = f"chưa phân loại {len(item_ids)} tin mới: {exc} (new items stay unclassified)"
        logger.info("%s", note)
        return 0, note
    with session_scope() as session:
        items = list(session.exec(select(Item).where(Item.id.in_(item_ids))))
        classify_items(session, items, model)
    return len(item_ids), None


def run_crawl(
    source_ids: list[str] | tuple[str, ...] | None = None,
    since: date | datetime | str | None = None,
    trigger: str = "cli",
    progress: Progress | None = None,
    *,
    distributed: bool = False,
    classify: bool = True,
) -> CrawlSummary:
    """The engine's crawl (crawlers.engine.run.run_crawl), then classification of the new items it stored."""
    from crawlers.engine import run as engine  # Scrapy and its child process load only when a crawl runs

    summary = engine.run_crawl(source_ids, since, trigger, progress, distributed=distributed)
    if classify:
        try:
            summary.classified, summary.classify_note = classify_with_note(summary.new_item_ids)
        except Exception as exc:  # classification is a later step the officer can rerun; the crawl stands
            summary.classify_note = f"phân loại thất bại (classification failed): {type(exc).__name__}: {exc}"
            logger.warning(summary.classify_note)
    return summary


def classify_new_items(limit: int = CLASSIFY_LIMIT) -> int:
    """Classify crawled items still without a decision (no model at crawl time, or the crawl died before it),
    oldest first, through the same hook a crawl uses."""
    from store.db import session_scope

    with session_scope() as session:
        ids = list(
            session.exec(
                select(Item.id)
                .where(Item.model_version.is_(None), Item.origin == "crawl")
                .order_by(Item.id)
                .limit(limit)
            )
        )
    classified = classify_ids(ids)
    if ids:
        log.info("classified %d of %d item(s) left unclassified", classified, len(ids))
    return classified


# --- the crawl under the lock ----------------------------------------------------------------------------------------


def default_crawl() -> CrawlFunction:
    """A classifying crawl, or a distributed one that workers join when PostgreSQL and Redis are configured."""
    from crawlers.engine.distributed import distributed_enabled, run_distributed_crawl

    return functools.partial(run_distributed_crawl, crawl=run_crawl) if distributed_enabled() else run_crawl


def mark_interrupted_runs(
    session: Session, reason: str, started_after: datetime | None = None, finished_too: bool = False
) -> list[str]:
    """Close CrawlRun rows still 'running' (their process died): recorded as failed with the reason, never left open.
    With finished_too, runs that closed themselves after a stop request are marked too (they are incomplete).
    Only call this while holding the crawl lock, when no other crawl can be running."""
    query = select(CrawlRun).where(CrawlRun.status != FAILED if finished_too else CrawlRun.status == RUNNING)
    if started_after is not None:
        query = query.where(CrawlRun.started_at >= started_after)
    closed = []
    for run in session.exec(query):
        run.status, run.error, run.finished_at = FAILED, reason, utcnow()
        session.add(run)
        closed.append(run.run_id)
    session.flush()
    return closed


def record_crawl_failure(started: datetime, trigger: str, error: str) -> str:
    """The crawl raised: close the run it opened as failed, or record one if it died before opening it."""
    from store.db import session_scope

    with session_scope() as session:
        closed = mark_interrupted_runs(session, error, started_after=started)
        if closed:
            return closed[0]
        run_id = new_run_id("failed")
        session.add(
            CrawlRun(
                run_id=run_id, trigger=trigger, started_at=started, finished_at=utcnow(), status=FAILED, error=error
            )
        )
        return run_id


def run_crawl_locked(crawl: CrawlFunction | None = None, *args, **kwargs) -> object:
    """Run one crawl while holding the database crawl lock (raises LockBusy at once if another crawl runs)."""
    crawl = crawl or default_crawl()
    with hold_lock(CRAWL_LOCK):
        from store.db import session_scope

        with session_scope() as session:
            stale = mark_interrupted_runs(session, "interrupted: the crawling process stopped before finishing")
        if stale:
            log.warning("closed %d crawl run(s) left open by a process that died: %s", len(stale), ", ".join(stale))
        return crawl(*args, **kwargs)


def crawl_entry(worker: bool = False, wait_seconds: float = 3600) -> CrawlFunction:
    """What `gdnn-monitor crawl` runs, with run_crawl's signature: a crawl under the database crawl lock (distributed
    when PostgreSQL and Redis are configured), or with --worker, joining the current distributed crawl."""
    from crawlers.engine.distributed import WORKER_TRIGGER, join_crawl
    from gdnn_monitor.core.errors import UserError
    from store.locks import LockBusy

    if worker:

        def join(source_ids=None, since=None, trigger=WORKER_TRIGGER, progress=None, **_ignored):
            from gdnn_monitor.core.logs import configure_logging, run_context

            configure_logging()  # a worker runs as a service: its log lines go to the journal, as GDNN_LOG_FORMAT says
            with run_context(new_run_id("worker")):
                summary = join_crawl(wait_seconds, progress, crawl=run_crawl)
            if summary is None:
                raise UserError(
                    f"không có lần thu thập phân tán nào bắt đầu trong {wait_seconds:.0f} s "
                    "(no distributed crawl started to join)"
                )
            return summary

        return join

    def locked(*args, **kwargs):
        crawl = default_crawl()
        try:
            return run_crawl_locked(crawl, *args, **kwargs)
        except LockBusy as busy:
            raise UserError(f"một lần thu thập khác đang chạy (another crawl is running): {busy}") from busy

    return locked
