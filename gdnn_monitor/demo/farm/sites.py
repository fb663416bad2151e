"""The CMS families of the farm. Each site renders its pages from FarmArticles and lists what it serves.

- ProvincialPaper: RSS (with an unescaped '&'), sections with ?page=N pagers, 301 moves of old URLs, tracking
  parameters, a 500 that succeeds on retry, print views and a private folder disallowed by robots.txt.
- OldStylePaper: sitemap index → Google News sitemap + monthly (one gzipped) sitemaps, malformed table HTML,
  decomposed Unicode (NFD), a slow page, a section page listed in a sitemap.
- TvStation: news and video listings with numbered pagers (/trang-N), video pages built around a player, JSON-LD.
- WordPressCollege: /page/N/ with "Xem thêm", /YYYY/MM/slug/ posts, category/tag/search links.
- GovPortal: ASP.NET ?tintucID= articles, "Trang sau", ?print=1 print views, a republished newspaper article.
- WebFormsPortal: an ASP.NET WebForms listing whose pager posts the form back (__doPostBack, __VIEWSTATE); not in
  the standard farm, its own tests start it.
- YouTubeFeed, GraphApi: a channel's video feed and the Facebook Graph API's /{page}/posts with paging.next.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from html import escape
from urllib.parse import urlencode

from protego import Protego

from gdnn_monitor.demo.farm.article import TZ, FarmArticle
from gdnn_monitor.demo.farm.server import Reply, gzipped

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


@dataclass(frozen=True)
class Expected:
    source_id: str
    url: str
    title: str
    body: str
    published: datetime
    has_time: bool
    genre: str = "article"
    aliases: tuple[str, ...] = ()  # other URLs of the same page (no rel=canonical): storing it under one is right


def furniture_top(site_name: str, sections: list[tuple[str, str]]) -> str:
    menu = "".join(f'<li><a href="{href}">{escape(label)}</a></li>' for href, label in sections)
    return (
        f'<header class="site-header"><div class="logo"><a href="/">{escape(site_name)}</a></div>'
        f'<nav class="main-menu"><ul>{menu}<li><a href="/lien-he">Liên hệ</a></li></ul></nav>'
        f'<form class="search" action="/tim-kiem"><input name="q"></form></header>'
    )


def furniture_bottom(site_name: str) -> str:
    return (
        f'<footer class="footer"><p>© {escape(site_name)}. Giấy phép số 123/GP-BTTTT. '
        f'Địa chỉ: số 1 đường Trần Hưng Đạo. Điện thoại: 0205 3812 345.</p>'
        f'<p><a href="/gioi-thieu">Giới thiệu</a> | <a href="/lien-he">Liên hệ quảng cáo</a></p></footer>'
    )


def sidebar(title: str, links: list[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="{href}">{escape(text)}</a></li>' for href, text in links)
    return f'<aside class="sidebar"><h3>{escape(title)}</h3><ul class="most-read">{items}</ul></aside>'


def comments_block() -> str:
    return (
        '<div class="comments"><h4>Bình luận</h4><div class="comment"><b>Bạn đọc Minh</b>'
        '<p>Bài viết rất hay, cảm ơn tòa soạn đã đưa tin kịp thời.</p></div>'
        '<form class="comment-form"><textarea name="c"></textarea><button>Gửi bình luận</button></form></div>'
    )


def page(title: str, head: str, body: str, lang: str = "vi") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title>{head}'
        f'</head><body>{body}</body></html>'
    )


def paragraphs_html(article: FarmArticle, nfd: bool = False) -> str:
    text = "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    return unicodedata.normalize("NFD", text) if nfd else text


class Site:
    ip = "127.0.0.1"
    source_id = "site"
    name = "Site"
    kind = "newspaper"

    def __init__(self, articles: list[FarmArticle]) -> None:
        self.articles = articles
        self.hits: list = []
        self.base = ""
        self.failed_once: set[str] = set()
        self.robots_txt = "User-agent: *\nDisallow:\n"

    def url(self, path: str) -> str:
        return self.base + path

    def robots(self) -> Reply:
        return Reply(200, self.robots_txt, "text/plain; charset=utf-8")

    def disallowed(self, path: str) -> bool:
        return not Protego.parse(self.robots_txt).can_fetch(self.url(path), "gdnn-monitor")

    def requested_paths(self) -> list[str]:
        return [hit.path for hit in self.hits]

    def fail_first_time(self, path: str) -> bool:
        if path in self.failed_once:
            return False
        self.failed_once.add(path)
        return True

    def source_entry(self) -> dict:
        raise NotImplementedError

    def expected(self) -> list[Expected]:
        raise NotImplementedError

    def route(self, path: str, query: dict[str, str], headers) -> Reply:
        raise NotImplementedError


# ---------------------------------------------------------------------------------------------------------------
class ProvincialPaper(Site):
    ip = "127.0.0.2"
    source_id = "farm-bao-tinh"
    name = "Báo Tỉnh (farm)"
    PER_PAGE = 6
    SECTIONS = (("giao-duc", "Giáo dục"), ("xa-hoi", "Xã hội"))
    FEED_SIZE = 8

    def __init__(self, articles: list[FarmArticle]) -> None:
        super().__init__(articles)
        self.robots_txt = "User-agent: *\nDisallow: /print/\nDisallow: /noi-bo/\nDisallow: /tim-kiem\n"
        self.by_id = {1000 + a.key: a for a in articles}
        self.etag = '"feed-v1"'

    def article_id(self, article: FarmArticle) -> int:
        return 1000 + article.key

    def path_of(self, article: FarmArticle) -> str:
        return f"/{article.slug}-{self.article_id(article)}.html"

    def old_path_of(self, article: FarmArticle) -> str:
        return f"/tin-tuc/{self.article_id(article)}-{article.slug}.html"

    def section_of(self, index: int) -> str:
        return self.SECTIONS[index % 2][0]

    def source_entry(self) -> dict:
        return {
            "id": self.source_id,
            "name": self.name,
            "kind": self.kind,
            "homepage": self.url("/"),
            "feeds": [self.url("/rss/home.rss")],
            "listings": [self.url(f"/{slug}/") for slug, _ in self.SECTIONS],
        }

    def expected(self) -> list[Expected]:
        return [
            Expected(self.source_id, self.url(self.path_of(a)), a.title, a.body, a.published, True)
            for a in self.articles
        ]

    def listing_link(self, article: FarmArticle) -> str:
        index = article.key
        if index % 5 == 1:
            return self.old_path_of(article)
        if index % 5 == 2:
            return self.path_of(article) + "?utm_source=trang-chu&utm_medium=web&fbclid=IwAR0abc"
        return self.path_of(article)

    def route(self, path: str, query: dict[str, str], headers) -> Reply:
        if path == "/robots.txt":
            return self.robots()
        if path == "/rss/home.rss":
            return self.feed(headers)
        if path == "/":
            return self.homepage()
        for slug, label in self.SECTIONS:
            if path == f"/{slug}/":
                return self.section(slug, label, int(query.get("page", "1") or 1))
        if path.startswith("/tin-tuc/"):
            article = self.by_id.get(int(path.split("/")[2].split("-")[0]))
            if article:
                return Reply(301, "", headers={"Location": self.url(self.path_of(article))})
        if path.startswith("/xa-hoi/") and path.endswith(".html"):  # the same article filed under a second section
            article = self.by_id.get(int(path.rsplit("-", 1)[-1].removesuffix(".html")))
            if article:
                return Reply(200, self.article_page(article))
        if path.startswith("/print/"):
            article = self.by_id.get(int(path.removeprefix("/print/").removesuffix(".html")))
            if article:
                return Reply(200, self.article_page(article, printing=True))
        if path.endswith(".html") and not path.startswith("/noi-bo/"):
            article = self.by_id.get(int(path.rsplit("-", 1)[-1].removesuffix(".html")))
            if article and path == self.path_of(article):
                if article.key == 3 and self.fail_first_time(path):
                    return Reply(500, "<h1>500 Internal Server Error</h1>")
                return Reply(200, self.article_page(article))
        if path.startswith("/noi-bo/"):
            return Reply(200, page("Nội bộ", "", "<h1>Tài liệu nội bộ</h1><p>Không được thu thập.</p>"))
        return Reply(404, page("Không tìm thấy", "", "<h1>404</h1>"))

    def homepage(self) -> Reply:
        """Menu of sections, a few headlines, and the feed announced in <head>."""
        teasers = "".join(f'<h3><a href="{self.path_of(a)}">{escape(a.title)}</a></h3>' for a in self.articles[:3])
        head = '<link rel="alternate" type="application/rss+xml" title="Trang chủ" href="/rss/home.rss">'
        body = (
            furniture_top(self.name, [(f"/{s}/", label) for s, label in self.SECTIONS])
            + f'<main class="home">{teasers}</main>'
            + furniture_bottom(self.name)
        )
        return Reply(200, page(self.name, head, body))

    def feed(self, headers) -> Reply:
        if headers.get("If-None-Match") == self.etag:
            return Reply(304, b"", headers={"ETag": self.etag})
        items = []
        for article in self.articles[: self.FEED_SIZE]:
            # the raw '&' below is the classic malformed feed: feedparser must still read the entries
            link = self.url(self.path_of(article)) + "?utm_source=rss&utm_medium=feed"
            pub = article.published.strftime("%a, %d %b %Y %H:%M:%S +0700")
            items.append(
                f"<item><title>{escape(article.title)}</title><link>{link}</link>"
                f"<description>{escape(article.sapo)}</description><pubDate>{pub}</pubDate></item>"
            )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Báo Tỉnh - Trang chủ'
            f'</title><link>{self.url("/")}</link>{"".join(items)}</channel></rss>'
        )
        return Reply(
            200,
            body,
            "application/rss+xml; charset=utf-8",
            {"ETag": self.etag, "Last-Modified": "Thu, 20 Jun 2024 10:00:00 GMT"},
        )

    def section(self, slug: str, label: str, number: int) -> Reply:
        members = [a for a in self.articles if self.section_of(a.key) == slug]
        pages = (len(members) + self.PER_PAGE - 1) // self.PER_PAGE
        chunk = members[(number - 1) * self.PER_PAGE : number * self.PER_PAGE]
        if not chunk:
            return Reply(404, page("Không tìm thấy", "", "<h1>404</h1>"))
        teasers = "".join(
            f'<div class="story"><h3 class="story__title"><a href="{self.listing_link(a)}">{escape(a.title)}</a></h3>'
            f'<p class="story__summary">{escape(a.sapo[:120])}</p></div>'
            for a in chunk
        )
        trap = f'<a href="/noi-bo/{chunk[0].slug}-{9000 + chunk[0].key}.html">Tài liệu nội bộ</a>'
        others = [a for a in self.articles if self.section_of(a.key) != slug][:3]
        most_read = sidebar("Đọc nhiều", [(self.path_of(a), a.title) for a in others])
        if slug == "xa-hoi" and number == 1:  # a giao-duc article also filed here, under another URL
            alias = [a for a in self.articles if self.section_of(a.key) == "giao-duc"][-1]
            teasers += (
                f'<div class="story"><h3><a href="/xa-hoi/{alias.slug}-{self.article_id(alias)}.html">'
                f'{escape(alias.title)}</a></h3></div>'
            )
        pager = "".join(f'<a href="/{slug}/?page={n}">{n}</a> ' for n in range(1, pages + 1) if n != number)
        if number < pages:
            pager += f'<a class="next" href="/{slug}/?page={number + 1}">Trang sau</a>'
        body = (
            furniture_top(self.name, [(f"/{s}/", label) for s, label in self.SECTIONS])
            + f'<main><h1 class="cate-title">{escape(label)}</h1><div class="list-news">{teasers}</div>'
            f'<div class="pagination">{pager}</div>{trap}</main>' + most_read + furniture_bottom(self.name)
        )
        return Reply(200, page(f"{label} - {self.name}", "", body))

    def article_page(self, article: FarmArticle, printing: bool = False) -> str:
        when = article.published
        date_line = f"{WEEKDAYS[when.weekday()]}, {when:%d/%m/%Y %H:%M}"
        related = [(self.path_of(a), a.title) for a in self.articles if a.key != article.key][:4]
        canonical = self.url(self.path_of(article))
        head = (
            f'<link rel="canonical" href="{canonical}"><meta property="og:title" content="{escape(article.title)}">'
            f'<meta property="og:description" content="{escape(article.sapo)}">'
        )
        body = (
            furniture_top(self.name, [(f"/{s}/", label) for s, label in self.SECTIONS])
            + f'<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="/giao-duc/">Giáo dục</a></div>'
            f'<article class="detail"><h1 class="detail-title">{escape(article.title)}</h1>'
            f'<div class="detail-time">{date_line}</div>'
            f'<div class="detail-sapo sapo">{escape(article.sapo)}</div>'
            f'<div class="detail-content">{paragraphs_html(article)}'
            f'<p class="author"><strong>{escape(article.author)}</strong></p></div>'
            f'<div class="detail-tools"><a href="/print/{self.article_id(article)}.html">In bài</a></div>'
            f'</article>' + sidebar("Tin liên quan", related) + comments_block() + furniture_bottom(self.name)
        )
        return page(article.title, head, body)


# ---------------------------------------------------------------------------------------------------------------
class OldStylePaper(Site):
    ip = "127.0.0.3"
    source_id = "farm-bao-cu"
    name = "Báo Cũ (farm)"
    NEWS_SIZE = 8

    def __init__(self, articles: list[FarmArticle]) -> None:
        super().__init__(articles)
        self.robots_txt = "User-agent: *\nDisallow: /search\nSitemap: /sitemap.xml\n"
        self.by_id = {5000 + a.key: a for a in articles}

    def path_of(self, article: FarmArticle) -> str:
        section = ("thoi-su", "kinh-te", "van-hoa")[article.key % 3]
        return f"/{section}/{5000 + article.key}-{article.slug}.html"

    def nfd(self, article: FarmArticle) -> bool:
        return article.key % 3 == 1

    def news_loc(self, article: FarmArticle) -> str:
        """The third newest article is announced by its print view only."""
        return f"/in-bai/{5000 + article.key}.html" if article is self.articles[2] else self.path_of(article)

    def source_entry(self) -> dict:
        return {
            "id": self.source_id,
            "name": self.name,
            "kind": self.kind,
            "homepage": self.url("/"),
            "sitemaps": [self.url("/sitemap.xml")],
        }

    def expected(self) -> list[Expected]:
        return [
            Expected(self.source_id, self.url(self.path_of(a)), a.title, a.body, a.published, True)
            for a in self.articles
        ]

    def months(self) -> dict[str, list[FarmArticle]]:
        groups: dict[str, list[FarmArticle]] = {}
        for article in self.articles[self.NEWS_SIZE :]:
            groups.setdefault(f"{article.published:%Y-%m}", []).append(article)
        return groups

    def route(self, path: str, query: dict[str, str], headers) -> Reply:
        xml = "application/xml; charset=utf-8"
        if path == "/robots.txt":
            return self.robots()
        if path == "/sitemap.xml":
            entries = [f"<sitemap><loc>{self.url('/sitemaps/news.xml')}</loc></sitemap>"]
            for index, month in enumerate(self.months()):
                suffix = ".xml.gz" if index == 0 else ".xml"
                entries.append(
                    f"<sitemap><loc>{self.url(f'/sitemaps/{month}{suffix}')}</loc>"
                    f"<lastmod>{month}-28</lastmod></sitemap>"
                )
            return Reply(
                200,
                '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/'
                f'schemas/sitemap/0.9">{"".join(entries)}</sitemapindex>',
                xml,
            )
        if path == "/sitemaps/news.xml":
            urls = "".join(
                f"<url><loc>{self.url(self.news_loc(a))}</loc><news:news><news:publication><news:name>Báo Cũ"
                f"</news:name><news:language>vi</news:language></news:publication><news:publication_date>"
                f"{a.published.isoformat()}</news:publication_date><news:title>{escape(a.title)}</news:title>"
                f"</news:news></url>"
                for a in self.articles[: self.NEWS_SIZE]
            )
            return Reply(
                200,
                '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                'sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                f'{urls}</urlset>',
                xml,
            )
        if path.startswith("/sitemaps/"):
            month = path.removeprefix("/sitemaps/").split(".")[0]
            members = self.months().get(month)
            if members is None:
                return Reply(404, "not found", "text/plain")
            urls = "".join(
                f"<url><loc>{self.url(self.path_of(a))}</loc><lastmod>{a.published.isoformat()}</lastmod></url>"
                for a in members
            )
            urls += f"<url><loc>{self.url('/thoi-su/')}</loc><lastmod>{month}-28</lastmod></url>"
            document = (
                '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9">{urls}</urlset>'
            )
            if path.endswith(".gz"):
                return Reply(200, gzipped(document), "application/x-gzip")
            return Reply(200, document, xml)
        if path.startswith("/in-bai/"):
            article = self.by_id.get(int(path.removeprefix("/in-bai/").removesuffix(".html")))
            if article:
                return Reply(200, self.print_page(article))
        if path == "/thoi-su/":
            links = "".join(f'<li><a href="{self.path_of(a)}">{escape(a.title)}</a></li>' for a in self.articles[:10])
            return Reply(200, page("Thời sự", "", f"<h1>Thời sự</h1><ul>{links}</ul>"))
        if path.endswith(".html"):
            try:
                article = self.by_id.get(int(path.rsplit("/", 1)[-1].split("-", 1)[0]))
            except ValueError:
                article = None
            if article and path == self.path_of(article):
                return Reply(200, self.article_page(article), delay=1.5 if article.key == 5 else 0.0)
        return Reply(404, page("Không tìm thấy", "", "<h1>404</h1>"))

    def print_page(self, article: FarmArticle) -> str:
        when = article.published
        return (
            f'<html><head><meta charset="utf-8"><title>{escape(article.title)}</title>'
            f'<link rel="canonical" href="{self.url(self.path_of(article))}"></head><body onload="window.print()">'
            f'<h1>{escape(article.title)}</h1><p>{when:%d/%m/%Y} | {when:%H:%M} GMT+7</p>'
            f'<p><b>{escape(article.sapo)}</b></p>{paragraphs_html(article)}</body></html>'
        )

    def article_page(self, article: FarmArticle) -> str:
        """Table layout of the 2000s, unclosed tags, and (for some articles) decomposed Unicode."""
        nfd = self.nfd(article)
        title = unicodedata.normalize("NFD", article.title) if nfd else article.title
        sapo = unicodedata.normalize("NFD", article.sapo) if nfd else article.sapo
        when = article.published
        paragraphs = "".join(
            f"<p>{escape(unicodedata.normalize('NFD', p) if nfd else p)}" for p in article.paragraphs
        )  # <p> never closed
        related = "".join(
            f'<tr><td><a href="{self.path_of(a)}">{escape(a.title)}</a></td></tr>'
            for a in self.articles
            if a.key != article.key
        )
        body = (
            f'<table width="100%" class="main"><tr><td class="menu" width="20%">'
            f'<a href="/">Trang chủ</a><br><a href="/thoi-su/">Thời sự</a><br><a href="/search">Tìm kiếm</a>'
            f'</td><td class="content">'
            f'<div class="title"><h1>{escape(title)}</h1></div>'
            f'<span class="time">{when:%d/%m/%Y} | {when:%H:%M} GMT+7</span>'
            f'<div class="sapo"><b>{escape(sapo)}</b></div>'
            f'<div id="content" class="news-content">{paragraphs}'
            f'<p align="right"><b>{escape(article.author)}</b></div></td>'
            f'<td class="right" width="25%"><div class="other-news"><b>Các tin khác</b>'
            f'<table>{related[:3000]}</table></div></td></tr></table></td>'
            f'<div class="footer">Báo Cũ — Cơ quan ngôn luận. Ghi rõ nguồn khi phát hành lại.'
        )
        return (
            f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            f'<title>{escape(title)}</title></head><body>{body}</body></html>'
        )


# ---------------------------------------------------------------------------------------------------------------
class TvStation(Site):
    ip = "127.0.0.4"
    source_id = "farm-truyen-hinh"
    name = "Truyền hình Tỉnh (farm)"
    kind = "tv"
    PER_PAGE = 4

    def __init__(self, articles: list[FarmArticle]) -> None:
        super().__init__(articles)
        self.robots_txt = "User-agent: *\nDisallow: /admin/\n"
        self.by_id = {7000 + a.key: a for a in articles}

    def is_video(self, article: FarmArticle) -> bool:
        return article.key % 2 == 0

    def path_of(self, article: FarmArticle) -> str:
        kind = "video/12" if self.is_video(article) else "news/472"
        return f"/{kind}/{7000 + article.key}/{article.slug}"

    def source_entry(self) -> dict:
        return {
            "id": self.source_id,
            "name": self.name,
            "kind": self.kind,
            "homepage": self.url("/"),
            "listings": [self.url("/news/472/"), self.url("/video/12/")],
            "article_pattern": r"^https?://[^/]+/(?:news|video)/\d+/\d+/[a-z0-9-]+/?$",
        }

    def expected(self) -> list[Expected]:
        return [
            Expected(
                self.source_id,
                self.url(self.path_of(a)),
                a.title,
                self.body_of(a),
                a.published,
                True,
                "video" if self.is_video(a) else "article",
                (self.url(self.path_of(a) + "/"),),
            )
            for a in self.articles
        ]

    def body_of(self, article: FarmArticle) -> str:
        return article.sapo if self.is_video(article) else article.body

    def route(self, path: str, query: dict[str, str], headers) -> Reply:
        if path == "/robots.txt":
            return self.robots()
        for prefix, label, video in (("/news/472/", "Tin tức", False), ("/video/12/", "Video", True)):
            if path == prefix or path.startswith(prefix + "trang-"):
                number = int(path.removeprefix(prefix + "trang-") or 1) if "trang-" in path else 1
                return self.listing(prefix, label, video, number)
        parts = path.strip("/").split("/")
        if len(parts) == 4 and parts[2].isdigit():
            article = self.by_id.get(int(parts[2]))
            if article and path.rstrip("/") == self.path_of(article):
                return Reply(200, self.article_page(article))
        return Reply(404, page("Không tìm thấy", "", "<h1>404</h1>"))

    def listing(self, prefix: str, label: str, video: bool, number: int) -> Reply:
        members = [a for a in self.articles if self.is_video(a) == video]
        pages = (len(members) + self.PER_PAGE - 1) // self.PER_PAGE
        chunk = members[(number - 1) * self.PER_PAGE : number * self.PER_PAGE]
        if not chunk:
            return Reply(404, page("Không tìm thấy", "", "<h1>404</h1>"))
        cards = "".join(
            f'<div class="card"><a class="thumb" href="{self.path_of(a)}"><img src="/img/{a.key}.jpg">'
            f'</a><h4><a href="{self.path_of(a)}">{escape(a.title)}</a></h4></div>'
            for a in chunk
        )
        if number == 1 and not video:  # the same story linked again with a trailing slash
            cards += f'<div class="hot"><a href="{self.path_of(chunk[0])}/">{escape(chunk[0].title)}</a></div>'

        numbers = "".join(
            f'<li><a href="{prefix}trang-{n}">{n}</a></li>'
            if n != number
            else f'<li class="active"><span>{n}</span></li>'
            for n in range(1, pages + 1)
        )
        body = (
            furniture_top(self.name, [("/news/472/", "Tin tức"), ("/video/12/", "Video")])
            + f'<h1>{label}</h1><div class="grid">{cards}</div><ul class="pager">{numbers}</ul>'
            + furniture_bottom(self.name)
        )
        return Reply(200, page(label, "", body))

    def article_page(self, article: FarmArticle) -> str:
        video = self.is_video(article)
        iso = article.published.isoformat()
        ld = {
            "@context": "https://schema.org",
            "@type": "VideoObject" if video else "NewsArticle",
            "headline": article.title,
            "name": article.title,
            "datePublished": iso,
            "uploadDate": iso,
            "author": {"@type": "Person", "name": article.author},
        }
        head = (
            f'<meta property="og:type" content="{"video.other" if video else "article"}">'
            f'<meta property="article:published_time" content="{iso}">'
            f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
        )
        if video:
            content = (
                f'<div class="video-player"><iframe src="https://www.youtube.com/embed/farm{article.key}" '
                f'allowfullscreen></iframe></div><div class="video-desc"><p>{escape(article.sapo)}</p></div>'
            )
        else:
            content = f'<p class="lead">{escape(article.sapo)}</p><div class="content">{paragraphs_html(article)}</div>'
        others = [(self.path_of(a), a.title) for a in self.articles if a.key != article.key][:5]
        body = (
            furniture_top(self.name, [("/news/472/", "Tin tức"), ("/video/12/", "Video")])
            + f'<div class="post"><h1 class="post-title">{escape(article.title)}</h1>'
            f'<time datetime="{iso}">{article.published:%H:%M %d/%m/%Y}</time>{content}</div>'
            + sidebar("Video khác" if video else "Tin khác", others)
            + furniture_bottom(self.name)
        )
        return page(article.title, head, body)


# ---------------------------------------------------------------------------------------------------------------
class WordPressCollege(Site):
    ip = "127.0.0.5"
    source_id = "farm-cao-dang"
    name = "Trường Cao đẳng (farm)"
    kind = "school"
    PER_PAGE = 5

    def __init__(self, articles: list[FarmArticle]) -> None:
        super().__init__(articles)
        self.robots_txt = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
        self.by_path = {self.path_of(a): a for a in articles}

    def path_of(self, article: FarmArticle) -> str:
        return f"/{article.published:%Y/%m}/{article.slug}/"

    def source_entry(self) -> dict:
        return {
            "id": self.source_id,
            "name": self.name,
            "kind": self.kind,
            "homepage": self.url("/"),
            "listings": [self.url("/")],
        }

    def expected(self) -> list[Expected]:
        return [
            Expected(self.source_id, self.url(self.path_of(a)), a.title, a.body, a.published, True)
            for a in self.articles
        ]

    def route(self, path: str, query: dict[str, str], headers) -> Reply:
        if path == "/robots.txt":
            return self.robots()
        if query.get("s"):
            return Reply(200, page("Tìm kiếm", "", "<h1>Kết quả tìm kiếm</h1>"))
        if path == "/":
            return self.listing(1)
        if path.startswith("/page/"):
            return self.listing(int(path.strip("/").split("/")[1]))
        if path in self.by_path:
            return Reply(200, self.post(self.by_path[path]))
        if path.startswith(("/category/", "/tag/")):
            return Reply(200, page("Chuyên mục", "", "<h1>Chuyên mục</h1><p>Danh sách bài viết.</p>"))
        return Reply(404, page("Không tìm thấy", "", "<h1>404</h1>"))

    def listing(self, number: int) -> Reply:
        pages = (len(self.articles) + self.PER_PAGE - 1) // self.PER_PAGE
        chunk = self.articles[(number - 1) * self.PER_PAGE : number * self.PER_PAGE]
        if not chunk:
            return Reply(404, page("Không tìm thấy", "", "<h1>404</h1>"))
        posts = "".join(
            f'<article class="post type-post"><h2 class="entry-title"><a href="{self.path_of(a)}" rel="bookmark">'
            f'{escape(a.title)}</a></h2><div class="entry-summary"><p>{escape(a.sapo[:150])}</p></div>'
            f'<a class="more-link" href="{self.path_of(a)}">Đọc tiếp</a> '
            f'<a href="/category/tin-tuc/" rel="category tag">Tin tức</a> <a href="/tag/tuyen-sinh/">tuyển sinh</a>'
            f'</article>'
            for a in chunk
        )
        nav = ""
        if number < pages:
            nav += f'<a class="next page-numbers" href="/page/{number + 1}/">Xem thêm</a>'
        nav += "".join(
            f'<a class="page-numbers" href="/page/{n}/">{n}</a>' for n in range(1, min(pages, 3) + 1) if n != number
        )
        body = (
            f'<div id="page"><header id="masthead"><a href="/">{escape(self.name)}</a>'
            f'<form action="/"><input name="s" value=""></form></header><main id="main">{posts}'
            f'<nav class="navigation pagination">{nav}</nav></main>'
            f'<aside id="secondary"><section class="widget"><a href="/?s=tuyen+sinh">Tìm tuyển sinh</a></section>'
            f'</aside><footer id="colophon">Trường Cao đẳng — Đào tạo nghề chất lượng cao.</footer></div>'
        )
        return Reply(200, page(self.name, "", body))

    def post(self, article: FarmArticle) -> str:
        iso = article.published.isoformat()
        body = (
            f'<div id="page"><header id="masthead"><a href="/">{escape(self.name)}</a></header>'
            f'<main id="main"><article class="post type-post"><header class="entry-header">'
            f'<h1 class="entry-title">{escape(article.title)}</h1><div class="entry-meta">Ngày đăng: '
            f'<time class="entry-date published" datetime="{iso}">{article.published:%d/%m/%Y}</time>'
            f' bởi <span class="author vcard">{escape(article.author)}</span></div></header>'
            f'<div class="entry-content"><p><strong>{escape(article.sapo)}</strong></p>{paragraphs_html(article)}'
            f'</div><footer class="entry-footer"><a href="/category/tin-tuc/">Tin tức</a></footer></article>'
            f'<div id="comments" class="comments-area"><h3>Để lại bình luận</h3></div></main>'
            f'<footer id="colophon">Trường Cao đẳng — Đào tạo nghề chất lượng cao.</footer></div>'
        )
        return page(article.title, f'<link rel="canonical" href="{self.url(self.path_of(article))}">', body)


# ---------------------------------------------------------------------------------------------------------------
class GovPortal(Site):
    ip = "127.0.0.6"
    source_id = "farm-cong-tt"
    name = "Cổng thông tin tỉnh (farm)"
    kind = "portal"
    PER_PAGE = 5

    def __init__(self, articles: list[FarmArticle], republished: FarmArticle | None = None) -> None:
        super().__init__(articles + ([republished] if republished else []))
        self.republished = republished
        self.robots_txt = "User-agent: *\nDisallow: /Pages/noibo/\n"
        self.by_id = {3000 + a.key: a for a in self.articles}

    def path_of(self, article: FarmArticle) -> str:
        return f"/Pages/tintuc/chitiet.aspx?tintucID={3000 + article.key}"

    def has_time(self, article: FarmArticle) -> bool:
        return article.key % 4 != 0

    def source_entry(self) -> dict:
        return {
            "id": self.source_id,
            "name": self.name,
            "kind": self.kind,
            "homepage": self.url("/"),
            "listings": [self.url("/Pages/tintuc/danhsach.aspx?catID=5")],
        }

    def body_of(self, article: FarmArticle) -> str:
        return article.body

    def expected(self) -> list[Expected]:
        return [
            Expected(self.source_id, self.url(self.path_of(a)), a.title, self.body_of(a), a.published, self.has_time(a))
            for a in self.articles
        ]

    def route(self, path: str, query: dict[str, str], headers) -> Reply:
        if path == "/robots.txt":
            return self.robots()
        if path == "/Pages/tintuc/danhsach.aspx":
            return self.listing(int(query.get("page", "1") or 1))
        if path == "/Pages/tintuc/chitiet.aspx":
            article = self.by_id.get(int(query.get("tintucID", "0") or 0))
            if article:
                return Reply(200, self.article_page(article, printing="print" in query))
        if path.startswith("/Pages/noibo/"):
            return Reply(200, page("Nội bộ", "", "<h1>Văn bản nội bộ</h1>"))
        return Reply(404, page("Không tìm thấy", "", "<h1>404</h1>"))

    def listing(self, number: int) -> Reply:
        pages = (len(self.articles) + self.PER_PAGE - 1) // self.PER_PAGE
        chunk = self.articles[(number - 1) * self.PER_PAGE : number * self.PER_PAGE]
        if not chunk:
            return Reply(404, page("Không tìm thấy", "", "<h1>404</h1>"))
        rows = "".join(
            f'<tr><td class="td-title"><a id="hl{a.key}" href="chitiet.aspx?tintucID={3000 + a.key}">'
            f'{escape(a.title)}</a></td><td><a href="chitiet.aspx?tintucID={3000 + a.key}&amp;print=1">'
            f'In</a></td></tr>'
            for a in chunk
        )
        nav = (
            f'<a id="lnkNext" href="danhsach.aspx?catID=5&amp;page={number + 1}">Trang sau</a>'
            if number < pages
            else ""
        )
        body = (
            f'<form id="aspnetForm" method="post"><input type="hidden" name="__VIEWSTATE" value="dDwtMTA4NjQ=">'
            f'<div id="ctl00_menu"><a href="/">Trang chủ</a> <a href="/Pages/noibo/vanban.aspx">Văn bản nội bộ</a>'
            f'</div><h1>Tin tức - Sự kiện</h1><table class="list">{rows}</table><div class="paging">{nav}</div>'
            f'<div id="ctl00_footer">Cổng thông tin điện tử tỉnh. Bản quyền thuộc UBND tỉnh.</div></form>'
        )
        return Reply(200, page("Tin tức - Sự kiện", "", body))

    def article_page(self, article: FarmArticle, printing: bool) -> str:
        when = article.published
        date_line = f"Cập nhật: {when:%H:%M - %d/%m/%Y}" if self.has_time(article) else f"Ngày đăng: {when:%d/%m/%Y}"
        source_note = "<p><em>Nguồn: Báo Tỉnh</em></p>" if article is self.republished else ""
        content = (
            f'<h1 id="ctl00_lblTitle" class="title">{escape(article.title)}</h1>'
            f'<div class="date">{date_line}</div><div class="sapo"><b>{escape(article.sapo)}</b></div>'
            f'<div id="ctl00_divContent" class="content">{paragraphs_html(article)}{source_note}</div>'
        )
        canonical = f'<link rel="canonical" href="{self.url(self.path_of(article))}">'
        if printing:
            return page(article.title, canonical, f'<div class="print">{content}</div><script>window.print()</script>')
        body = (
            f'<form id="aspnetForm" method="post"><input type="hidden" name="__VIEWSTATE" value="dDwtMTA4NjQ=">'
            f'<div id="ctl00_menu"><a href="/">Trang chủ</a> <a href="danhsach.aspx?catID=5">Tin tức</a></div>'
            f'<div class="article">{content}</div>'
            f'<div class="other"><h3>Tin khác</h3><ul>'
            + "".join(
                f'<li><a href="chitiet.aspx?tintucID={3000 + a.key}">{escape(a.title)}</a></li>'
                for a in self.articles[:4]
                if a is not article
            )
            + '</ul></div><div id="ctl00_footer">Cổng thông tin điện tử tỉnh.</div></form>'
        )
        return page(article.title, canonical, body)


# ---------------------------------------------------------------------------------------------------------------
class WebFormsPortal(Site):
    ip = "127.0.0.31"
    source_id = "farm-webforms"
    name = "Cổng thông tin Sở (farm, WebForms)"
    kind = "government"
    PER_PAGE = 4
    LISTING = "/TinTuc/DanhSach.aspx"

    def __init__(self, articles: list[FarmArticle], endless: bool = False) -> None:
        super().__init__(articles)
        self.by_id = {5000 + a.key: a for a in self.articles}
        self.postbacks: list[int] = []  # page numbers asked for by posting the form back
        self.endless = endless  # like some portals: past the end, the last page again, with a "Trang sau" link

    def path_of(self, article: FarmArticle) -> str:
        return f"/TinTuc/ChiTiet.aspx?ItemID={5000 + article.key}"

    def source_entry(self) -> dict:
        return {"id": self.source_id, "name": self.name, "kind": self.kind, "listings": [self.url(self.LISTING)]}

    def expected(self) -> list[Expected]:
        return [
            Expected(self.source_id, self.url(self.path_of(a)), a.title, a.body, a.published, True)
            for a in self.articles
        ]

    @property
    def pages(self) -> int:
        return (len(self.articles) + self.PER_PAGE - 1) // self.PER_PAGE

    def route(self, path: str, query: dict[str, str], headers) -> Reply:
        if path == "/robots.txt":
            return self.robots()
        if path == self.LISTING:
            if "__EVENTTARGET" not in query:
                return self.listing(1)
            current = int(query.get("ctl00$main$hdPage") or 0)
            if query.get("__VIEWSTATE") != f"/wEPDwUK-trang-{current}":  # what ASP.NET says to a forged post
                return Reply(500, "Validation of viewstate MAC failed.", "text/plain")
            argument = query.get("__EVENTARGUMENT", "")
            number = int(argument.split("$")[1]) if argument.startswith("Page$") else current + 1
            self.postbacks.append(number)
            return self.listing(number)
        if path == "/TinTuc/ChiTiet.aspx":
            article = self.by_id.get(int(query.get("ItemID", "0") or 0))
            if article:
                return Reply(200, self.article_page(article))
        return Reply(404, page("Không tìm thấy", "", "<h1>404</h1>"))

    def listing(self, number: int) -> Reply:
        shown = min(number, self.pages) if self.endless else number
        chunk = self.articles[(shown - 1) * self.PER_PAGE : shown * self.PER_PAGE]
        if not chunk:
            return Reply(500, "Index was out of range.", "text/plain")
        rows = "".join(
            f'<li><a href="ChiTiet.aspx?ItemID={5000 + a.key}">{escape(a.title)}</a> '
            f'<span class="date">({a.published:%d/%m/%Y})</span></li>'
            for a in chunk
        )
        pager = "".join(
            f"<span>{n}</span>"
            if n == number
            else f"<a href=\"javascript:__doPostBack('ctl00$main$gvTin','Page${n}')\">{n}</a>"
            for n in range(max(1, number - 2), min(self.pages, number + 2) + 1)
        )
        if number < self.pages or self.endless:
            pager += "<a href=\"javascript:__doPostBack('ctl00$main$lnkNext','')\">Trang sau &raquo;</a>"
        body = (
            f'<form name="aspnetForm" method="post" action="./DanhSach.aspx" id="aspnetForm">'
            f'<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="">'
            f'<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="">'
            f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUK-trang-{number}">'
            f'<input type="hidden" name="ctl00$main$hdPage" value="{number}">'
            f'<div id="ctl00_menu"><a href="/">Trang chủ</a></div><h1>Tin hoạt động</h1>'
            f'<ul class="list-news">{rows}</ul><div class="pager">{pager}</div>'
            f'<input type="submit" name="ctl00$search$btnTim" value="Tìm">'
            f'<div id="ctl00_footer">Sở Lao động (farm).</div></form>'
        )
        return Reply(200, page("Tin hoạt động", "", body))

    def article_page(self, article: FarmArticle) -> str:
        content = (
            f'<h1 class="title">{escape(article.title)}</h1>'
            f'<div class="date">Ngày đăng: {article.published:%H:%M - %d/%m/%Y}</div>'
            f'<div class="sapo"><b>{escape(article.sapo)}</b></div>'
            f'<div class="content">{paragraphs_html(article)}</div>'
        )
        return page(
            article.title,
            "",
            f'<form id="aspnetForm" method="post"><div class="article">{content}</div>'
            f'<div id="ctl00_footer">Sở Lao động (farm).</div></form>',
        )


# ---------------------------------------------------------------------------------------------------------------
class YouTubeFeed(Site):
    ip = "127.0.0.8"
    source_id = "farm-youtube"
    name = "Kênh YouTube trường (farm)"
    kind = "youtube"

    def source_entry(self) -> dict:
        return {
            "id": self.source_id,
            "name": self.name,
            "kind": self.kind,
            "feeds": [self.url("/feeds/videos.xml?channel_id=UCfarmchannel")],
        }

    def expected(self) -> list[Expected]:
        return [
            Expected(
                self.source_id,
                f"https://www.youtube.com/watch?v=farmvid{a.key}",
                a.title,
                a.sapo,
                a.published,
                True,
                "video",
            )
            for a in self.articles
        ]

    def route(self, path: str, query: dict[str, str], headers) -> Reply:
        if path == "/robots.txt":
            return self.robots()
        if path != "/feeds/videos.xml":
            return Reply(404, "not found", "text/plain")
        entries = "".join(
            f'<entry><id>yt:video:farmvid{a.key}</id><yt:videoId>farmvid{a.key}</yt:videoId>'
            f'<yt:channelId>UCfarmchannel</yt:channelId><title>{escape(a.title)}</title>'
            f'<link rel="alternate" href="https://www.youtube.com/watch?v=farmvid{a.key}"/>'
            f'<author><name>{escape(self.name)}</name></author><published>{a.published.isoformat()}</published>'
            f'<updated>{a.published.isoformat()}</updated><media:group><media:title>{escape(a.title)}</media:title>'
            f'<media:description>{escape(a.sapo)}</media:description></media:group></entry>'
            for a in self.articles
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" '
            'xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">'
            f'<title>{escape(self.name)}</title>{entries}</feed>'
        )
        return Reply(200, body, "application/atom+xml; charset=utf-8")


class GraphApi(Site):
    ip = "127.0.0.9"
    source_id = "farm-facebook"
    name = "Fanpage trường (farm)"
    kind = "facebook"
    PAGE_ID = "102030405060"
    TOKEN = "farm-page-token"
    PER_PAGE = 3

    def source_entry(self) -> dict:
        return {"id": self.source_id, "name": self.name, "kind": self.kind, "facebook_page_id": self.PAGE_ID}

    def post_id(self, article: FarmArticle) -> str:
        return f"{self.PAGE_ID}_{900 + article.key}"

    def message(self, article: FarmArticle) -> str:
        return f"{article.title}\n{article.sapo}"

    def expected(self) -> list[Expected]:
        return [
            Expected(
                self.source_id,
                f"https://www.facebook.com/{self.PAGE_ID}/posts/{900 + a.key}",
                a.title,
                self.message(a),
                a.published,
                True,
                "post",
            )
            for a in self.articles
        ]

    def route(self, path: str, query: dict[str, str], headers) -> Reply:
        if path != f"/v19.0/{self.PAGE_ID}/posts":
            return Reply(404, json.dumps({"error": {"message": "Unknown path", "code": 803}}), "application/json")
        if headers.get("Authorization") != f"Bearer {self.TOKEN}":
            return Reply(
                400,
                json.dumps(
                    {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}}
                ),
                "application/json",
            )
        offset = int(query.get("after", "0") or 0)
        chunk = self.articles[offset : offset + self.PER_PAGE]
        data = [
            {
                "id": self.post_id(a),
                "message": self.message(a),
                "created_time": a.published.astimezone(TZ).strftime("%Y-%m-%dT%H:%M:%S%z"),
                "permalink_url": f"https://www.facebook.com/{self.PAGE_ID}/posts/{900 + a.key}",
            }
            for a in chunk
        ]
        paging: dict[str, object] = {"cursors": {"before": str(offset), "after": str(offset + self.PER_PAGE)}}
        if offset + self.PER_PAGE < len(self.articles):
            paging["next"] = self.url(
                f"/v19.0/{self.PAGE_ID}/posts?"
                + urlencode(
                    {
                        "access_token": self.TOKEN,
                        "fields": "id,message,created_time,permalink_url",
                        "limit": self.PER_PAGE,
                        "after": offset + self.PER_PAGE,
                    }
                )
            )
        return Reply(200, json.dumps({"data": data, "paging": paging}, ensure_ascii=False), "application/json")
