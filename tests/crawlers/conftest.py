"""Crawler test fixtures: the local farm of sites, and a module-wide isolated environment whose sources file
points at it (crawls are the slow part, so one crawl serves many assertions)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from gdnn_monitor.core.settings import Settings, get_settings
from gdnn_monitor.demo.farm.sites import GraphApi
from store.db import reset_engines
from tests.crawlers.farm.build import Farm, start_farm


@pytest.fixture(scope="module")
def farm() -> Iterator[Farm]:
    farm = start_farm()
    yield farm
    farm.stop()


def isolated_env(monkeypatch: pytest.MonkeyPatch, folder: Path, farm: Farm | None, **extra: str) -> Settings:
    """GDNN_* pointing at a fresh SQLite file and the farm's sources file; nothing of the developer's setup."""
    for key in list(os.environ):
        if key.startswith("GDNN_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("GDNN_DATABASE_URL", f"sqlite:///{folder / 'gdnn.sqlite3'}")
    monkeypatch.setenv("GDNN_DATA_DIR", str(folder / "data"))
    monkeypatch.setenv("GDNN_DOWNLOAD_DELAY", "0")
    if farm is not None:
        monkeypatch.setenv("GDNN_SOURCES", str(farm.write_sources(folder / "sources.yaml")))
        monkeypatch.setenv("GDNN_FACEBOOK_GRAPH_URL", farm.site(GraphApi.source_id).base + "/v19.0")
        monkeypatch.setenv("GDNN_FACEBOOK_TOKEN", GraphApi.TOKEN)
    for key, value in extra.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    reset_engines()
    return get_settings()


@pytest.fixture(scope="module")
def farm_env(farm: Farm, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    monkeypatch = pytest.MonkeyPatch()
    settings = isolated_env(monkeypatch, tmp_path_factory.mktemp("farm-crawl"), farm)
    yield settings
    monkeypatch.undo()
    get_settings.cache_clear()
    reset_engines()
