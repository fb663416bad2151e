"""`gdnn-monitor crawl` as a user runs it: --source, --since, the summary, and the exit codes."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
import yaml
from sqlmodel import select

from crawlers.engine.run import run_crawl
from gdnn_monitor.core.errors import EXIT_NETWORK
from store.db import session_scope
from store.models import CrawlRunSource, Item, Source
from tests.crawlers.conftest import isolated_env
from tests.crawlers.farm.corpus import TZ


def gdnn(*args: str) -> subprocess.CompletedProcess:
    """The real command line, in a non-terminal (log-friendly) mode."""
    return subprocess.run(
        [sys.executable, "-c", "from gdnn_monitor.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def env(farm, tmp_path, monkeypatch):
    farm.clear_hits()
    return isolated_env(monkeypatch, tmp_path, farm)


def test_source_and_since_limit_the_crawl_and_stop_the_listing_walk(env, farm):
    site = farm.site("farm-cao-dang")
    cutoff = site.articles[7].published.astimezone(TZ).date()
    result = gdnn("crawl", "--source", "farm-cao-dang", "--since", cutoff.isoformat())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "farm-cao-dang" in result.stdout and "tin mới" in result.stdout
    with session_scope() as session:
        items = list(session.exec(select(Item)))
    assert {item.source_id for item in items} == {"farm-cao-dang"}
    wanted = {site.url(site.path_of(a)) for a in site.articles if a.published.astimezone(TZ).date() >= cutoff}
    assert {item.url for item in items} == wanted
    # page 2 mixes new and old articles, page 3 has only old ones: the walk stops there, page 4 is never asked for
    requested = site.requested_paths()
    assert "/page/3/" in requested and "/page/4/" not in requested
    posts_fetched = [path for path in requested if path.count("/") == 4 and not path.startswith("/page/")]
    assert len(posts_fetched) == 15 < len(site.articles)
    assert [other.source_id for other in farm.sites if other is not site and other.hits] == []


def test_a_since_back_fill_pages_past_the_listing_depth_while_articles_are_new(env, farm, monkeypatch):
    monkeypatch.setenv("GDNN_LISTING_DEPTH", "1")  # a daily crawl would stop after page 2
    site = farm.site("farm-cao-dang")
    cutoff = site.articles[12].published.astimezone(TZ).date()
    result = gdnn("crawl", "--source", "farm-cao-dang", "--since", cutoff.isoformat())
    assert result.returncode == 0, result.stdout + result.stderr
    with session_scope() as session:
        stored = {item.url for item in session.exec(select(Item))}
    wanted = {site.url(site.path_of(a)) for a in site.articles if a.published.astimezone(TZ).date() >= cutoff}
    assert stored == wanted
    requested = site.requested_paths()
    assert "/page/4/" in requested and "/page/5/" not in requested  # page 4 is the first with only old articles


def test_a_crawl_where_no_source_answers_exits_6(farm, tmp_path, monkeypatch):
    isolated_env(monkeypatch, tmp_path, None)
    sources = tmp_path / "down.yaml"
    sources.write_text(yaml.safe_dump({"sources": [farm.down_entry()]}), encoding="utf-8")
    monkeypatch.setenv("GDNN_SOURCES", str(sources))
    result = gdnn("crawl")
    assert result.returncode == EXIT_NETWORK, result.stdout + result.stderr
    assert "0 of 1 sources reachable" in result.stderr
    assert "refused" in result.stdout.lower()


def test_a_facebook_page_without_token_is_skipped_not_failed(env, monkeypatch):
    monkeypatch.delenv("GDNN_FACEBOOK_TOKEN")
    from gdnn_monitor.core.settings import get_settings

    get_settings.cache_clear()
    summary = run_crawl(["farm-facebook", "farm-youtube"], trigger="test")
    statuses = {result.source_id: result.status for result in summary.sources}
    assert statuses == {"farm-facebook": "skipped", "farm-youtube": "ok"}
    assert summary.exit_code == 0
    with session_scope() as session:
        facebook = session.get(Source, "farm-facebook")
        assert facebook.consecutive_failures == 0 and facebook.last_crawl_at is None
        assert "GDNN_FACEBOOK_TOKEN" in facebook.last_error
        row = session.exec(select(CrawlRunSource).where(CrawlRunSource.source_id == "farm-facebook")).one()
        assert row.status == "skipped"


def test_facebook_posts_are_read_page_by_page_with_the_token_in_a_header(env, farm):
    site = farm.site("farm-facebook")
    summary = run_crawl(["farm-facebook"], trigger="test")
    assert summary.sources[0].status == "ok" and summary.sources[0].new_items == len(site.articles)
    assert len(site.hits) == -(-len(site.articles) // site.PER_PAGE)
    assert all("access_token" not in hit.path for hit in site.hits)


def test_since_skips_old_feed_and_sitemap_entries_without_fetching_them(env, farm):
    paper, old = farm.site("farm-bao-tinh"), farm.site("farm-bao-cu")
    since = old.articles[2].published - timedelta(minutes=1)
    summary = run_crawl(["farm-bao-cu"], since=since, trigger="test")
    assert summary.sources[0].new_items == 3
    fetched = [path for path in old.requested_paths() if path.endswith(".html") and not path.startswith("/in-bai/")]
    assert sorted(fetched) == sorted(old.path_of(a) for a in old.articles[:3])
    assert paper.requested_paths() == []


def test_a_rejected_facebook_token_fails_the_source_with_the_graph_api_reason(env, monkeypatch):
    monkeypatch.setenv("GDNN_FACEBOOK_TOKEN", "expired-token")
    from gdnn_monitor.core.settings import get_settings

    get_settings.cache_clear()
    summary = run_crawl(["farm-facebook"], trigger="test")
    [result] = summary.sources
    assert result.status == "failed" and "Invalid OAuth access token" in result.last_error
    assert summary.exit_code == 1
