"""One daily pipeline run: crawl every due source → classify new items → update source health and back-off → send
a digest of new items awaiting review. One crawl at a time, across processes, through the database lock; a failing
step is logged and the next steps still run."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from gdnn_monitor.core.logs import new_run_id, run_context
from gdnn_monitor.pipeline.crawl import (
    FAILED,
    CrawlFunction,
    classify_new_items,
    default_crawl,
    mark_interrupted_runs,
    record_crawl_failure,
)
from gdnn_monitor.pipeline.digest import (
    SCHEDULE_TRIGGER,
    build_digest,
    describe_summary,
    last_successful_run_start,
    send_digest,
)
from store.locks import CRAWL_LOCK, LockBusy, hold_lock
from store.types import utcnow

log = logging.getLogger("gdnn.scheduler")


@dataclass
class PipelineResult:
    """What one pipeline run did; status is ok, failed (the crawl failed) or skipped (another crawl was running)."""

    run_id: str
    status: str = "ok"
    error: str | None = None
    crawl_summary: object | None = None
    classified: int = 0
    backed_off: dict[str, datetime] = field(default_factory=dict)
    digest_items: int = 0
    digest_sent: bool = False


def sources_to_crawl(now: datetime | None = None) -> list[str]:
    """Enabled sources whose back-off has passed, in sources-file order."""
    from gdnn_monitor.pipeline.backoff import due_source_ids, update_backoff
    from store.db import session_scope
    from store.registry import load_sources
    from store.sources import sync_sources

    registry = load_sources()
    with session_scope() as session:
        sync_sources(session, registry)
        update_backoff(session, now)
        return due_source_ids(session, [source.id for source in registry.enabled()], now)


def refresh_backoff() -> dict[str, datetime]:
    from gdnn_monitor.pipeline.backoff import update_backoff
    from store.db import session_scope

    with session_scope() as session:
        backed_off = update_backoff(session)
    for source_id, until in backed_off.items():
        log.warning(
            "source %s keeps failing: skipped until %s",
            source_id,
            until.isoformat(timespec="minutes"),
            extra={"source_id": source_id},
        )
    return backed_off


def _step(name: str, function: Callable[[], object], default: object) -> object:
    """Run one pipeline step; its failure is logged and the following steps still run."""
    try:
        return function()
    except Exception:
        log.exception("pipeline step %r failed; continuing", name)
        return default


def run_pipeline(
    trigger: str = SCHEDULE_TRIGGER, crawl: CrawlFunction | None = None, stopping: threading.Event | None = None
) -> PipelineResult:
    """One daily run. A crawl that crashes is recorded as failed and the later steps (health, digest) still run;
    when another crawl holds the lock the run is skipped, never doubled; a stop request ends it after the crawl."""
    from store.db import session_scope

    crawl = crawl or default_crawl()
    with run_context(new_run_id(trigger)) as run_id:
        result = PipelineResult(run_id=run_id)
        try:
            with hold_lock(CRAWL_LOCK):
                log.info("pipeline started (trigger %s)", trigger)
                with session_scope() as session:
                    stale = mark_interrupted_runs(session, "interrupted: the crawling process stopped before finishing")
                    digest_since = last_successful_run_start(session)
                if stale:
                    log.warning("closed crawl run(s) left open by a process that died: %s", ", ".join(stale))
                crawl_started = _crawl_step(crawl, trigger, result)
                if stopping is not None and stopping.is_set():
                    _record_stop(crawl_started, result)
                    return result
                result.classified = _step("classify", classify_new_items, 0)
                result.backed_off = _step("health", refresh_backoff, {})
                _step("digest", lambda: _digest_step(digest_since, result), None)
        except LockBusy as busy:
            result.status, result.error = "skipped", str(busy)
            log.warning("pipeline skipped: another crawl is running (%s)", busy)
            return result
        log.info("pipeline finished: %s", result.status if not result.error else f"{result.status} ({result.error})")
        return result


def _record_stop(crawl_started: datetime, result: PipelineResult) -> None:
    from store.db import session_scope

    reason = "interrupted: the scheduler was stopped (SIGTERM) during the crawl"
    with session_scope() as session:
        closed = mark_interrupted_runs(session, reason, started_after=crawl_started, finished_too=True)
    result.status, result.error = FAILED, reason
    log.warning("pipeline stopped; crawl run(s) recorded as interrupted: %s", ", ".join(closed) or "none open")


def _crawl_step(crawl: CrawlFunction, trigger: str, result: PipelineResult) -> datetime:
    """Crawl the due sources; returns when the crawl started (to find the run it recorded)."""
    started = utcnow()
    try:
        source_ids = sources_to_crawl(started)
        if not source_ids:
            log.warning("no source to crawl: every enabled source is backed off or none is enabled")
            return started
        result.crawl_summary = crawl(source_ids=source_ids, trigger=trigger)
        status = getattr(result.crawl_summary, "status", None)
        log.info(
            "crawl run %s: %s; %s",
            getattr(result.crawl_summary, "run_id", "?"),
            status,
            describe_summary(result.crawl_summary),
            extra={"crawl_run_id": getattr(result.crawl_summary, "run_id", None)},
        )
        if status == FAILED:
            result.status, result.error = FAILED, _failure_reason(result.crawl_summary)
    except Exception as exc:
        result.status, result.error = FAILED, f"{type(exc).__name__}: {exc}"
        log.exception("crawl failed")
        _step("record failure", lambda: record_crawl_failure(started, trigger, result.error), None)
    return started


def _failure_reason(summary: object) -> str:
    """The crawler's error, or why a crawl without one still failed (no source could be reached)."""
    error = getattr(summary, "error", None)
    if error:
        return error
    attempted = getattr(summary, "attempted", None)
    if attempted is not None:
        return f"không truy cập được nguồn nào (no source reachable: 0 of {len(attempted)})"
    return "crawl failed"


def _digest_step(since: datetime | None, result: PipelineResult) -> None:
    from store.db import session_scope

    with session_scope() as session:
        digest = build_digest(session, since, result.run_id, result)
    result.digest_items = digest.new_items
    result.digest_sent = send_digest(digest)
