"""Farm sites for what the real web does to a provincial crawler (issue 12), each on its own 127.0.0.x address.

- RefusingPaper: robots.txt lets only Googlebot in, but the paper publishes RSS (HTML descriptions in CDATA,
  tracking parameters on the links) — like baolangson.vn.
- SixMonthPaper: half a year of articles in two sections with ?page=N pagers, a pinned story on every page, a short
  feed; new articles can be published while the farm runs.
- SchoolNotices: a school site whose admission notices are a scanned image or an attached PDF under a one-line page,
  one-line briefs, a sidebar of documents, a soft 404 ("không tồn tại hoặc đã bị xóa") and a page without a date.
- BotWallSite: a site behind a Cloudflare-like challenge ("Just a moment…", HTTP 503) and a JavaScript-only shell.
- AggregatorFeed: a news-search RSS whose entries link to other outlets, naming each in <source>.
- SlowHost: a site whose robots.txt asks for a Crawl-delay, and which notes how many requests it serves at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime
from html import escape

from gdnn_monitor.demo.farm.article import FarmArticle, slugify
from gdnn_monitor.demo.farm.server import Reply
from gdnn_monitor.demo.farm.sites import (
    WEEKDAYS,
    Expected,
    Site,
    comments_block,
    furniture_bottom,
    furniture_top,
    page,
    paragraphs_html,
    sidebar,
)

GOOGLEBOT_ONLY = (
    "User-agent: Googlebot\nAllow: /\n\nUser-agent: Googlebot-News\nAllow: /\n\nUser-agent: *\nDisallow: /\n"
)
RSS_DATE = "%a, %d %b %Y %H:%M:%S +0700"


def rss(title: str, link: str, items: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f'<title>{escape(title)}</title><link>{link}</link><language>vi</language>{"".join(items)}'
        '</channel></rss>'
    )


class NewsCms(Site):
    """A provincial paper's CMS: /<section>/?page=N listings, /<slug>-<id>.html articles, an RSS of the newest."""

    SECTIONS = (("giao-duc", "Giáo dục"), ("xa-hoi", "Xã hội"))
    PER_PAGE = 10
    FEED_SIZE = 15
    ID_BASE = 20000

    def __init__(self, articles: list[FarmArticle]) -> None:
        super().__init__(articles)
        self.lock = threading.Lock()
        ordered = sorted(articles, key=lambda a: a.published, reverse=True)
        self.pinned_key = ordered[min(20, len(ordered) - 1)].key if ordered else -1

    def article_id(self, article: FarmArticle) -> int:
        return self.ID_BASE + article.key

    def path_of(self, article: FarmArticle) -> str:
        return f"/{self.section_of(article)}/{article.slug}-{self.article_id(article)}.html"

    def section_of(self, article: FarmArticle) -> str:
        return self.SECTIONS[article.key % len(self.SECTIONS)][0]

    def newest_first(self) -> list[FarmArticle]:
        with self.lock:
            return sorted(self.articles, key=lambda a: a.published, reverse=True)

    def publish(self, new: list[FarmArticle]) -> None:
        """New articles appear at the top of their sections and of the feed (the farm keeps serving meanwhile)."""
        with self.lock:
            self.articles = self.articles + list(new)

    def source_entry(self) -> dict:
        return {
            "id": self.source_id,
            "name": self.name,
            "kind": self.kind,
            "homepage": self.url("/"),
            "feeds": [self.url("/rss/tin-moi-nhat.rss")],
            "listings": [self.url(f"/{slug}/") for slug, _ in self.SECTIONS],
        }

    def expected(self) -> list[Expected]:
        return [
            Expected(self.source_id, self.url(self.path_of(a)), a.title, a.body, a.published, True)
            for a in self.newest_first()
        ]

    def by_path(self, path: str) -> FarmArticle | None:
        for article in self.newest_first():
            if self.path_of(article) == path:
                return article
        return None

    def route(self, path: str, query: dict[str, str], headers) -> Reply:
        if path == "/robots.txt":
            return self.robots()
        if path == "/rss/tin-moi-nhat.rss":
            return self.feed()
        for slug, label in self.SECTIONS:
            if path == f"/{slug}/":
                return self.section(slug, label, int(query.get("page", "1") or 1))
        article = self.by_path(path)
        if article is not None:
            return Reply(200, self.article_page(article))
        return Reply(404, page("Không tìm thấy", "", "<h1>404 - Không tìm thấy trang</h1>"))

    def feed_link(self, article: FarmArticle) -> str:
        return self.url(self.path_of(article)) + "?utm_source=rss&amp;utm_medium=referral"

    def feed(self) -> Reply:
        items = []
        for article in self.newest_first()[: self.FEED_SIZE]:
            description = (
                f'<![CDATA[<a href="{self.url(self.path_of(article))}"><img src="{self.url("/img/")}'
                f'{article.key}.jpg" width="180"></a>{escape(article.sapo)}]]>'
            )
            items.append(
                f"<item><title>{escape(article.title)}</title><link>{self.feed_link(article)}</link>"
                f"<guid isPermaLink=\"false\">{self.article_id(article)}</guid>"
                f"<description>{description}</description>"
                f"<pubDate>{article.published.strftime(RSS_DATE)}</pubDate></item>"
            )
        return Reply(200, rss(self.name, self.url("/"), items), "application/rss+xml; charset=utf-8")

    def pinned(self) -> FarmArticle:
        """The story the newsroom keeps on top of every listing page (a few weeks old)."""
        return next(a for a in self.articles if a.key == self.pinned_key)

    def section(self, slug: str, label: str, number: int) -> Reply:
        members = [a for a in self.newest_first() if self.section_of(a) == slug]
        pages = max(1, (len(members) + self.PER_PAGE - 1) // self.PER_PAGE)
        chunk = members[(number - 1) * self.PER_PAGE : number * self.PER_PAGE]
        if not chunk:
            return Reply(404, page("Không tìm thấy", "", "<h1>404</h1>"))
        pinned = self.pinned()
        teasers = (
            f'<div class="box-focus"><h2><a href="{self.path_of(pinned)}">{escape(pinned.title)}</a></h2></div>'
            + "".join(
                f'<div class="story"><h3 class="story__title"><a href="{self.path_of(a)}">'
                f'{escape(a.title)}</a></h3><span class="time">{a.published:%d/%m/%Y}</span>'
                f'<p class="story__summary">{escape(a.sapo[:140])}</p></div>'
                for a in chunk
            )
        )
        shown = range(max(1, number - 2), min(pages, number + 2) + 1)
        pager = "".join(f'<a href="/{slug}/?page={n}">{n}</a> ' if n != number else f"<span>{n}</span> " for n in shown)
        if number < pages:
            pager += f'<a class="next" href="/{slug}/?page={number + 1}">Trang sau</a>'
        body = (
            furniture_top(self.name, [(f"/{slug}/", label) for slug, label in self.SECTIONS])
            + f'<main><h1 class="cate-title">{escape(label)}</h1><div class="list-news">{teasers}</div>'
            f'<div class="pagination">{pager}</div></main>' + furniture_bottom(self.name)
        )
        return Reply(200, page(f"{label} - {self.name}", "", body))

    def article_page(self, article: FarmArticle) -> str:
        when = article.published
        related = [(self.path_of(a), a.title) for a in self.newest_first()[:5] if a.key != article.key][:4]
        head = (
            f'<link rel="canonical" href="{self.url(self.path_of(article))}">'
            f'<meta property="og:title" content="{escape(article.title)}">'
            f'<meta property="article:published_time" content="{when.isoformat()}">'
        )
        body = (
            furniture_top(self.name, [(f"/{slug}/", label) for slug, label in self.SECTIONS])
            + f'<article class="detail"><h1 class="detail-title">{escape(article.title)}</h1>'
            f'<div class="detail-time">{WEEKDAYS[when.weekday()]}, {when:%d/%m/%Y %H:%M}</div>'
            f'<div class="detail-sapo sapo">{escape(article.sapo)}</div>'
            f'<div class="detail-content">{paragraphs_html(article)}'
            f'<p class="author"><strong>{escape(article.author)}</strong></p></div></article>'
            + sidebar("Tin liên quan", related)
            + comments_block()
            + furniture_bottom(self.name)
        )
        return page(article.title, head, body)


class RefusingPaper(NewsCms):
    """robots.txt lets only Googlebot in; the RSS is public. Its article pages must never be requested by us."""

    ip = "127.0.0.41"
    source_id = "farm-bao-tu-choi"
    name = "Báo Biên Cương (farm, chỉ cho Googlebot)"
    ID_BASE = 41000

    def __init__(self, articles: list[FarmArticle]) -> None:
        super().__init__(articles)
        self.robots_txt = GOOGLEBOT_ONLY

    def feed_entries(self) -> list[FarmArticle]:
        return self.newest_first()[: self.FEED_SIZE]


class SixMonthPaper(NewsCms):
    """Half a year of articles behind ?page=N pagers: what a new province's first crawl must reach back to."""

    ip = "127.0.0.42"
    source_id = "farm-bao-sau-thang"
    name = "Báo Sáu Tháng (farm)"
    ID_BASE = 42000
    FEED_SIZE = 10

    def __init__(self, articles: list[FarmArticle]) -> None:
        super().__init__(articles)
        self.robots_txt = "User-agent: *\nDisallow: /tim-kiem\n"

    def listing_hits(self, slug: str, paths: list[str] | None = None) -> list[int]:
        """Page numbers of one section's listing as requested (from the request log, or the given paths)."""
        numbers = []
        for path in paths if paths is not None else [hit.path for hit in self.hits]:
            if path == f"/{slug}/":
                numbers.append(1)
            elif path.startswith(f"/{slug}/?page="):
                numbers.append(int(path.rsplit("=", 1)[1]))
        return numbers


# ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Notice:
    """A page of the school site: what it carries and whether it is an item."""

    key: int
    title: str
    published: datetime | None
    kind: str  # 'image', 'pdf', 'brief', 'article', 'soft404', 'undated'
    text: str = ""
    document: str | None = None  # file name under /uploads/

    @property
    def path(self) -> str:
        return f"/tin-tuc/thong-bao/{self.key}-{slugify(self.title)}.html"

    @property
    def expected_genre(self) -> str | None:
        return {"image": "notice", "pdf": "notice", "brief": "brief", "article": "article"}.get(self.kind)


class SchoolNotices(Site):
    """A vocational college's site (a Joomla-like CMS): notices as scans and PDFs, one-line briefs, furniture full
    of documents, and two pages that are not items."""

    ip = "127.0.0.43"
    source_id = "farm-truong-thong-bao"
    name = "Trường Cao đẳng nghề (farm, thông báo)"
    kind = "school"

    def __init__(self, notices: list[Notice], documents: dict[str, bytes]) -> None:
        super().__init__([])
        self.notices = notices
        self.documents = documents
        self.robots_txt = "User-agent: *\nDisallow: /administrator/\n"

    def source_entry(self) -> dict:
        return {
            "id": self.source_id,
            "name": self.name,
            "kind": self.kind,
            "homepage": self.url("/"),
            "listings": [self.url("/tin-tuc/thong-bao.html")],
        }

    def expected(self) -> list[Expected]:
        return [
            Expected(self.source_id, self.url(n.path), n.title, n.text, n.published, True, n.expected_genre)
            for n in self.notices
            if n.expected_genre and n.published is not None
        ]

    def route(self, path: str, query: dict[str, str], headers) -> Reply:
        if path == "/robots.txt":
            return self.robots()
        if path == "/tin-tuc/thong-bao.html":
            return self.listing()
        if path.startswith("/uploads/") and path.removeprefix("/uploads/") in self.documents:
            name = path.removeprefix("/uploads/")
            kind = "application/pdf" if name.endswith(".pdf") else "application/octet-stream"
            return Reply(200, self.documents[name], kind, {"Content-Disposition": f'inline; filename="{name}"'})
        if path.startswith("/images/"):
            return Reply(200, b"\xff\xd8\xff\xe0fake-jpeg", "image/jpeg")
        for notice in self.notices:
            if notice.path == path:
                return Reply(200, self.notice_page(notice))
        return Reply(404, page("404", "", "<h1>404 - Trang không tồn tại</h1>"))

    def listing(self) -> Reply:
        rows = "".join(f'<li class="item"><a href="{n.path}">{escape(n.title)}</a></li>' for n in self.notices)
        body = (
            self.menu() + f'<div id="content"><h2 class="page-header">Thông báo</h2><ul class="category">{rows}'
            f'</ul></div>' + self.side()
        )
        return Reply(200, page("Thông báo", "", body))

    def menu(self) -> str:
        return (
            '<div id="header"><a href="/"><img src="/images/logo.png" alt="logo" width="60"></a>'
            '<ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc/thong-bao.html">Thông báo'
            '</a></li><li><a href="/tuyen-sinh.html">Tuyển sinh</a></li></ul></div>'
        )

    def side(self) -> str:
        return (
            '<div id="sidebar" class="sidebar"><h3>Văn bản mới</h3><ul class="van-ban">'
            '<li><a href="/uploads/quy-che-dao-tao.pdf">Quy chế đào tạo</a></li>'
            '<li><a href="/uploads/lich-hoc-ky-1.pdf">Lịch học kỳ I</a></li>'
            '<li><a href="/uploads/bieu-mau.docx">Biểu mẫu</a></li></ul>'
            '<div class="banner"><img src="/images/banner-tuyen-sinh.jpg" width="250"></div></div>'
            '<div id="footer">Trường Cao đẳng nghề — Địa chỉ: Km 3, Quốc lộ 1A. ĐT: 0205 3870 123</div>'
        )

    def notice_page(self, notice: Notice) -> str:
        when = (
            (
                f'<dd class="published"><time datetime="{notice.published.isoformat()}">Ngày đăng: '
                f'{notice.published:%d/%m/%Y}</time></dd>'
            )
            if notice.published
            else ""
        )
        if notice.kind == "image":
            content = (
                f'<p>{escape(notice.text)}</p>' if notice.text else ""
            ) + f'<p><img src="/images/thong-bao/{notice.key}-scan.jpg" width="794" height="1123" alt=""></p>'
        elif notice.kind == "pdf":
            content = (
                f'<p>{escape(notice.text)}</p><p><a href="/uploads/{notice.document}">'
                f'<img src="/images/icon-pdf.png" width="16"> Tải về: {escape(notice.document or "")}</a></p>'
            )
        elif notice.kind == "soft404":
            content = "<p>Bài viết không tồn tại hoặc đã bị xóa.</p>"
        else:
            content = "".join(f"<p>{escape(line)}</p>" for line in notice.text.split("\n"))
        body = (
            self.menu() + f'<div id="content"><div class="item-page"><h2 itemprop="headline">'
            f'{escape(notice.title)}</h2><dl class="article-info">{when}</dl>'
            f'<div itemprop="articleBody">{content}</div></div></div>' + self.side()
        )
        return page(notice.title, "", body)


# ---------------------------------------------------------------------------------------------------------------
CHALLENGE = (
    '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><meta http-equiv="refresh" '
    'content="390"><meta name="robots" content="noindex,nofollow"></head><body class="no-js">'
    '<div class="main-wrapper" role="main"><div class="main-content"><h1 class="zone-name-title h1">'
    'baobiengioi.example.vn</h1><h2 class="h2" id="challenge-running">Checking if the site connection is '
    'secure</h2><noscript><div id="challenge-error-title">Enable JavaScript and cookies to continue</div>'
    '</noscript></div></div><script>(function(){window._cf_chl_opt={cvId: "3",cZone: "example",cType: '
    '"managed"};var cpo = document.createElement("script");cpo.src = "/cdn-cgi/challenge-platform/h/b/'
    'orchestrate/chl_page/v1?ray=8a1b2c3d4e5f";document.getElementsByTagName("head")[0].appendChild(cpo);'
    '}());</script></body></html>'
)
SCRIPT_SHELL = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title></title></head><body><div id="root"></div>'
    '<script>' + "var a=" + "'x'" * 80 + ';document.cookie="_guard=1";location.reload();</script>'
    '</body></html>'
)


