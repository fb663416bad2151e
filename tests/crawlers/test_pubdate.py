"""Publication times: Vietnamese visible formats keep the time of day, the local zone applies, published beats
updated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crawlers.extract.pubdate import find_published, parse_vietnamese_datetime

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TZ)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Thứ Hai, 24/03/2020 08:15", local(2020, 3, 24, 8, 15)),
        ("24/03/2020 | 08:15 GMT+7", local(2020, 3, 24, 8, 15)),
        ("Cập nhật: 08:15 - 24/03/2020", local(2020, 3, 24, 8, 15)),
        ("Ngày đăng: 24/03/2020", local(2020, 3, 24)),
        ("08:15 24/3/2020", local(2020, 3, 24, 8, 15)),
        ("24-03-2020 08:15:00", local(2020, 3, 24, 8, 15)),
        ("Thứ hai, ngày 24 tháng 3 năm 2020", local(2020, 3, 24)),
        ("Thứ ba, 24/3/2020, 15:30 (GMT+7)", local(2020, 3, 24, 15, 30)),
        ("24/03/2020 - 8h15", local(2020, 3, 24, 8, 15)),
        ("8 giờ 15 phút, ngày 24/3/2020", local(2020, 3, 24, 8, 15)),
        ("Thứ Hai, 24/03/2020, 08:15 CH", local(2020, 3, 24, 20, 15)),
        ("Tháng Ba 24, 2020", local(2020, 3, 24)),
        ("2020-03-24T01:15:00Z", datetime(2020, 3, 24, 1, 15, tzinfo=UTC)),
        ("2020-03-24 08:15", local(2020, 3, 24, 8, 15)),
        ("24/03/2020 (GMT+07:00) 08:15", local(2020, 3, 24, 8, 15)),
        ("Ngày đăng: 24-3-2020 lúc 8h15p", local(2020, 3, 24, 8, 15)),
        ("05/10/2023 09:12:33 PM", local(2023, 10, 5, 21, 12, 33)),
        ("Ngày 5 tháng 10 năm 2023 lúc 9 giờ 12", local(2023, 10, 5, 9, 12)),
    ],
)
def test_vietnamese_formats_keep_the_time_of_day(text, expected):
    assert parse_vietnamese_datetime(text, TZ) == expected


def test_printed_zone_is_kept():
    parsed = parse_vietnamese_datetime("24/03/2020 08:15 GMT+9", TZ)
    assert parsed.utcoffset() == timedelta(hours=9)


def test_published_time_wins_over_updated_in_either_order():
    assert parse_vietnamese_datetime("Ngày đăng: 24/03/2020 08:15 | Cập nhật: 25/03/2020 10:00", TZ) == local(
        2020, 3, 24, 8, 15
    )
    assert parse_vietnamese_datetime("Cập nhật lúc 10:00 25/03/2020 - Đăng lúc 08:15 24/03/2020", TZ) == local(
        2020, 3, 24, 8, 15
    )


@pytest.mark.parametrize("text", ["", "Không có ngày tháng", "1.000.000 đồng năm 2020", "31/02/2020", "99/99/9999"])
def test_text_without_a_valid_date_gives_none(text):
    assert parse_vietnamese_datetime(text, TZ) is None


def page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_json_ld_date_published_is_read_through_graph():
    html = page(
        '<script type="application/ld+json">{"@graph": [{"@type": "WebSite"}, {"@type": "NewsArticle", '
        '"datePublished": "2020-03-24T08:15:00+07:00", "dateModified": "2020-03-25T10:00:00+07:00"}]}</script>',
        "<h1>Tiêu đề bài viết</h1><p>Nội dung</p>",
    )
    assert find_published(html, TZ) == local(2020, 3, 24, 8, 15)


def test_opengraph_published_time_without_zone_takes_the_local_zone():
    html = page('<meta property="article:published_time" content="2020-03-24T08:15:00">', "<h1>Tiêu đề</h1>")
    assert find_published(html, TZ) == local(2020, 3, 24, 8, 15)


def test_time_element_and_meta_pubdate():
    assert find_published(
        page("", '<h1>Tiêu đề</h1><time datetime="2020-03-24T08:15:00+07:00">24/3</time>'), TZ
    ) == local(2020, 3, 24, 8, 15)
    assert find_published(page('<meta name="pubdate" content="2020-03-24">', "<h1>Tiêu đề</h1>"), TZ) == local(
        2020, 3, 24
    )


def test_date_only_metadata_takes_the_time_of_day_from_the_visible_line():
    html = page(
        '<meta name="dc.date" content="2020-03-24">',
        '<h1>Tiêu đề bài viết</h1><div class="post-date">Thứ Ba, 24/03/2020 08:15</div>',
    )
    assert find_published(html, TZ) == local(2020, 3, 24, 8, 15)


def test_metadata_with_a_wrong_zone_yields_to_the_visible_wall_clock():
    html = page(
        '<meta property="article:published_time" content="2020-03-24T08:15:00+00:00">',
        '<h1>Tiêu đề bài viết</h1><span class="time">08:15 24/03/2020</span>',
    )
    assert find_published(html, TZ) == local(2020, 3, 24, 8, 15)


def test_visible_date_line_near_the_headline_beats_dates_in_the_body():
    html = page(
        "",
        '<div class="menu">Hôm nay 01/01/2021</div><h1>Tiêu đề bài viết</h1>'
        '<div class="info">Cập nhật: 10:00 - 25/03/2020 | Ngày đăng: 08:15 - 24/03/2020</div>'
        '<p>Ngày 12/02/2019, UBND tỉnh ban hành Kế hoạch số 52/KH-UBND.</p>',
    )
    assert find_published(html, TZ) == local(2020, 3, 24, 8, 15)


def test_page_without_any_date_gives_none():
    assert find_published(page("", "<h1>Tiêu đề</h1><p>Không có ngày.</p>"), TZ) is None
    assert find_published("", TZ) is None


def test_date_line_above_the_headline_beats_dates_in_a_related_box_below():
    html = page(
        "",
        '<div class="meta"><span class="date">Thứ ba, 24/3/2020, 15:30 (GMT+7)</span></div>'
        '<h1>Tiêu đề bài viết</h1><p>Nội dung bài viết không có ngày tháng.</p>'
        '<div class="tin-lien-quan"><ul><li><a href="/a">Tin khác</a> <span class="time">01/01/2021 10:00</span>'
        '</li></ul></div>',
    )
    assert find_published(html, TZ) == local(2020, 3, 24, 15, 30)


def test_labelled_date_at_the_foot_of_the_page_is_found():
    html = page(
        "",
        "<h1>Tiêu đề bài viết</h1>"
        + "<p>Nội dung bài viết dài, ngày 12/02/2019 có sự kiện.</p>" * 30
        + "<p>Ngày đăng: 24/03/2020 08:15</p>",
    )
    assert find_published(html, TZ) == local(2020, 3, 24, 8, 15)


def test_printed_published_label_beats_a_wrong_metadata_time():
    html = page(
        '<meta property="article:published_time" content="2020-03-26T10:00:00+07:00">',
        '<h1>Tiêu đề bài viết</h1><div class="meta">Ngày đăng: 24/03/2020 08:15</div>',
    )
    assert find_published(html, TZ) == local(2020, 3, 24, 8, 15)


FETCHED = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội


@pytest.mark.parametrize(
    "line, expected",
    [
        ("2 giờ trước", local(2026, 11, 23, 8, 0)),
        ("Cập nhật 15 phút trước", local(2026, 11, 23, 9, 45)),
        ("(3 tiếng trước) | Giáo dục", local(2026, 11, 23, 7, 0)),
        ("Hôm qua 08:15", local(2026, 11, 22, 8, 15)),
        ("hôm nay lúc 9h30", local(2026, 11, 23, 9, 30)),
        ("3 ngày trước", local(2026, 11, 20)),
        ("một tuần trước", local(2026, 11, 16)),
    ],
)
def test_a_page_that_prints_only_a_relative_time_is_dated_back_from_the_fetch(line, expected):
    html = page("", f'<h1>Tiêu đề bài viết</h1><div class="post-time">{line}</div><p>Nội dung bài viết.</p>')
    assert find_published(html, TZ, now=FETCHED) == expected


def test_relative_words_in_prose_or_next_to_a_real_date_do_not_date_the_page():
    prose = page(
        "",
        "<h1>Tiêu đề bài viết</h1><p>Trước đó 3 ngày trước khi khai giảng, huyện đã họp bàn.</p>"
        "<p>Hôm qua 08:15 là giờ hẹn của cả lớp, theo lời cô giáo chủ nhiệm kể lại cho phóng viên.</p>",
    )
    assert find_published(prose, TZ, now=FETCHED) is None
    dated = page(
        "",
        '<h1>Tiêu đề bài viết</h1><div class="date">Thứ Hai, 24/03/2020 08:15</div><p>Nội dung.</p>'
        '<div class="tin-khac"><span class="time">2 giờ trước</span></div>',
    )
    assert find_published(dated, TZ, now=FETCHED) == local(2020, 3, 24, 8, 15)
