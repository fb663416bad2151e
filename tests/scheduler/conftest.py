"""Fixtures of the scheduler tests: settings with a small sources file, helpers to fill the store."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from gdnn_monitor.settings import get_settings
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
    return datetime(*parts, tzinfo=timezone.utc)
