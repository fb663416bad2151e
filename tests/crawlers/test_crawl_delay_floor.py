"""Politeness that holds: a robots.txt Crawl-delay d is a floor under Scrapy's randomised delay, for every request to
the host (robots.txt, the feed read as feed readers do, listings, articles, retries), and the host gets one request
at a time. Measured from the farm's request log, with AutoThrottle on (a small global delay)."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

import pytest

from gdnn_monitor.demo.farm.realweb import SlowHost
from gdnn_monitor.pipeline.crawl import run_crawl
from tests.crawlers.realweb import realweb_env, recent_articles, serving

CRAWL_DELAY = 0.35
CLOCK_SLACK = 0.1  # arrival times are stamped by a thread per connection: on a loaded 2-core machine one stamp
# came 0.06 s late against its send time (a full-suite run), so a late stamp must not read as a short gap


@pytest.fixture
def slow_host(tmp_path, monkeypatch):
    site = SlowHost(recent_articles(10, offset=600, spacing=timedelta(hours=7)), CRAWL_DELAY)
    with serving([site]):
        realweb_env(monkeypatch, tmp_path, [site], GDNN_DOWNLOAD_DELAY="0.05", GDNN_CONCURRENT_REQUESTS="8")
        summary = run_crawl(trigger="test")
        yield site, summary


def test_no_gap_between_two_requests_to_the_host_is_below_its_crawl_delay(slow_host):
    site, summary = slow_host
    assert summary.sources[0].new_items == 10
    times = [hit.at for hit in site.hits]
    gaps = [later - earlier for earlier, later in pairwise(times)]
    assert len(gaps) >= 12
    assert min(gaps) >= CRAWL_DELAY - CLOCK_SLACK, sorted(gaps)[:5]


def test_a_host_with_a_crawl_delay_gets_one_request_at_a_time(slow_host):
    site, _summary = slow_host
    assert site.most_at_once == 1
