"""Feed, sitemap and social parsers on real and documented shapes."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawlers.discovery.feeds import parse_feed
from crawlers.discovery.sitemaps import newest_first, parse_sitemap, parse_w3c_datetime, sitemap_body
from crawlers.discovery.social import GraphError, graph_posts_url, parse_graph_posts, youtube_video
from tests.conftest import FIXTURES, SHARED

VNEXPRESS = SHARED / "data" / "raw" / "fixtures" / "rss_vnexpress"
MALFORMED = FIXTURES / "crawlers" / "vnexpress_the-gioi_20250206_1item.xml"
ICT = timezone(timedelta(hours=7))


def test_a_real_feed_with_an_unescaped_ampersand_still_yields_its_entry():
    feed = parse_feed(MALFORMED.read_bytes(), "https://vnexpress.net/rss/the-gioi.rss", "application/rss+xml")
    assert feed.malformed  # reported, not fatal
    [entry] = feed.entries
    assert entry.url == "https://vnexpress.net/israel-noi-got-my-roi-hoi-dong-nhan-quyen-lhq-4846612.html"
    assert entry.title.startswith("Israel nối gót Mỹ")
    assert entry.published == datetime(2025, 2, 6, 20, 30, 48, tzinfo=ICT)


@pytest.mark.skipif(not VNEXPRESS.exists(), reason=f"{VNEXPRESS} not present")
def test_real_vnexpress_feeds_give_every_linked_entry_with_an_aware_time():
    files = sorted(VNEXPRESS.glob("vnexpress_tin-moi-nhat_*.xml"))
    entries = [e for path in files for e in parse_feed(path.read_bytes(), "https://vnexpress.net/rss", None).entries]
    assert len(files) == 5 and len(entries) == 124  # 125 items, one of which has neither title nor link
    assert all(e.url.startswith("http") and e.url == e.url.strip() and e.title for e in entries)
    assert all(e.published and e.published.tzinfo for e in entries)
    assert sum("/giao-duc/" in e.url for e in entries) == 9


NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://bao.vn/tuyen-sinh-nghe-1234.html</loc><lastmod>2024-06-01</lastmod>
<news:news><news:publication><news:name>Báo</news:name><news:language>vi</news:language></news:publication>
<news:publication_date>2024-06-02T08:15:00+07:00</news:publication_date><news:title>Tuyển sinh nghề</news:title>
</news:news></url>
<url><loc>https://bao.vn/bai-khac-5678.html</loc><lastmod>2024-05-01T01:00:00Z</lastmod></url>
</urlset>"""


def test_a_google_news_sitemap_gives_publication_date_and_title():
    sitemap = parse_sitemap(NEWS_SITEMAP.encode(), ICT)
    assert not sitemap.is_index
    first, second = sitemap.entries
    assert (first.url, first.title, first.lastmod) == (
        "https://bao.vn/tuyen-sinh-nghe-1234.html",
        "Tuyển sinh nghề",
        datetime(2024, 6, 2, 8, 15, tzinfo=ICT),
    )
    assert second.lastmod == datetime(2024, 5, 1, 1, 0, tzinfo=UTC) and second.title is None


def test_a_gzipped_sitemap_index_is_read():
    index = (
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
        '<loc>https://bao.vn/sitemap-2024-06.xml</loc><lastmod>2024-06-30</lastmod></sitemap></sitemapindex>'
    )
    sitemap = parse_sitemap(sitemap_body(gzip.compress(index.encode()), 10_000), ICT)
    assert sitemap.is_index and sitemap.entries[0].lastmod == datetime(2024, 6, 30, tzinfo=ICT)


def test_garbage_is_an_empty_sitemap_not_an_exception():
    assert parse_sitemap(b"<html><body>Not found</body></html>").entries == []
    assert parse_sitemap(b"").entries == []
    assert parse_w3c_datetime("not a date", ICT) is None


GRAPH_PAGE = {
    "data": [
        {
            "id": "1020_501",
            "message": "Ngày hội tư vấn tuyển sinh - hướng nghiệp 2024\nHơn 2.000 học sinh tham dự.",
            "created_time": "2024-03-24T01:15:00+0000",
            "permalink_url": "https://www.facebook.com/1020/posts/501",
        },
        {"id": "1020_502", "created_time": "2024-03-23T01:15:00+0000"},
    ],
    "paging": {
        "cursors": {"before": "QVFI", "after": "QVFJ"},
        "next": "https://graph.facebook.com/v19.0/1020/posts?access_token=SECRET&limit=50&after=QVFJ",
    },
}


def test_graph_posts_become_items_and_the_next_page_url_drops_the_token():
    posts, next_url = parse_graph_posts(json.dumps(GRAPH_PAGE).encode(), "1020")
    [post] = posts  # a post without a message (a shared photo) has nothing to classify
    assert post.title == "Ngày hội tư vấn tuyển sinh - hướng nghiệp 2024"
    assert post.published == datetime(2024, 3, 24, 8, 15, tzinfo=ICT) and post.genre == "post"
    assert next_url == "https://graph.facebook.com/v19.0/1020/posts?limit=50&after=QVFJ"
    assert "access_token" not in graph_posts_url("https://graph.facebook.com/v19.0", "1020")


def test_a_graph_error_object_is_raised_with_its_message():
    body = json.dumps({"error": {"message": "Error validating access token", "code": 190}}).encode()
    with pytest.raises(GraphError, match=r"190.*validating access token"):
        parse_graph_posts(body, "1020")


def test_a_youtube_feed_entry_is_a_video_at_its_watch_url():
    feed = (
        '<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns="http://www.w3.org/2005/Atom"><entry><id>yt:video:abc123</id><yt:videoId>abc123</yt:videoId>'
        '<title>Hội giảng nhà giáo GDNN</title><link rel="alternate" href="https://www.youtube.com/watch?v=abc123"/>'
        '<published>2024-04-01T03:00:00+00:00</published><media:group><media:description>Phóng sự về hội giảng.'
        '</media:description></media:group></entry></feed>'
    )
    [entry] = parse_feed(feed.encode(), "https://www.youtube.com/feeds/videos.xml?channel_id=UC1").entries
    video = youtube_video(entry, "Kênh trường")
    assert (video.url, video.genre, video.text) == (
        "https://www.youtube.com/watch?v=abc123",
        "video",
        "Phóng sự về hội giảng.",
    )


def test_sitemap_entries_are_taken_newest_first_so_a_page_budget_goes_to_current_articles():
    index = (
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        '<sitemap><loc>https://bao.vn/sitemap-2014-01.xml</loc><lastmod>2014-01-31</lastmod></sitemap>'
        '<sitemap><loc>https://bao.vn/sitemap-misc.xml</loc></sitemap>'
        '<sitemap><loc>https://bao.vn/sitemap-2024-06.xml</loc><lastmod>2024-06-30</lastmod></sitemap>'
        '</sitemapindex>'
    )
    order = [e.url.rsplit("-", 1)[-1] for e in newest_first(parse_sitemap(index.encode(), ICT).entries)]
    assert order == ["06.xml", "01.xml", "misc.xml"]
