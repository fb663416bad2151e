"""An aggregator feed (a news-search RSS) whose entries link to other outlets: each entry is attributed to its
publisher (<source>, or the configured source on the link's host), joined to the copy already crawled from that
publisher (by canonical URL, then by title), stored from the entry where the publisher's robots.txt refuses the page
(which is never requested), and fetched where the publisher allows it."""

from __future__ import annotations

import pytest
from sqlmodel import select

from gdnn_monitor.core.settings import get_settings
from gdnn_monitor.demo.farm.realweb import AggregatedLink, AggregatorFeed, OutsideOutlet, RefusingPaper, SixMonthPaper
from gdnn_monitor.pipeline.crawl import run_crawl
from store.db import session_scope
from store.models import Item
from tests.crawlers.realweb import realweb_env, recent_articles, serving


@pytest.fixture(scope="module")
def aggregated(tmp_path_factory):
    paper = SixMonthPaper(recent_articles(12, offset=500))
    refusing = RefusingPaper(recent_articles(20, offset=520))
    outside = OutsideOutlet(recent_articles(2, offset=540))
    by_url, by_title = paper.newest_first()[0], paper.newest_first()[1]
    in_feed, not_in_feed = refusing.feed_entries()[0], refusing.newest_first()[-1]
    far = outside.articles[0]

    def link(site, article, url, publisher) -> AggregatedLink:
        return AggregatedLink(article.title, url, publisher, site.url("/"), article.published, article.sapo[:150])

    aggregator = AggregatorFeed([])
    monkeypatch = pytest.MonkeyPatch()
    with serving([paper, refusing, outside, aggregator]):  # the links name the servers' ports
        links = [
            link(
                paper,
                by_url,
                paper.url(paper.path_of(by_url)) + "?utm_source=tonghop&utm_campaign=gdnn",
                "Báo Sáu Tháng",
            ),
            link(paper, by_title, paper.url("/amp" + paper.path_of(by_title)), "Báo Sáu Tháng"),
            link(refusing, in_feed, refusing.url(refusing.path_of(in_feed)), "Báo Biên Cương"),
            link(refusing, not_in_feed, refusing.url(refusing.path_of(not_in_feed)), "Báo Biên Cương"),
            link(outside, far, outside.url(outside.path_of(far)), "Báo Ngoài Tỉnh"),
        ]
        aggregator.links = links
        realweb_env(monkeypatch, tmp_path_factory.mktemp("aggregator"), [paper, refusing, aggregator])
        run_crawl([paper.source_id, refusing.source_id], trigger="test")
        with session_scope() as session:
            before = {item.url: item for item in session.exec(select(Item))}
        for site in (paper, refusing, outside):
            site.hits.clear()
        summary = run_crawl([aggregator.source_id], trigger="test")
        with session_scope() as session:
            after = {item.url: item for item in session.exec(select(Item))}
        yield {
            "paper": paper,
            "refusing": refusing,
            "outside": outside,
            "aggregator": aggregator,
            "not_in_feed": not_in_feed,
            "far": far,
            "before": before,
            "after": after,
            "summary": summary,
        }
    monkeypatch.undo()
    get_settings.cache_clear()


def test_entries_of_crawled_copies_are_joined_not_stored_again(aggregated):
    before, after, summary = aggregated["before"], aggregated["after"], aggregated["summary"]
    added = set(after) - set(before)
    paper, refusing, outside = aggregated["paper"], aggregated["refusing"], aggregated["outside"]
    assert added == {
        refusing.url(refusing.path_of(aggregated["not_in_feed"])),
        outside.url(outside.path_of(aggregated["far"])),
    }
    assert summary.sources[0].details["joined"] == 3
    assert [hit.path for hit in paper.hits] == []  # joined by canonical URL and by title, nothing fetched


def test_a_refused_publisher_is_followed_through_the_aggregator_without_requesting_its_pages(aggregated):
    refusing, after = aggregated["refusing"], aggregated["after"]
    item = after[refusing.url(refusing.path_of(aggregated["not_in_feed"]))]
    assert item.source_id == refusing.source_id and item.feed_only and item.publisher == "Báo Biên Cương"
    assert item.title == aggregated["not_in_feed"].title  # " - Báo Biên Cương" taken off the headline
    assert {hit.path for hit in refusing.hits} <= {"/robots.txt"}


def test_an_outlet_nobody_configured_is_fetched_and_attributed_to_its_publisher(aggregated):
    outside, after, aggregator = aggregated["outside"], aggregated["after"], aggregated["aggregator"]
    item = after[outside.url(outside.path_of(aggregated["far"]))]
    assert item.source_id == aggregator.source_id and item.publisher == "Báo Ngoài Tỉnh"
    assert not item.feed_only and len(item.text) > 300
    assert aggregated["summary"].new_items == 2 and aggregated["summary"].sources[0].status == "ok"
