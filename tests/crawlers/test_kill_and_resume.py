"""A crawler killed half way keeps every item it had stored (each one complete), the run is recorded as failed
without blaming the sources, and the next crawl collects the rest — nothing twice."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pytest
from sqlmodel import select

from crawlers.engine.run import run_crawl
from gdnn_monitor.core.settings import get_settings
from store.db import session_scope
from store.models import CrawlRun, Item, Source
from tests.crawlers.quality import compare

SITES = ["farm-bao-cu", "farm-cao-dang"]


def stored() -> list[Item]:
    with session_scope() as session:
        return list(session.exec(select(Item)))


def kill_crawler_after(items: int):
    seen = []

    def progress(event: dict) -> None:
        if event.get("type") == "item":
            seen.append(event)
            if len(seen) == items:
                for child in multiprocessing.active_children():
                    os.kill(child.pid, signal.SIGKILL)

    return progress


@pytest.fixture
def unhurried(monkeypatch):
    """A small delay between requests, so the crawl is surely still running when the 10th item arrives."""
    monkeypatch.setenv("GDNN_DOWNLOAD_DELAY", "0.1")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_killing_the_crawler_loses_nothing_stored_and_the_next_crawl_completes(farm, farm_env, unhurried):
    summary = run_crawl(SITES, trigger="test", progress=kill_crawler_after(10))
    assert summary.error and "without a report" in summary.error and summary.exit_code == 1
    partial = stored()
    assert 10 <= len(partial) < len(farm.expected(set(SITES)))
    assert all(item.title and item.text and item.story_id and item.content_hash for item in partial)
    with session_scope() as session:
        run = session.exec(select(CrawlRun).where(CrawlRun.run_id == summary.run_id)).one()
        assert run.status == "failed" and run.finished_at is not None
        assert all(session.get(Source, source_id).consecutive_failures == 0 for source_id in SITES)

    again = run_crawl(SITES, trigger="test")
    assert again.error is None and again.exit_code == 0
    quality = compare(stored(), farm.expected(set(SITES)))
    assert quality.recall == 1.0 and quality.duplicates == [] and quality.unexpected == []
    assert again.new_items == len(farm.expected(set(SITES))) - len(partial)


def test_an_interrupted_crawl_is_recorded_as_failed_not_left_running(farm, farm_env):
    def interrupt(event: dict) -> None:
        if event.get("type") == "page":
            raise KeyboardInterrupt

    try:
        run_crawl(["farm-cong-tt"], trigger="test", progress=interrupt)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the interruption was swallowed")
    assert multiprocessing.active_children() == []
    with session_scope() as session:
        last = session.exec(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
        assert last.status == "failed" and "interrupted" in last.error and last.finished_at is not None
        assert session.get(Source, "farm-cong-tt").consecutive_failures == 0