class BotWallSite(Site):
    """Every page answers a challenge: the listing with Cloudflare's HTTP 503 page, the feed with a script-only
    shell (HTTP 200)."""

    ip = "127.0.0.44"
    source_id = "farm-bao-tuong-lua"
    name = "Báo Tường Lửa (farm)"

    def source_entry(self) -> dict:
        return {
            "id": self.source_id,
            "name": self.name,
            "kind": self.kind,
            "homepage": self.url("/"),
            "feeds": [self.url("/rss/home.rss")],
            "listings": [self.url("/giao-duc/")],
        }

    def expected(self) -> list[Expected]:
        return []

    def route(self, path: str, query: dict[str, str], headers) -> Reply:
        if path == "/robots.txt":
            return self.robots()
        if path.startswith("/rss/"):
            return Reply(200, SCRIPT_SHELL)
        return Reply(
            503,
            CHALLENGE,
            headers={"cf-mitigated": "challenge", "Server": "cloudflare", "Cache-Control": "private, no-store"},
        )


# ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AggregatedLink:
    title: str
    url: str
    publisher: str
    publisher_url: str
    published: datetime
    summary: str


class AggregatorFeed(Site):
    """A news-search RSS (like Google News or Báo Mới): entries link straight to the outlets that published them."""

    ip = "127.0.0.45"
    source_id = "farm-tin-tong-hop"
    name = "Tin tổng hợp GDNN (farm)"

    def __init__(self, links: list[AggregatedLink]) -> None:
        super().__init__([])
        self.links = links

    def source_entry(self) -> dict:
        return {
            "id": self.source_id,
            "name": self.name,
            "kind": "portal",
            "feeds": [self.url("/rss/search?q=gi%C3%A1o+d%E1%BB%A5c+ngh%E1%BB%81+nghi%E1%BB%87p")],
        }

    def expected(self) -> list[Expected]:
        return []

    def route(self, path: str, query: dict[str, str], headers) -> Reply:
        if path == "/robots.txt":
            return self.robots()
        if path != "/rss/search":
            return Reply(404, "not found", "text/plain")
        items = [
            f"<item><title>{escape(link.title)} - {escape(link.publisher)}</title><link>{escape(link.url)}</link>"
            f"<guid isPermaLink=\"false\">agg-{index}</guid><pubDate>{link.published.strftime(RSS_DATE)}</pubDate>"
            f"<description>{escape(link.summary)}</description>"
            f"<source url=\"{escape(link.publisher_url)}\">{escape(link.publisher)}</source></item>"
            for index, link in enumerate(self.links)
        ]
        return Reply(
            200, rss("giáo dục nghề nghiệp - Tin tổng hợp", self.url("/"), items), "application/rss+xml; charset=utf-8"
        )


