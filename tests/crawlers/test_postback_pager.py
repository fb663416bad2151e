"""ASP.NET WebForms listings page by posting their form back (javascript:__doPostBack): the crawler follows them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from crawlers.discovery.links import PostBack, postback_next_page
from crawlers.engine.run import run_crawl
from gdnn_monitor.demo.farm.sites import WebFormsPortal
from store.db import session_scope
from store.models import Item
from tests.crawlers.conftest import isolated_env
from tests.crawlers.farm.build import start_farm
from tests.crawlers.farm.corpus import load_articles

PAGER = """<form id="aspnetForm" method="post"><input type="hidden" name="__VIEWSTATE" value="x">
<a href="javascript:__doPostBack('ctl00$main$gv','Page$1')">1</a> <span>2</span>
<a href="javascript:__doPostBack('ctl00$main$gv','Page$3')">3</a>
<a href="javascript:__doPostBack('ctl00$main$lnkNext','')">Trang sau »</a></form>"""


def test_the_next_postback_link_is_the_number_after_the_current_page_else_the_next_link():
    assert postback_next_page(PAGER, 2) == PostBack("ctl00$main$gv", "Page$3", 3)
    assert postback_next_page(PAGER, 3) == PostBack("ctl00$main$lnkNext", "", 4)
    assert postback_next_page(PAGER.replace("Trang sau »", "Cuối"), 3) is None
    assert postback_next_page(PAGER.replace('name="__VIEWSTATE"', 'name="q"'), 2) is None  # no WebForms state
    assert postback_next_page(b"\xff\xfe not html", 1) is None


@pytest.fixture(scope="module")
def portal():
    site = WebFormsPortal(load_articles(14))
    farm = start_farm([site])
    yield farm
    farm.stop()


@pytest.fixture
def env(portal, tmp_path, monkeypatch):
    portal.clear_hits()
    portal.sites[0].postbacks.clear()
    sources = portal.write_sources(tmp_path / "sources.yaml", with_down=False)
    return isolated_env(monkeypatch, tmp_path, None, GDNN_SOURCES=str(sources))


def _stored() -> set[str]:
    with session_scope() as session:
        return set(session.exec(select(Item.url)))


def test_a_postback_pager_is_followed_to_the_last_page(env, portal):
    site = portal.sites[0]
    summary = run_crawl([site.source_id], trigger="test")
    assert summary.sources[0].status == "ok" and summary.sources[0].errors == 0
    assert _stored() == {site.url(site.path_of(a)) for a in site.articles}
    assert site.postbacks == [2, 3, 4]  # every page once, each from the state of the page before


def test_a_since_back_fill_stops_posting_back_at_the_first_page_of_old_articles(env, portal):
    site = portal.sites[0]
    since = site.articles[5].published  # page 2 holds articles 4-7: new and old
    summary = run_crawl([site.source_id], since=since, trigger="test")
    assert summary.sources[0].errors == 0
    assert _stored() == {site.url(site.path_of(a)) for a in site.articles[:6]}
    assert site.postbacks == [2, 3]  # page 3 holds only old articles: page 4 is never asked for


def test_sources_check_recognises_the_postback_pager(env, portal):
    from crawlers.check import check_sources
    from store.registry import load_sources

    (result,) = check_sources(load_sources().sources)
    listing = next(check for check in result.checks if check.what == "listing")
    assert "4 liên kết bài viết" in listing.detail and "ASP.NET" in listing.detail and result.usable


def test_a_portal_that_repeats_its_last_page_for_ever_is_not_walked_for_ever(tmp_path, monkeypatch):
    site = WebFormsPortal(load_articles(8), endless=True)  # 2 pages; page 3, 4, … repeat page 2
    farm = start_farm([site])
    try:
        sources = farm.write_sources(tmp_path / "sources.yaml", with_down=False)
        isolated_env(monkeypatch, tmp_path, None, GDNN_SOURCES=str(sources), GDNN_MAX_PAGES_PER_SOURCE="40")
        since = site.articles[-1].published - timedelta(days=365)  # every article is new: only repetition stops it
        summary = run_crawl([site.source_id], since=since, trigger="test")
    finally:
        farm.stop()
    assert summary.sources[0].new_items == 8
    assert site.postbacks == [2, 3]  # page 3 shows page 2's list again: the walk ends there
