"""A source configured with nothing but its homepage still yields every article: the crawler walks the sections
in the homepage's menu (with their pagers) and reads the feed the homepage announces."""

from __future__ import annotations

import yaml
from sqlmodel import select

from crawlers.engine.run import run_crawl
from store.db import session_scope
from store.models import Item
from tests.crawlers.conftest import isolated_env
from tests.crawlers.quality import compare


def test_a_homepage_only_source_reaches_articles_through_its_sections_and_feed(farm, tmp_path, monkeypatch):
    isolated_env(monkeypatch, tmp_path, None)
    site = farm.site("farm-bao-tinh")
    entry = {
        "id": site.source_id,
        "name": site.name,
        "kind": "newspaper",
        "homepage": site.url("/"),
        "listings": [site.url("/")],
    }
    sources = tmp_path / "homepage-only.yaml"
    sources.write_text(yaml.safe_dump({"sources": [entry]}, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("GDNN_SOURCES", str(sources))
    from gdnn_monitor.core.settings import get_settings

    get_settings.cache_clear()
    farm.clear_hits()
    summary = run_crawl(trigger="test")
    with session_scope() as session:
        items = list(session.exec(select(Item)))
    quality = compare(items, site.expected())
    assert quality.recall == 1.0 and quality.unexpected == [] and quality.duplicates == []
    requested = site.requested_paths()
    assert "/giao-duc/?page=3" in requested and "/rss/home.rss" in requested
    assert not any(path.startswith(("/lien-he", "/tim-kiem", "/noi-bo/", "/print/")) for path in requested)
    assert summary.sources[0].status == "ok"


def test_a_source_page_budget_caps_what_is_fetched(farm, tmp_path, monkeypatch):
    isolated_env(monkeypatch, tmp_path, None)
    site = farm.site("farm-cao-dang")
    sources = tmp_path / "budget.yaml"
    sources.write_text(
        yaml.safe_dump({"sources": [{**site.source_entry(), "max_pages": 4}]}, allow_unicode=True), encoding="utf-8"
    )
    monkeypatch.setenv("GDNN_SOURCES", str(sources))
    from gdnn_monitor.core.settings import get_settings

    get_settings.cache_clear()
    farm.clear_hits()
    summary = run_crawl(trigger="test")
    fetched = [path for path in site.requested_paths() if path != "/robots.txt"]
    assert len(fetched) == 4 and summary.sources[0].pages == 4 and summary.sources[0].new_items == 3
