"""A paper whose robots.txt lets only Googlebot in but which publishes RSS (like baolangson.vn): the feed is read as
feed readers read it, items come from its entries marked feed-only, no page robots.txt refuses is ever requested, and
the officer is told in plain Vietnamese what happened and what to do. `robots: ignore` needs written permission."""

from __future__ import annotations

import pytest
from sqlmodel import select

from crawlers.check import FAIL, OK, WARN, check_source
from gdnn_monitor.core.settings import get_settings
from gdnn_monitor.demo.farm.realweb import RefusingPaper
from gdnn_monitor.pipeline.crawl import run_crawl
from store.db import session_scope
from store.models import Item, Source
from store.registry import SourcesFileError, load_sources, parse_sources
from tests.crawlers.realweb import realweb_env, recent_articles, serving

PERMISSION = "Công văn số 45/BBC-TS ngày 10/11/2026 của Báo Biên Cương đồng ý cho Sở thu thập toàn văn"


@pytest.fixture(scope="module")
def paper():
    site = RefusingPaper(recent_articles(24, offset=300))
    with serving([site]):
        yield site


@pytest.fixture(scope="module")
def refused_crawl(paper, tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    realweb_env(monkeypatch, tmp_path_factory.mktemp("refusing"), [paper])
    paper.hits.clear()
    summary = run_crawl(trigger="test")
    with session_scope() as session:
        items = list(session.exec(select(Item)))
        source = session.get(Source, paper.source_id)
    hits = [hit.path for hit in paper.hits]
    yield summary, items, source, hits
    monkeypatch.undo()
    get_settings.cache_clear()


def test_items_come_from_the_feed_marked_feed_only(refused_crawl, paper):
    summary, items, _source, _hits = refused_crawl
    entries = paper.feed_entries()
    assert sorted(item.url for item in items) == sorted(paper.url(paper.path_of(a)) for a in entries)
    by_url = {item.url: item for item in items}
    for article in entries:
        item = by_url[paper.url(paper.path_of(article))]
        assert item.feed_only and item.title == article.title and item.published_at == article.published
        assert item.summary == article.sapo and item.text is None  # the entry's description, no body
        assert item.model_version is not None  # classified on the entry's title and description
    assert summary.sources[0].new_items == len(entries)


def test_no_url_refused_by_robots_txt_is_requested(refused_crawl, paper):
    _summary, _items, _source, hits = refused_crawl
    assert sorted(set(hits)) == ["/robots.txt", "/rss/tin-moi-nhat.rss"]
    assert all(not paper.disallowed(path) or path == "/rss/tin-moi-nhat.rss" for path in hits)


def test_the_crawl_says_in_vietnamese_that_robots_txt_refuses_and_what_to_do(refused_crawl, paper):
    summary, _items, source, _hits = refused_crawl
    result = summary.sources[0]
    assert result.status == "ok", result.last_error  # not a failure: the feed works
    assert "robots.txt" in result.note and "RSS" in result.note and "permission:" in result.note
    assert source.crawl_note == result.note and source.last_success_at is not None
    from gdnn_monitor.crawl_cli import source_remarks

    assert any("tin lưu từ RSS" in line for line in source_remarks(result))


def test_sources_check_reads_the_feed_and_explains_the_refused_listing(refused_crawl, paper):
    config = load_sources().get(paper.source_id)
    checks = {(check.what, check.url): check for check in check_source(config).checks}
    feed = checks[("feed", paper.url("/rss/tin-moi-nhat.rss"))]
    assert feed.outcome in (OK, WARN) and "mục" in feed.detail
    listing = checks[("listing", paper.url("/giao-duc/"))]
    assert listing.outcome == WARN and "robots.txt" in listing.detail and "RSS" in listing.detail
    assert not any(check.outcome == FAIL for check in checks.values())


def test_a_second_crawl_stores_nothing_new_and_still_requests_no_refused_page(refused_crawl, paper):
    paper.hits.clear()
    summary = run_crawl(trigger="test")
    assert summary.new_items == 0 and summary.sources[0].status == "ok"
    assert sorted({hit.path for hit in paper.hits}) == ["/robots.txt", "/rss/tin-moi-nhat.rss"]


def test_robots_ignore_needs_a_written_permission(tmp_path):
    entry = (
        "sources:\n  - id: bao-bc\n    name: Báo Biên Cương\n    kind: newspaper\n"
        "    homepage: https://bbc.example.vn/\n"
    )
    with pytest.raises(SourcesFileError, match="permission"):
        parse_sources(entry + "    robots: ignore\n", tmp_path / "s.yaml")
    with pytest.raises(SourcesFileError, match="obey, feeds-only, ignore"):
        parse_sources(entry + "    robots: sometimes\n", tmp_path / "s.yaml")
    registry = parse_sources(entry + f"    robots: ignore\n    permission: {PERMISSION}\n", tmp_path / "s.yaml")
    assert registry.sources[0].permission == PERMISSION


def test_with_permission_the_pages_are_read_and_the_permission_is_logged_and_shown(paper, tmp_path, monkeypatch):
    realweb_env(monkeypatch, tmp_path, [paper], {"farm_bao_tu_choi": {"robots": "ignore", "permission": PERMISSION}})
    paper.hits.clear()
    summary = run_crawl(trigger="test")
    with session_scope() as session:
        items = list(session.exec(select(Item)))
    assert items and not any(item.feed_only for item in items)
    assert all(item.text and len(item.text) > 300 for item in items)
    assert PERMISSION in summary.sources[0].note
    with open(summary.log_file, encoding="utf-8") as log:
        assert any(PERMISSION in line for line in log)
    config = load_sources().get(paper.source_id)
    assert any(PERMISSION in check.detail for check in check_source(config).checks)


def test_feeds_only_reads_nothing_but_the_feeds(paper, tmp_path, monkeypatch):
    realweb_env(monkeypatch, tmp_path, [paper], {"farm_bao_tu_choi": {"robots": "feeds-only"}})
    paper.robots_txt = "User-agent: *\nDisallow:\n"  # even where robots.txt would allow the pages
    try:
        paper.hits.clear()
        summary = run_crawl(trigger="test")
    finally:
        paper.robots_txt = RefusingPaper(paper.articles).robots_txt
    with session_scope() as session:
        items = list(session.exec(select(Item)))
    assert len(items) == len(paper.feed_entries()) and all(item.feed_only for item in items)
    assert {hit.path for hit in paper.hits} <= {"/robots.txt", "/rss/tin-moi-nhat.rss"}
    assert summary.sources[0].status == "ok"
