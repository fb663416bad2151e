"""Stand-ins the pipeline and scheduler tests hand to the pipeline instead of a real crawl."""

from __future__ import annotations

import time
from types import SimpleNamespace

from sqlmodel import select

from store.db import session_scope
from store.models import CrawlRun, Item
from store.types import utcnow


class RecordingCrawl:
    """Stands in for gdnn_monitor.pipeline.crawl.run_crawl: opens a CrawlRun, stores the given items, closes the run
    (or dies)."""

    def __init__(self, items=(), fail_with: Exception | None = None, open_run_first: bool = True) -> None:
        self.items, self.fail_with, self.open_run_first = list(items), fail_with, open_run_first
        self.calls: list[dict] = []

    def __call__(self, source_ids=None, since=None, trigger="cli", progress=None):
        self.calls.append({"source_ids": source_ids, "trigger": trigger})
        run_id = f"fake-{len(self.calls)}-{time.monotonic_ns()}"
        if self.open_run_first:
            with session_scope() as session:
                session.add(CrawlRun(run_id=run_id, trigger=trigger))
        if self.fail_with is not None:
            raise self.fail_with
        with session_scope() as session:
            for item in self.items:
                session.add(Item(**item))
            run = session.exec(select(CrawlRun).where(CrawlRun.run_id == run_id)).one()
            run.status, run.finished_at, run.new_items = "ok", utcnow(), len(self.items)
            session.add(run)
        return SimpleNamespace(status="ok", new_items=len(self.items), pages=len(self.items), errors=0)
