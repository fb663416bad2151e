"""What officers see of the real web (issue 12): an item stored from the feed only is marked so in the queue, the item
view and the report; a notice's attached document is linked; an aggregator's publisher is named; the dashboard's
source health says in plain Vietnamese when robots.txt refuses us."""

from __future__ import annotations

from web_helpers import login

from gdnn_monitor.core.settings import get_settings
from store.db import session_scope
from store.models import Item, Source
from web.report_files import Period, build_report, render_report

ROBOTS_NOTE = (
    "robots.txt của trang không cho phép bộ thu thập đọc trang bài viết; tin được lấy từ RSS (chỉ tiêu đề, "
    "tóm tắt, ngày đăng, liên kết — đánh dấu \"chỉ từ RSS\")"
)
PDF_URL = "https://truong.example.edu.vn/uploads/thong-bao-tuyen-sinh-2026.pdf"


def _mark_items(ids: list[int]) -> tuple[int, int]:
    """The first item becomes feed-only and attributed to a publisher; the second a notice with a PDF."""
    first, second = ids[:2]
    with session_scope() as session:
        feed_item, notice = session.get(Item, first), session.get(Item, second)
        feed_item.feed_only, feed_item.text, feed_item.publisher = True, None, "Báo Biên Cương"
        notice.genre, notice.attachment_url = "notice", PDF_URL
        session.add_all([feed_item, notice])
        source = session.get(Source, "bao-tinh")
        source.crawl_note = ROBOTS_NOTE
        session.add(source)
    return first, second


def test_feed_only_items_attachments_and_publishers_are_shown(client, web_env):
    feed_id, notice_id = _mark_items(sorted(web_env.values()))
    login(client, "reviewer")
    queue = client.get("/queue?zone=all&review=all").text
    assert "chỉ từ RSS" in queue and "theo Báo Biên Cương" in queue
    feed_page = client.get(f"/items/{feed_id}").text
    assert 'id="feed-only"' in feed_page and "robots.txt" in feed_page and "Báo Biên Cương" in feed_page
    notice_page = client.get(f"/items/{notice_id}").text
    assert f'href="{PDF_URL}"' in notice_page and "Thông báo" in notice_page


def test_the_dashboard_health_says_when_robots_txt_refuses_us(client, web_env):
    _mark_items(sorted(web_env.values()))
    login(client, "viewer")
    assert ROBOTS_NOTE.replace('"', "&#34;") in client.get("/").text


def test_the_report_says_how_an_item_was_collected(web_env):
    settings = get_settings()
    with session_scope() as session:
        counted = [row.id for row in build_report(session, Period(2024), settings.count_syndicated, settings.tz).rows]
    _mark_items(counted)
    with session_scope() as session:
        data = build_report(session, Period(2024), settings.count_syndicated, settings.tz)
    text = render_report(data, "csv", settings.tz).decode("utf-8-sig")
    assert "Cách thu thập (how collected)" in text
    assert "chỉ từ RSS (robots.txt chặn trang); cơ quan đăng: Báo Biên Cương" in text and PDF_URL in text
