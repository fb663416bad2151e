"""Per-source extractors (the `extractor:` key), fundus style: every registered extractor has a stored page and an
expected result, each of its rules finds its element there, and the result is what the page says."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from lxml import html as lxml_html

from crawlers.check import FAIL, OK, check_extractor
from crawlers.engine.spider import SourcesSpider
from crawlers.engine.state import CrawlOptions
from crawlers.extract.sites import UnknownExtractor, extractors, get_extractor
from store.registry import SourceConfig

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extractors"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PAGES = sorted(FIXTURES.glob("*.html"))


def _expected(page: Path) -> dict:
    return json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))


def test_every_extractor_has_a_stored_page_and_every_page_an_expectation():
    assert sorted(p.stem for p in FIXTURES.glob("*.json")) == [p.stem for p in PAGES]
    covered = {_expected(page)["extractor"] for page in PAGES}
    assert set(extractors()) <= covered, f"extractors without a stored page: {set(extractors()) - covered}"


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_each_rule_of_the_extractor_finds_its_element_on_the_page(page):
    extractor = get_extractor(_expected(page)["extractor"])
    tree = lxml_html.fromstring(page.read_bytes())
    missing = [field for field, rule in extractor.rules().items() if not tree.xpath(rule)]
    assert missing == [], f"{extractor.name}: rules that find nothing on {page.name}: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_the_extractor_returns_what_the_page_says(page):
    want = _expected(page)
    article = get_extractor(want["extractor"]).extract(page.read_bytes(), want["fetched_url"], tz=TZ)
    assert article is not None
    assert (article.url, article.title, article.summary) == (want["url"], want["title"], want["summary"])
    assert article.text == want["text"]
    assert article.published_at == datetime.fromisoformat(want["published_at"])
    assert (article.author, article.genre) == (want["author"], want["genre"])


def test_a_rule_wins_over_the_generic_guess_and_a_missing_element_falls_back_to_it():
    page = (FIXTURES / "asp_classic_department.html").read_text(encoding="utf-8")
    extractor = get_extractor("asp_classic")
    metadata = '<meta property="article:published_time" content="2007-04-12T09:00:00+07:00">\n</head>'
    with_meta = page.replace("</head>", metadata)
    assert extractor.extract(with_meta, "http://x.example/tintuc.asp?id=1", tz=TZ).published_at == datetime(
        2007, 4, 11, 16, 20, tzinfo=TZ
    )
    redesigned = with_meta.replace('class="ngaycapnhat"', 'class="ngay"')
    assert extractor.extract(redesigned, "http://x.example/tintuc.asp?id=1", tz=TZ).published_at == datetime(
        2007, 4, 12, 9, 0, tzinfo=TZ
    )


def _source(extractor: str) -> SourceConfig:
    return SourceConfig(
        id="so-ldtbxh", name="Sở LĐ-TB&XH", kind="government", homepage="http://x.example/", extractor=extractor
    )


def test_an_unknown_extractor_name_is_a_clear_error_naming_the_known_ones():
    with pytest.raises(UnknownExtractor, match="asp_classic"):
        get_extractor("asp_clasic")
    assert check_extractor(_source("asp_clasic")).outcome == FAIL
    assert check_extractor(_source("asp_classic")).outcome == OK


def test_the_spider_uses_the_sources_extractor_and_fails_only_the_source_naming_an_unknown_one():
    good, bad = _source("asp_classic"), _source("khong-co").model_copy(update={"id": "nguon-sai"})
    spider = SourcesSpider([good, bad], CrawlOptions(tz=TZ))
    assert spider._resolve_extractor(good) and not spider._resolve_extractor(bad)
    assert spider.site_extractors == {"so-ldtbxh": get_extractor("asp_classic")}
    assert "khong-co" in spider.stats_by_source["nguon-sai"].fatal
