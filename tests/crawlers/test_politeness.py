"""Politeness and limits: robots.txt Crawl-delay and a source's own delay are honoured as minimum gaps between
requests to one host; pages over the size limit or slower than the timeout are errors, not crashes."""

from __future__ import annotations

import itertools
from html import escape

import pytest
import yaml

from crawlers.engine.middlewares import backoff_delay
from crawlers.engine.run import run_crawl
from gdnn_monitor.demo.farm.server import Reply, SiteServer
from gdnn_monitor.demo.farm.sites import Site, page, paragraphs_html
from tests.crawlers.conftest import isolated_env
from tests.crawlers.farm.corpus import load_articles


class TinySite(Site):
    """A listing with a few articles, plus a huge page and a page slower than the timeout."""

    def __init__(self, ip: str, source_id: str, robots: str, extra: dict | None = None) -> None:
        super().__init__(load_articles(4))
        self.ip, self.source_id, self.robots_txt, self.extra = ip, source_id, robots, extra or {}

    def path_of(self, article) -> str:
        return f"/tin/{article.slug}-{100 + article.key}.html"

    def source_entry(self) -> dict:
        return {
            "id": self.source_id,
            "name": self.source_id,
            "kind": "newspaper",
            "listings": [self.url("/tin/")],
            **self.extra,
        }

    def route(self, path: str, query: dict, headers) -> Reply:
        if path == "/robots.txt":
            return self.robots()
        if path == "/tin/":
            links = "".join(f'<li><a href="{self.path_of(a)}">{escape(a.title)}</a></li>' for a in self.articles)
            links += '<li><a href="/tin/bai-rat-dai-khong-the-tai-ve-het-trong-gioi-han-9991.html">Dài</a></li>'
            links += '<li><a href="/tin/bai-cham-qua-thoi-gian-cho-phep-cua-trinh-thu-thap-9992.html">Chậm</a></li>'
            return Reply(200, page("Tin", "", f"<ul>{links}</ul>"))
        if path.endswith("-9991.html"):
            return Reply(200, page("Dài", "", "<h1>Bài rất dài</h1>" + "<p>" + "chữ " * 60000 + "</p>"))
        if path.endswith("-9992.html"):
            return Reply(200, page("Chậm", "", "<h1>Bài chậm</h1>"), delay=2.5)
        for article in self.articles:
            if path == self.path_of(article):
                body = (
                    f"<article><h1>{escape(article.title)}</h1><p class='sapo'>{escape(article.sapo)}</p>"
                    f"<div class='content'>{paragraphs_html(article)}</div></article>"
                )
                return Reply(200, page(article.title, "", body))
        return Reply(404, "không có", "text/plain")


def gaps(site: Site) -> list[float]:
    times = [hit.at for hit in site.hits if hit.path != "/robots.txt"]
    return [later - earlier for earlier, later in itertools.pairwise(times)]


@pytest.fixture
def tiny_sites(tmp_path, monkeypatch):
    delayed = TinySite("127.0.0.11", "farm-crawl-delay", "User-agent: *\nCrawl-delay: 0.6\nDisallow: /khong-co/\n")
    own_delay = TinySite("127.0.0.12", "farm-own-delay", "User-agent: *\nDisallow:\n", {"download_delay": 0.4})
    servers = [SiteServer(site, site.ip).start() for site in (delayed, own_delay)]
    # a small global delay switches AutoThrottle on: it must never undercut Crawl-delay or a source's own delay
    isolated_env(
        monkeypatch, tmp_path, None, GDNN_PAGE_TIMEOUT="1", GDNN_MAX_PAGE_BYTES="100000", GDNN_DOWNLOAD_DELAY="0.05"
    )
    sources = tmp_path / "tiny.yaml"
    sources.write_text(
        yaml.safe_dump({"sources": [delayed.source_entry(), own_delay.source_entry()]}, allow_unicode=True),
        encoding="utf-8",
    )
    monkeypatch.setenv("GDNN_SOURCES", str(sources))
    from gdnn_monitor.core.settings import get_settings

    get_settings.cache_clear()
    yield delayed, own_delay
    for server in servers:
        server.stop()


def test_crawl_delay_and_source_delay_space_requests_and_limits_turn_into_errors(tiny_sites):
    delayed, own_delay = tiny_sites
    summary = run_crawl(trigger="test")
    by_id = {result.source_id: result for result in summary.sources}
    for site, minimum in ((delayed, 0.6), (own_delay, 0.4)):
        assert min(gaps(site)) >= minimum - 0.05, (site.source_id, gaps(site))
        result = by_id[site.source_id]
        assert result.new_items == 4
        assert result.status == "partial" and result.errors == 2
    slow_attempts = [hit for hit in delayed.hits if hit.path.endswith("-9992.html")]
    assert len(slow_attempts) == 3  # the first try and two retries, then given up
    huge_attempts = [hit for hit in delayed.hits if hit.path.endswith("-9991.html")]
    assert len(huge_attempts) == 1  # a page over the size limit is not worth retrying


def test_backoff_doubles_and_is_capped():
    assert [backoff_delay(n, 0.5, 3.0) for n in (1, 2, 3, 4, 5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
