"""Helpers of the real-web tests (issue 12): farm articles dated relative to today, and a crawl environment for a
handful of farm sites with the default back-fill (GDNN_BACKFILL_SINCE unset)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from gdnn_monitor.demo.farm.article import TZ, FarmArticle
from gdnn_monitor.demo.farm.server import SiteServer
from gdnn_monitor.demo.farm.sites import Site
from tests.crawlers.conftest import isolated_env
from tests.crawlers.farm.corpus import load_articles

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "realweb"


def now() -> datetime:
    return datetime.now(TZ).replace(microsecond=0)


def dated(articles: list[FarmArticle], newest: datetime, spacing: timedelta) -> list[FarmArticle]:
    """The articles re-dated newest first, `spacing` apart, starting at `newest`."""
    return [replace(article, published=newest - index * spacing) for index, article in enumerate(articles)]


def recent_articles(
    count: int, offset: int = 0, spacing: timedelta = timedelta(hours=19, minutes=7)
) -> list[FarmArticle]:
    """`count` distinct articles (keys from `offset`), the newest two hours old."""
    articles = load_articles(offset + count)[offset:]
    return dated(articles, now() - timedelta(hours=2), spacing)


def write_sources(path: Path, sites: list[Site], **extra_by_id: dict) -> Path:
    entries = [{**site.source_entry(), **extra_by_id.get(site.source_id.replace("-", "_"), {})} for site in sites]
    path.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@contextmanager
def serving(sites: list[Site]) -> Iterator[list[Site]]:
    servers = [SiteServer(site, site.ip).start() for site in sites]
    try:
        yield sites
    finally:
        for server in servers:
            server.stop()


def realweb_env(
    monkeypatch: pytest.MonkeyPatch, folder: Path, sites: list[Site], sources_extra: dict | None = None, **settings: str
) -> None:
    """A fresh database and a sources file of these sites; the plan-year back-fill at its default."""
    isolated_env(monkeypatch, folder, None, GDNN_BACKFILL_SINCE="", **settings)
    monkeypatch.setenv("GDNN_SOURCES", str(write_sources(folder / "sources.yaml", sites, **(sources_extra or {}))))
    from gdnn_monitor.core.settings import get_settings

    get_settings.cache_clear()
