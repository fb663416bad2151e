"""Every stored CMS-family page against its expected output (fundus-style: a page without an expectation fails)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crawlers.extract.evaluation import load_fixtures, same_minute, token_f1
from crawlers.extract.extraction import extract_article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extraction"
DANTRI_HOMEPAGE = (
    Path(__file__).resolve().parents[3] / "shared/data/raw/fixtures/html_dantri/dantri_homepage_2019-06.html"
)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MIN_TOKEN_F1 = 0.95
FIXTURE_LIST = load_fixtures(FIXTURES)


def _extract(fixture):
    return extract_article(
        fixture.html, fixture.fetched_url, headers_charset=fixture.expected.get("headers_charset"), tz=TZ
    )


def test_every_stored_page_has_an_expectation_file():
    pages = sorted(p.stem for p in FIXTURES.glob("*.html"))
    expectations = sorted(p.stem for p in FIXTURES.glob("*.json"))
    assert pages == expectations
    assert len(pages) >= 10


@pytest.mark.parametrize("fixture", FIXTURE_LIST, ids=[f.name for f in FIXTURE_LIST])
def test_stored_page_extracts_as_expected(fixture):
    article = _extract(fixture)
    want = fixture.expected
    if not fixture.is_article:
        assert article is None
        return
    assert article is not None
    assert article.title == want["title"]
    assert article.url == want["url"]
    assert token_f1(article.text, want["text"]) >= MIN_TOKEN_F1, article.text
    assert same_minute(article.published_at, want["published_at"]), article.published_at
    assert article.author == want["author"]
    assert article.genre == want["genre"]
    if want.get("summary"):
        assert article.summary == want["summary"]
    assert article.published_at is None or article.published_at.tzinfo is not None


def test_body_keeps_no_furniture_from_the_provincial_paper():
    fixture = next(f for f in FIXTURE_LIST if f.name == "provincial_paper_baolangson")
    text = _extract(fixture).text
    for furniture in (
        "Tin liên quan",
        "Ý kiến bạn đọc",
        "Rất mong các em",
        "Giấy phép",
        "Đọc nhiều",
        "Lượt xem",
        "Thứ Ba, 24/03/2020",
        "Trang chủ",
    ):
        assert furniture not in text
    assert text.startswith("Tổng cục phó Dạy nghề Dương Đức Lân")


def test_pipeline_reaches_the_crawl_acceptance_on_the_fixtures():
    articles = [f for f in FIXTURE_LIST if f.is_article]
    good = 0
    for fixture in articles:
        article = _extract(fixture)
        good += bool(
            article
            and article.title == fixture.expected["title"]
            and token_f1(article.text, fixture.expected["text"]) >= MIN_TOKEN_F1
            and same_minute(article.published_at, fixture.expected["published_at"])
        )
    assert good / len(articles) >= 0.98


@pytest.mark.skipif(not DANTRI_HOMEPAGE.exists(), reason="shared Dân trí fixture not present")
def test_real_dantri_homepage_is_not_an_article():
    html = DANTRI_HOMEPAGE.read_bytes()
    assert extract_article(html, "https://dantri.com.vn/", tz=TZ) is None
    assert extract_article(html, "https://dantri.com.vn/giao-duc-khuyen-hoc.htm", tz=TZ) is None


def test_extracted_published_time_is_aware_datetime():
    fixture = next(f for f in FIXTURE_LIST if f.name == "tv_video_langsontv")
    published = _extract(fixture).published_at
    assert isinstance(published, datetime) and published.utcoffset() is not None
