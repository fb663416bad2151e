"""Bad pages never raise: empty, malformed, huge, wrongly declared charsets, decomposed Unicode."""

from __future__ import annotations

import unicodedata
from zoneinfo import ZoneInfo

import pytest

from crawlers.extract.extraction import extract_article
from crawlers.extract.pagedecode import decode_html

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
BODY = "".join(
    f"<p>Trường Cao đẳng nghề tỉnh Lạng Sơn tổ chức lễ khai giảng năm học mới, đợt {n}, cho hơn {n * 300} học sinh, "
    f"sinh viên các trình độ cao đẳng, trung cấp và sơ cấp nghề.</p>"
    for n in range(1, 5)
)
ARTICLE = (
    f"<html><head><meta charset='utf-8'><title>Khai giảng năm học mới tại trường nghề - Báo Lạng Sơn</title>"
    f"</head><body><h1>Khai giảng năm học mới tại trường nghề</h1><div class='date'>05/09/2023 08:00</div>"
    f"<div class='content'>{BODY}</div></body></html>"
)


@pytest.mark.parametrize(
    "page",
    [
        b"",
        "",
        "   ",
        b"\x00\x01\x02",
        "<html>",
        "<<<>>>",
        b"\xff\xfe\xfa garbage",
        "<html><body><div><p>" * 3000,
        "<?xml version='1.0'?><rss></rss>",
    ],
)
def test_broken_pages_give_none_without_raising(page):
    assert extract_article(page, "https://x.vn/a-1.html", tz=TZ) is None


def test_huge_page_is_truncated_and_still_extracted():
    padding = "<script>" + "var x = 1;" * 300_000 + "</script>"
    html = ARTICLE.replace("<body>", "<body>" + padding)
    article = extract_article(html.encode("utf-8"), "https://x.vn/a-1.html", tz=TZ)
    assert article is not None and article.title == "Khai giảng năm học mới tại trường nghề"


def test_utf8_page_declared_latin1_is_read_as_utf8():
    html = ARTICLE.replace("charset='utf-8'", "charset='iso-8859-1'").encode("utf-8")
    article = extract_article(html, "https://x.vn/a-1.html", headers_charset="ISO-8859-1", tz=TZ)
    assert article.title == "Khai giảng năm học mới tại trường nghề"


def test_legacy_windows_1258_page_is_decoded_by_its_declaration():
    text = "Đào tạo"
    data = unicodedata.normalize("NFD", f"<meta charset='windows-1258'><p>{text}</p>").encode("cp1258")
    assert unicodedata.normalize("NFC", decode_html(data)).endswith(f"{text}</p>")


def test_decomposed_unicode_comes_out_composed():
    html = unicodedata.normalize("NFD", ARTICLE)
    article = extract_article(html, "https://x.vn/a-1.html", tz=TZ)
    assert article.title == "Khai giảng năm học mới tại trường nghề"
    assert unicodedata.is_normalized("NFC", article.text)


def test_explicit_encoding_wins():
    data = ARTICLE.encode("utf-16")
    article = extract_article(data, "https://x.vn/a-1.html", encoding="utf-16", tz=TZ)
    assert article is not None and "Cao đẳng nghề" in article.text


def test_print_view_url_takes_the_canonical_article_url():
    html = ARTICLE.replace("</head>", "<link rel='canonical' href='https://x.vn/khai-giang-1.html'></head>")
    article = extract_article(html, "https://x.vn/print/1.html", tz=TZ)
    assert article.url == "https://x.vn/khai-giang-1.html"


def test_canonical_to_another_site_or_the_homepage_is_ignored():
    for canonical in ("https://other.vn/a-1.html", "https://x.vn/"):
        html = ARTICLE.replace("</head>", f"<link rel='canonical' href='{canonical}'></head>")
        assert extract_article(html, "https://x.vn/a-1.html?utm_source=z", tz=TZ).url == "https://x.vn/a-1.html"


def test_short_page_is_not_an_article():
    html = ARTICLE.replace(BODY, "<p>Trang đang cập nhật.</p>")
    assert extract_article(html, "https://x.vn/a-1.html", tz=TZ) is None


def test_truncated_and_mangled_fixture_pages_never_raise():
    """Every stored page cut at many points and with tags knocked out still extracts or gives None, never raises."""
    import random
    from pathlib import Path

    rng = random.Random(3)
    folder = Path(__file__).resolve().parents[1] / "fixtures" / "extraction"
    for page in sorted(folder.glob("*.html")):
        data = page.read_bytes()
        variants = [data[: rng.randrange(1, len(data))] for _ in range(4)]
        variants.append(data.replace(b"</div>", b"", 5).replace(b"<p>", b"<p><table><td>", 3))
        variants.append(data.replace(b"<", b"", 40))
        for variant in variants:
            result = extract_article(variant, "https://x.vn/a-1.html", tz=TZ)
            assert result is None or result.title