class OutsideOutlet(Site):
    """An outlet nobody configured as a source, which allows crawlers: an aggregator's entry is fetched from it."""

    ip = "127.0.0.46"
    source_id = "farm-bao-ngoai"
    name = "Báo Ngoài Tỉnh"

    def path_of(self, article: FarmArticle) -> str:
        return f"/giao-duc/{article.slug}-{46000 + article.key}.html"

    def source_entry(self) -> dict:
        return {"id": self.source_id, "name": self.name, "kind": self.kind, "listings": [self.url("/giao-duc/")]}

    def expected(self) -> list[Expected]:
        return [
            Expected(self.source_id, self.url(self.path_of(a)), a.title, a.body, a.published, True)
            for a in self.articles
        ]

    def route(self, path: str, query: dict[str, str], headers) -> Reply:
        if path == "/robots.txt":
            return self.robots()
        for article in self.articles:
            if self.path_of(article) == path:
                body = (
                    f'<article><h1>{escape(article.title)}</h1><div class="time">'
                    f'{article.published:%d/%m/%Y %H:%M}</div><p class="sapo">{escape(article.sapo)}</p>'
                    f'<div class="content">{paragraphs_html(article)}</div></article>'
                )
                return Reply(200, page(article.title, "", body))
        return Reply(404, page("404", "", "<h1>404</h1>"))


# ---------------------------------------------------------------------------------------------------------------
class SlowHost(NewsCms):
    """robots.txt asks for a Crawl-delay; each page takes a moment to serve, and the site notes the most requests it
    ever served at once."""

    ip = "127.0.0.47"
    source_id = "farm-crawl-delay-nho"
    name = "Báo Chậm (farm, Crawl-delay)"
    ID_BASE = 47000
    PER_PAGE = 4
    FEED_SIZE = 4
    SERVE_SECONDS = 0.05

    def __init__(self, articles: list[FarmArticle], crawl_delay: float) -> None:
        super().__init__(articles)
        self.crawl_delay = crawl_delay
        self.robots_txt = f"User-agent: *\nCrawl-delay: {crawl_delay}\nDisallow: /tim-kiem\n"
        self.in_flight = 0
        self.most_at_once = 0
        self.counter = threading.Lock()

    def route(self, path: str, query: dict[str, str], headers) -> Reply:
        with self.counter:
            self.in_flight += 1
            self.most_at_once = max(self.most_at_once, self.in_flight)
        try:
            time.sleep(self.SERVE_SECONDS)
            return super().route(path, query, headers)
        finally:
            with self.counter:
                self.in_flight -= 1
