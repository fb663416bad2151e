"""Run one crawl: bookkeeping in this process, Scrapy in a child process.

The Twisted reactor cannot be restarted inside a process, so every crawl gets a fresh child (spawned, not
forked, because the scheduler and web app run threads). The child stores items one by one and streams progress
events back; this process records the CrawlRun, per-source results and source health. Classifying what a crawl
stored is the pipeline's step (gdnn_monitor.pipeline.crawl), so the crawlers never depend on the classifier.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue as queue_module
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import select

from gdnn_monitor.core.dates import start_of_day
from gdnn_monitor.core.errors import EXIT_FAILURE, EXIT_NETWORK, EXIT_OK
from gdnn_monitor.core.settings import Settings, get_settings
from store.db import session_scope
from store.models import CrawlRun, CrawlRunSource, Item, Source
from store.registry import SourceConfig, load_sources
from store.sources import sync_sources
from store.types import utcnow

logger = logging.getLogger(__name__)
Progress = Callable[[dict[str, Any]], None]
CHILD_GRACE_SECONDS = 30


@dataclass
class SourceResult:
    """One source's outcome: ok, partial (some pages failed), failed (nothing reachable/usable) or skipped."""

    source_id: str
    name: str
    status: str
    pages: int = 0
    new_items: int = 0
    updated_items: int = 0
    errors: int = 0
    last_error: str | None = None
    reachable: bool = False
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class CrawlSummary:
    run_id: str
    started_at: datetime
    finished_at: datetime | None = None
    sources: list[SourceResult] = field(default_factory=list)
    error: str | None = None
    extract_seconds: float = 0.0
    extract_count: int = 0
    store_seconds: float = 0.0
    peak_rss_bytes: int = 0
    new_item_ids: list[int] = field(default_factory=list)
    classified: int = 0  # filled by the pipeline, which classifies new_item_ids after the crawl
    classify_note: str | None = None
    log_file: str | None = None

    @property
    def pages(self) -> int:
        return sum(s.pages for s in self.sources)

    @property
    def new_items(self) -> int:
        return sum(s.new_items for s in self.sources)

    @property
    def errors(self) -> int:
        return sum(s.errors for s in self.sources)

    @property
    def attempted(self) -> list[SourceResult]:
        return [s for s in self.sources if s.status != "skipped"]

    @property
    def reachable(self) -> int:
        return sum(1 for s in self.attempted if s.reachable)

    @property
    def status(self) -> str:
        if self.error or (self.attempted and self.reachable == 0):
            return "failed"
        return "partial" if any(s.status in ("failed", "partial") for s in self.sources) else "ok"

    @property
    def exit_code(self) -> int:
        """0 all good; 1 some source failed; 6 no source reachable at all."""
        if self.error:
            return EXIT_FAILURE
        if self.attempted and self.reachable == 0:
            return EXIT_NETWORK
        if any(s.status == "failed" for s in self.sources):
            return EXIT_FAILURE
        return EXIT_OK

    @property
    def seconds(self) -> float:
        end = self.finished_at or utcnow()
        return (end - self.started_at).total_seconds()

    @property
    def extract_ms_per_page(self) -> float:
        return 1000 * self.extract_seconds / self.extract_count if self.extract_count else 0.0


def since_datetime(since: date | datetime | str | None, settings: Settings) -> datetime | None:
    """--since as an aware datetime: a day means its local midnight."""
    if since is None or since == "":
        return None
    if isinstance(since, str):
        from gdnn_monitor.core.dates import parse_day

        since = parse_day(since)
    if isinstance(since, datetime):
        return since if since.tzinfo else since.replace(tzinfo=settings.tz)
    return start_of_day(since, settings.tz)


def skip_reason(source: SourceConfig, settings: Settings) -> str | None:
    """Why a source cannot be crawled in this configuration (not a failure of the source)."""
    if source.kind == "facebook" and not settings.facebook_token:
        return "bỏ qua: chưa đặt GDNN_FACEBOOK_TOKEN (skipped: no Facebook page token configured)"
    return None


# ---------------------------------------------------------------------- bookkeeping in the parent
def _open_run(run_id: str, trigger: str, sources: list[SourceConfig], skipped: dict[str, str]) -> None:
    with session_scope() as session:
        session.add(CrawlRun(run_id=run_id, trigger=trigger, status="running"))
        session.flush()
        for source in sources:
            status = "skipped" if source.id in skipped else "running"
            session.add(
                CrawlRunSource(run_id=run_id, source_id=source.id, status=status, last_error=skipped.get(source.id))
            )


def _result_of(source: SourceConfig, stats: dict[str, Any] | None, crash: str | None) -> SourceResult:
    if stats is None:
        return SourceResult(source.id, source.name, "failed", last_error=crash or "the crawler stopped early")
    roots_failed = stats["roots"] > 0 and stats["roots_ok"] == 0
    if stats.get("fatal") or roots_failed or crash:
        status = "failed"
    elif stats["errors"]:
        status = "partial"
    else:
        status = "ok"
    last_error = stats.get("fatal") or stats.get("last_error") or crash
    return SourceResult(
        source.id,
        source.name,
        status,
        pages=stats["pages"],
        new_items=stats["new_items"],
        updated_items=stats["updated_items"],
        errors=stats["errors"],
        last_error=last_error,
        reachable=stats["responded"],
        details=stats,
    )


def _update_health(row: Source, result: SourceResult, now: datetime) -> None:
    """Health as data: failures counted in a row, the last error kept until the source works again."""
    if result.status == "skipped":
        row.last_error = result.last_error
        return
    row.last_crawl_at = now
    if result.status == "failed":
        row.last_failure_at = now
        row.consecutive_failures += 1
        row.last_error = (result.last_error or "failed")[:2000]
    else:
        row.last_success_at = now
        row.consecutive_failures = 0
        row.last_error = result.last_error[:2000] if result.status == "partial" and result.last_error else None


