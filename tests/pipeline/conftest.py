"""Fixtures of the scheduler tests: settings with a small sources file, helpers to fill the store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from gdnn_monitor.core.settings import get_settings
from store.db import reset_engines

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scheduler"


@pytest.fixture
def pipeline_env(settings_env, monkeypatch):
    """settings_env with the scheduler's sources file (two enabled sources, one disabled)."""
    monkeypatch.setenv("GDNN_SOURCES", str(FIXTURES / "sources.yaml"))
    get_settings.cache_clear()
    reset_engines()
    return get_settings()


def aware(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def write_sources(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "farm-sources.yaml"
    path.write_text("sources:\n" + "".join(entries), encoding="utf-8")
    return path


@pytest.fixture
def slow_farm_env(settings_env, tmp_path, monkeypatch):
    """A farm of 80 articles served slowly (0.25 s each, 2 at a time) so a crawl can be interrupted half way."""
    from tests.pipeline.farm import Farm

    farm = Farm(host="127.0.0.31", articles=80, article_delay=0.25).start()
    monkeypatch.setenv("GDNN_SOURCES", str(write_sources(tmp_path, farm.source_yaml(listing_depth=10))))
    monkeypatch.setenv("GDNN_CONCURRENT_REQUESTS", "2")
    get_settings.cache_clear()
    reset_engines()
    yield farm
    farm.stop()


def wait_until(condition, timeout: float, interval: float = 0.1) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def stored_urls() -> list[str]:
    from sqlmodel import select

    from store.db import session_scope
    from store.models import Item

    with session_scope() as session:
        return list(session.exec(select(Item.url)))
