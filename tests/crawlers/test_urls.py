"""Canonical URLs and print views: one identity per article whatever link led to it."""

from __future__ import annotations

import pytest

from crawlers.identity.urls import canonicalize_url, is_print_view, print_view_target


@pytest.mark.parametrize(
    "url, expected",
    [
        ("HTTP://WWW.BaoLangSon.VN:80/a-123.html#comments", "http://www.baolangson.vn/a-123.html"),
        (
            "https://baolangson.vn/a-123.html?utm_source=fb&utm_medium=social&fbclid=IwAR0",
            "https://baolangson.vn/a-123.html",
        ),
        ("https://x.vn/a.html?gclid=1&zarsrc=30&gidzl=abc&_ga=2", "https://x.vn/a.html"),
        (
            "https://molisa.gov.vn/Pages/tintuc/chitiet.aspx?tintucID=21867&utm_campaign=x",
            "https://molisa.gov.vn/Pages/tintuc/chitiet.aspx?tintucID=21867",
        ),
        ("https://x.vn/list?page=2&cat=5", "https://x.vn/list?cat=5&page=2"),
        ("https://x.vn:443/news?newsid=9&id=3&p=2", "https://x.vn/news?id=3&newsid=9&p=2"),
    ],
)
def test_canonical_form_drops_tracking_and_keeps_identity(url, expected):
    assert canonicalize_url(url) == expected


def test_canonicalization_is_idempotent():
    url = canonicalize_url("https://X.vn/Tin tức/a-1.html?b=2&a=1&utm_source=z")
    assert canonicalize_url(url) == url


@pytest.mark.parametrize(
    "url, target",
    [
        ("https://baobinhthuan.com.vn/print/98765.html", None),
        ("https://x.vn/in-bai/lang-son-day-manh-123.html", "https://x.vn/lang-son-day-manh-123.html"),
        ("https://x.vn/a-123.html?print=1", "https://x.vn/a-123.html"),
        (
            "https://molisa.gov.vn/Pages/tintuc/chitiet.aspx?tintucID=1&mode=print",
            "https://molisa.gov.vn/Pages/tintuc/chitiet.aspx?tintucID=1",
        ),
        ("https://x.vn/tin-tuc/print.aspx?id=5", None),
        ("https://x.vn/printer-friendly/lang-son-day-manh-123.html", "https://x.vn/lang-son-day-manh-123.html"),
        ("https://x.vn/tin-tuc/123/print", "https://x.vn/tin-tuc/123"),
        (
            "https://x.vn/index.php?option=com_content&id=5&tmpl=component&print=1",
            "https://x.vn/index.php?id=5&option=com_content&tmpl=component",
        ),
    ],
)
def test_print_views_are_recognised_with_their_article(url, target):
    assert is_print_view(url)
    assert print_view_target(url) == target


@pytest.mark.parametrize(
    "url",
    [
        "https://x.vn/a-123.html",
        "https://x.vn/printer-cartridges-1.html",
        "https://x.vn/a.html?print=0",
        "https://x.vn/tin/in-an-gia-re-12.html",
    ],
)
def test_ordinary_pages_are_not_print_views(url):
    assert not is_print_view(url)
    assert print_view_target(url) is None