def _close_run(summary: CrawlSummary) -> None:
    now = summary.finished_at or utcnow()
    with session_scope() as session:
        run = session.exec(select(CrawlRun).where(CrawlRun.run_id == summary.run_id)).one()
        run.finished_at, run.status, run.error = now, summary.status, summary.error
        run.pages, run.new_items, run.errors = summary.pages, summary.new_items, summary.errors
        session.add(run)
        rows = {
            r.source_id: r for r in session.exec(select(CrawlRunSource).where(CrawlRunSource.run_id == summary.run_id))
        }
        for result in summary.sources:
            row = rows[result.source_id]
            row.status, row.pages, row.new_items = result.status, result.pages, result.new_items
            row.updated_items, row.errors, row.last_error = result.updated_items, result.errors, result.last_error
            session.add(row)
            source = session.get(Source, result.source_id)
            if source is not None and (result.details or result.status == "skipped"):
                _update_health(source, result, now)  # a crashed crawler says nothing about the source's health
                session.add(source)


def _new_item_ids(source_ids: list[str], started_at: datetime) -> list[int]:
    with session_scope() as session:
        return list(
            session.exec(
                select(Item.id).where(
                    Item.source_id.in_(source_ids), Item.fetched_at >= started_at, Item.model_version.is_(None)
                )
            )
        )


# ---------------------------------------------------------------------- the child process
def _child_main(job: dict[str, Any], events: Any) -> None:
    """Entry point of the crawler process: run Scrapy once, stream events, report the statistics at the end."""
    from crawlers.engine.child import crawl_in_this_process

    crawl_in_this_process(job, events.put)


def _drain(events: Any, progress: Progress | None, done: dict[str, Any], timeout: float) -> None:
    try:
        event = events.get(timeout=timeout)
    except queue_module.Empty:
        return
    while True:
        if event.get("type") == "done":
            done.update(event)
        elif progress is not None:
            progress(event)
        try:
            event = events.get_nowait()
        except queue_module.Empty:
            return


def _run_child(job: dict[str, Any], progress: Progress | None) -> tuple[dict[str, Any], str | None]:
    context = multiprocessing.get_context("spawn")
    events = context.Queue()
    process = context.Process(target=_child_main, args=(job, events), name=f"gdnn-crawl-{job['run_id']}")
    process.start()
    done: dict[str, Any] = {}
    try:
        while process.is_alive():
            _drain(events, progress, done, timeout=0.2)
        _drain(events, progress, done, timeout=0.5)
    except BaseException:
        process.terminate()
        process.join(CHILD_GRACE_SECONDS)
        raise
    process.join()
    crash = None
    if not done:
        crash = f"the crawler process ended without a report (exit code {process.exitcode})"
    elif done.get("error"):
        crash = done["error"]
    return done, crash


def run_crawl(
    source_ids: list[str] | tuple[str, ...] | None = None,
    since: date | datetime | str | None = None,
    trigger: str = "cli",
    progress: Progress | None = None,
    *,
    distributed: bool = False,
) -> CrawlSummary:
    """Crawl the named sources (or every enabled one) and return per-source results.

    The scheduler calls this repeatedly; each call records a CrawlRun with one CrawlRunSource per source and
    updates the sources' health. `progress`, if given, receives the crawler's events as they happen:
    {"type": "page", "source", "url"}, {"type": "item", "source", "new"}, {"type": "error", "source", "message"}.
    """
    settings = get_settings()
    registry = load_sources()
    selected = registry.select(list(source_ids) if source_ids else None)
    since_at = since_datetime(since, settings)
    with session_scope() as session:
        sync_sources(session, registry)
    run_id = f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    skipped = {s.id: reason for s in selected if (reason := skip_reason(s, settings))}
    _open_run(run_id, trigger, selected, skipped)
    summary = CrawlSummary(run_id=run_id, started_at=utcnow())
    to_crawl = [s for s in selected if s.id not in skipped]
    report: dict[str, Any] = {}
    crash: str | None = None
    if to_crawl:
        job = {
            "run_id": run_id,
            "sources": [s.model_dump() for s in to_crawl],
            "since": since_at.isoformat() if since_at else None,
            "distributed": distributed,
        }
        started = time.monotonic()
        try:
            report, crash = _run_child(job, progress)
        except BaseException as exc:  # Ctrl-C or a stop signal: the run is closed as failed, never left 'running'
            summary.error = f"interrupted ({type(exc).__name__})"
            summary.finished_at = utcnow()
            summary.sources = [SourceResult(s.id, s.name, "failed", last_error=summary.error) for s in selected]
            _close_run(summary)
            raise
        logger.info("crawl %s: child finished in %.1fs", run_id, time.monotonic() - started)
    stats = report.get("sources", {})
    for source in selected:
        if source.id in skipped:
            summary.sources.append(SourceResult(source.id, source.name, "skipped", last_error=skipped[source.id]))
        else:
            summary.sources.append(_result_of(source, stats.get(source.id), crash if source.id not in stats else None))
    summary.error = crash
    summary.extract_seconds = report.get("extract_seconds", 0.0)
    summary.extract_count = report.get("extract_count", 0)
    summary.store_seconds = report.get("store_seconds", 0.0)
    summary.peak_rss_bytes = report.get("peak_rss_bytes", 0)
    summary.log_file = report.get("log_file")
    summary.finished_at = utcnow()
    _close_run(summary)
    summary.new_item_ids = _new_item_ids([s.id for s in to_crawl], summary.started_at) if to_crawl else []
    return summary
