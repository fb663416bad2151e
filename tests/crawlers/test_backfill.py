"""The plan year on the first crawl, only what is new after: on a paper with half a year of articles behind
?page=N pagers (plus an older archive), a plain first `crawl` stores nearly all of the half year and nothing of the
archive; after new articles appear, a second plain crawl stores exactly the new ones, requests no stored article
again and at most one listing page per listing beyond the new ones (counted from the farm's request log)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import select

from gdnn_monitor.core.dates import start_of_day
from gdnn_monitor.core.settings import Settings, get_settings
from gdnn_monitor.demo.farm.realweb import SixMonthPaper
from gdnn_monitor.pipeline.crawl import run_crawl
from store.db import session_scope
from store.models import Item
from tests.crawlers.farm.corpus import load_articles
from tests.crawlers.realweb import dated, now, realweb_env, serving

HALF_YEAR = 156  # one article every 27 h 40 min: 180 days
ARCHIVE = 40  # 400 days old and more: before any default back-fill
NEW = 7


def stored() -> list[Item]:
    with session_scope() as session:
        return list(session.exec(select(Item)))


@pytest.fixture(scope="module")
def paper_and_runs(tmp_path_factory):
    articles = load_articles(NEW + HALF_YEAR + ARCHIVE, max_chars=700)
    fresh, half_year, archive = articles[:NEW], articles[NEW : NEW + HALF_YEAR], articles[NEW + HALF_YEAR :]
    half_year = dated(half_year, now() - timedelta(hours=3), timedelta(days=179) / (HALF_YEAR - 1))
    archive = dated(archive, now() - timedelta(days=400), timedelta(days=4))
    paper = SixMonthPaper(half_year + archive)
    monkeypatch = pytest.MonkeyPatch()
    with serving([paper]):
        realweb_env(monkeypatch, tmp_path_factory.mktemp("backfill"), [paper])
        first = run_crawl(trigger="test")
        first_items, first_hits = stored(), [hit.path for hit in paper.hits]
        published = [
            replace(article, published=now() - timedelta(minutes=5 * index)) for index, article in enumerate(fresh)
        ]
        paper.publish(published)
        paper.hits.clear()
        second = run_crawl(trigger="test")
        second_items, second_hits = stored(), [hit.path for hit in paper.hits]
        yield (
            paper,
            half_year,
            archive,
            published,
            (first, first_items, first_hits),
            (second, second_items, second_hits),
        )
    monkeypatch.undo()
    get_settings.cache_clear()


def test_the_default_back_fill_reaches_the_plan_year_or_half_a_year_whichever_is_earlier():
    from datetime import date

    settings = Settings(_env_file=None, backfill_since=None)
    assert settings.backfill_start(date(2026, 11, 30)) == date(2026, 1, 1)
    assert settings.backfill_start(date(2026, 3, 10)) == date(2025, 9, 8)
    assert Settings(_env_file=None, backfill_since="2025-10-01").backfill_start(date(2026, 3, 10)) == date(2025, 10, 1)


def test_a_plain_first_crawl_stores_the_half_year_and_not_the_archive(paper_and_runs):
    paper, half_year, archive, _new, (summary, items, _hits), _second = paper_and_runs
    urls = {item.url for item in items}
    found = [a for a in half_year if paper.url(paper.path_of(a)) in urls]
    print(f"first crawl: {len(found)}/{len(half_year)} of the half year, {summary.pages} pages")
    assert len(found) >= 0.99 * len(half_year)
    cutoff = start_of_day(get_settings().backfill_start(), get_settings().tz)
    assert not [a for a in archive if paper.url(paper.path_of(a)) in urls and a.published < cutoff]
    assert summary.sources[0].status == "ok" and len(items) == summary.new_items


def test_the_first_crawl_walks_past_the_listing_depth_and_stops_at_the_archive(paper_and_runs):
    paper, *_rest, (_summary, _items, first_hits), _second = paper_and_runs
    depth = get_settings().listing_depth
    for slug, _label in paper.SECTIONS:
        hits = paper.listing_hits(slug, first_hits)
        members = [a for a in paper.articles if paper.section_of(a) == slug]
        pages = (len(members) + paper.PER_PAGE - 1) // paper.PER_PAGE
        assert max(hits) > depth + 1, "the back-fill stopped at the fixed listing depth"
        assert max(hits) < pages, "the back-fill walked the whole archive"


def test_a_second_crawl_stores_exactly_the_new_articles(paper_and_runs):
    paper, _half, _archive, new, (_s1, first_items, _h1), (summary, items, _hits) = paper_and_runs
    added = {item.url for item in items} - {item.url for item in first_items}
    assert added == {paper.url(paper.path_of(a)) for a in new}
    assert summary.new_items == NEW


def test_a_second_crawl_requests_no_stored_article_and_one_listing_page_beyond_the_new(paper_and_runs):
    paper, _half, _archive, new, _first, (_summary, _items, hits) = paper_and_runs
    new_paths = {paper.path_of(a) for a in new}
    articles_requested = [path for path in hits if path.endswith(".html")]
    assert sorted(articles_requested) == sorted(new_paths)
    for slug, _label in paper.SECTIONS:
        members = [a for a in paper.newest_first() if paper.section_of(a) == slug]
        last_new_page = max((index // paper.PER_PAGE + 1 for index, a in enumerate(members) if a in new), default=0)
        requested = paper.listing_hits(slug, hits)
        print(f"second crawl, {slug}: listing pages {requested}, new articles up to page {last_new_page}")
        assert len(requested) == len(set(requested)), requested
        assert max(requested) <= last_new_page + 1, (slug, requested, last_new_page)
