"""The production path: a crawl writing to PostgreSQL stores every article once and a second crawl adds nothing."""

from __future__ import annotations

import pytest
from sqlmodel import select

from crawlers.engine.run import run_crawl
from gdnn_monitor.core.settings import get_settings
from store.db import reset_engines, session_scope
from store.models import Item
from tests.crawlers.conftest import isolated_env
from tests.crawlers.quality import compare

SITES = ["farm-cong-tt", "farm-bao-tinh"]


@pytest.mark.postgres
def test_a_crawl_into_postgresql_is_complete_and_idempotent(farm, tmp_path, monkeypatch, postgres_url):
    isolated_env(monkeypatch, tmp_path, farm, GDNN_DATABASE_URL=postgres_url)
    assert get_settings().database_url.startswith("postgresql")
    first = run_crawl(SITES, trigger="test")
    second = run_crawl(SITES, trigger="test")
    with session_scope() as session:
        items = list(session.exec(select(Item)))
    quality = compare(items, farm.expected(set(SITES)))
    assert quality.recall == 1.0 and quality.duplicates == [] and quality.unexpected == []
    assert first.new_items == len(items) and second.new_items == 0 and first.exit_code == second.exit_code == 0
    republished = [item for item in items if item.title == farm.site("farm-bao-tinh").articles[4].title]
    assert len(republished) == 2 and len({item.story_id for item in republished}) == 1
    reset_engines()
