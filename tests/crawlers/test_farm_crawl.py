"""A full crawl of the farm, compared with what the farm served (the issue's 'done when' thresholds)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlmodel import select

from crawlers.identity.urls import is_print_view
from gdnn_monitor.core.errors import EXIT_FAILURE
from gdnn_monitor.pipeline.crawl import run_crawl  # the product's crawl: the engine, then classification
from store.db import session_scope
from store.models import CrawlRun, CrawlRunSource, FeedState, Item, Source
from tests.crawlers.quality import compare

DOWN = "farm-mat-ket-noi"


def stored_items() -> list[Item]:
    with session_scope() as session:
        return list(session.exec(select(Item)))


@pytest.fixture(scope="module")
def first_run(farm, farm_env):
    farm.clear_hits()
    summary = run_crawl(trigger="test")
    return summary, stored_items(), {site.source_id: list(site.hits) for site in farm.sites}


@pytest.fixture(scope="module")
def second_run(first_run, farm):
    farm.clear_hits()
    summary = run_crawl(trigger="test")
    return summary, stored_items(), {site.source_id: list(site.hits) for site in farm.sites}


def test_crawl_collects_every_served_article_once_with_right_title_body_and_time(first_run, farm):
    _summary, items, _hits = first_run
    quality = compare(items, farm.expected())
    print("farm crawl quality:", quality.line())
    assert quality.recall >= 0.99, [e.url for e in farm.expected() if e.url not in {i.url for i in items}]
    assert quality.duplicates == []
    assert quality.unexpected == []
    assert quality.title_exact == 1.0, quality.wrong_titles
    assert quality.mean_body_f1 >= 0.95 and len(quality.bodies_below) <= 0.02 * quality.found, quality.bodies_below
    assert quality.date_exact >= 0.98, quality.wrong_dates


def test_new_items_are_classified_or_the_summary_says_why_not(first_run):
    summary, items, _hits = first_run
    assert summary.new_item_ids and len(summary.new_item_ids) == summary.new_items == len(items)
    if summary.classified:
        assert summary.classified == summary.new_items and all(item.zone for item in items)
    else:
        assert "unclassified" in summary.classify_note and all(item.zone is None for item in items)


def test_no_url_disallowed_by_robots_txt_is_ever_requested(first_run, farm):
    _summary, _items, hits = first_run
    for site in farm.sites:
        requested = [hit.path for hit in hits[site.source_id]]
        assert "/robots.txt" in requested or site.source_id == "farm-facebook"
        assert [path for path in requested if site.disallowed(path)] == []
    assert first_run[0].sources[0].details["blocked_by_robots"] > 0, "the trap links were never even tried"


def test_requests_identify_the_crawler_with_a_contact_url(first_run, farm_env):
    _summary, _items, hits = first_run
    agents = {hit.headers.get("user-agent") for site_hits in hits.values() for hit in site_hits}
    assert agents == {f"gdnn-monitor/0.1.0 (+{farm_env.user_agent_contact})"}


def test_print_views_tracking_links_aliases_and_moved_urls_never_become_items(first_run, farm):
    _summary, items, hits = first_run
    for item in items:
        assert not is_print_view(item.url)
        assert "utm_" not in item.url and "fbclid" not in item.url
        assert "/tin-tuc/" not in urlsplit(item.url).path and "/xa-hoi/" not in urlsplit(item.url).path
    assert any(hit.path.startswith("/xa-hoi/") and hit.path.endswith(".html") for hit in hits["farm-bao-tinh"])
    assert any(hit.path.count("/") == 5 and hit.path.endswith("/") for hit in hits["farm-truyen-hinh"])
    old_paper = farm.site("farm-bao-cu")
    announced_by_print_view = old_paper.articles[2]
    assert any(hit.path.startswith("/in-bai/") for hit in hits["farm-bao-cu"])
    assert old_paper.url(old_paper.path_of(announced_by_print_view)) in {item.url for item in items}


def test_a_server_error_is_retried_with_backoff_and_the_article_kept(first_run, farm):
    _summary, items, hits = first_run
    site = farm.site("farm-bao-tinh")
    failing = site.path_of(site.articles[3])
    attempts = [hit for hit in hits["farm-bao-tinh"] if hit.path == failing]
    assert len(attempts) == 2
    assert attempts[1].at - attempts[0].at >= 0.45
    assert site.url(failing) in {item.url for item in items}


def test_video_pages_are_videos_and_social_items_have_their_genre(first_run, farm):
    _summary, items, _hits = first_run
    genres = {item.url: item.genre for item in items}
    for expected in farm.expected():
        if expected.genre in ("video", "post"):
            assert genres.get(expected.url) == expected.genre, expected.url


def test_a_republished_article_shares_the_story_of_the_original(first_run, farm):
    _summary, items, _hits = first_run
    original = farm.site("farm-bao-tinh").articles[4]
    placements = [item for item in items if item.title == original.title]
    assert {item.source_id for item in placements} == {"farm-bao-tinh", "farm-cong-tt"}
    assert len({item.story_id for item in placements}) == 1


def test_a_down_source_fails_alone_and_is_recorded_in_health(first_run):
    summary, _items, _hits = first_run
    statuses = {result.source_id: result.status for result in summary.sources}
    assert statuses.pop(DOWN) == "failed"
    assert set(statuses.values()) == {"ok"}
    assert summary.exit_code == EXIT_FAILURE
    with session_scope() as session:
        down = session.get(Source, DOWN)
        assert down.consecutive_failures == 1 and down.last_failure_at and "refused" in down.last_error.lower()
        healthy = session.get(Source, "farm-bao-tinh")
        assert healthy.consecutive_failures == 0 and healthy.last_success_at and healthy.last_error is None
        run = session.exec(select(CrawlRun).where(CrawlRun.run_id == summary.run_id)).one()
        assert run.status == "partial" and run.new_items == summary.new_items and run.finished_at
        rows = session.exec(select(CrawlRunSource).where(CrawlRunSource.run_id == summary.run_id)).all()
        assert {row.source_id: row.new_items for row in rows} == {r.source_id: r.new_items for r in summary.sources}


def test_a_second_crawl_adds_nothing_and_loses_nothing(first_run, second_run):
    _s1, items_before, _h1 = first_run
    summary, items_after, _hits = second_run
    assert summary.new_items == 0
    assert sorted(i.url for i in items_after) == sorted(i.url for i in items_before)
    assert {i.url: i.text for i in items_after} == {i.url: i.text for i in items_before}
    with session_scope() as session:
        assert session.get(Source, DOWN).consecutive_failures == 2


def test_a_second_crawl_asks_for_the_feed_conditionally_and_does_not_refetch_stored_articles(second_run, farm):
    _summary, _items, hits = second_run
    site = farm.site("farm-bao-tinh")
    feed_hits = [hit for hit in hits["farm-bao-tinh"] if hit.path == "/rss/home.rss"]
    assert feed_hits and feed_hits[0].headers.get("if-none-match") == site.etag
    with session_scope() as session:
        assert session.get(FeedState, site.url("/rss/home.rss")).etag == site.etag
    refetched = [
        hit.path
        for hit in hits["farm-cao-dang"]
        if hit.path not in ("/robots.txt", "/") and not hit.path.startswith("/page/")
    ]
    assert refetched == []
