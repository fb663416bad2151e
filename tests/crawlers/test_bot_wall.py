"""A site behind a bot wall (a Cloudflare-like "Just a moment…" challenge, a JavaScript-only shell): recognised,
recorded as the source's error "trang chặn truy cập tự động", shown in the source's health, never stored, and not
asked again and again."""

from __future__ import annotations

import pytest
from sqlmodel import select

from crawlers.engine.botwall import BOT_WALL_ERROR, is_bot_wall
from gdnn_monitor.demo.farm.realweb import CHALLENGE, SCRIPT_SHELL, BotWallSite
from gdnn_monitor.pipeline.crawl import run_crawl
from gdnn_monitor.pipeline.health import source_health
from store.db import session_scope
from store.models import Item, Source
from tests.crawlers.realweb import FIXTURES, realweb_env, serving


@pytest.fixture
def walled_crawl(tmp_path, monkeypatch):
    site = BotWallSite([])
    with serving([site]):
        realweb_env(monkeypatch, tmp_path, [site])
        summary = run_crawl(trigger="test")
        yield site, summary


def test_the_challenge_is_the_source_s_error_and_nothing_is_stored(walled_crawl):
    site, summary = walled_crawl
    result = summary.sources[0]
    assert result.status == "failed" and BOT_WALL_ERROR in result.last_error
    with session_scope() as session:
        assert list(session.exec(select(Item))) == []
        assert BOT_WALL_ERROR in session.get(Source, site.source_id).last_error
    health = {entry.config.id: entry for entry in source_health()}[site.source_id]
    assert health.status == "failing" and BOT_WALL_ERROR in health.row.last_error


def test_a_challenge_answered_with_503_is_not_retried(walled_crawl):
    site, _summary = walled_crawl
    assert [hit.path for hit in site.hits].count("/giao-duc/") == 1


def test_challenge_pages_and_script_shells_are_recognised_but_articles_are_not():
    assert is_bot_wall(CHALLENGE.encode(), 503)
    assert is_bot_wall(SCRIPT_SHELL.encode(), 200)
    assert is_bot_wall(b"<html><body>ok</body></html>", 403, {"cf-mitigated": "challenge"})
    for page in sorted(FIXTURES.parent.glob("**/*.html")):
        assert not is_bot_wall(page.read_bytes()), page.name
