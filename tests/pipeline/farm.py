"""A generated CMS-like news site on 127.0.0.x for scheduler, resume and scale-out tests (and bench/): numbered
listing pages, article pages, an RSS feed, a sitemap and robots.txt; optional slowness; a log of every request."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

HCM = timezone(timedelta(hours=7))
PER_PAGE = 20
SENTENCES = [
    "Trường Cao đẳng nghề của tỉnh tổ chức lễ khai giảng khóa đào tạo mới cho {n} học viên.",
    "Sở Lao động - Thương binh và Xã hội cho biết năm nay tỉnh tuyển sinh vượt chỉ tiêu đề ra.",
    "Các doanh nghiệp trên địa bàn cam kết tiếp nhận học viên sau khi tốt nghiệp, với mức lương ổn định.",
    "Nhiều lao động nông thôn đã có việc làm nhờ tham gia các lớp đào tạo nghề ngắn hạn miễn phí.",
    "Lãnh đạo địa phương đề nghị nhà trường tiếp tục đổi mới phương pháp giảng dạy, gắn lý thuyết với thực hành.",
    "Chương trình đào tạo được xây dựng theo nhu cầu thực tế của thị trường lao động trong và ngoài tỉnh.",
    "Trong buổi làm việc, hai bên đã thống nhất kế hoạch phối hợp đào tạo và giới thiệu việc làm cho thanh niên.",
]


def article_title(number: int) -> str:
    return f"Tin số {number}: Đào tạo nghề gắn với giải quyết việc làm cho lao động địa phương"


def article_slug(number: int) -> str:
    return f"dao-tao-nghe-gan-voi-giai-quyet-viec-lam-cho-lao-dong-dia-phuong-{number}"


def article_path(number: int) -> str:
    return f"/tin-tuc/{article_slug(number)}.html"


def article_time(number: int) -> datetime:
    return datetime(2026, 11, 20, 7, 0, tzinfo=HCM) - timedelta(minutes=17 * number)


def article_body(number: int) -> list[str]:
    """Five paragraphs, different for every article (the number and the sentence order change)."""
    paragraphs = []
    for p in range(5):
        sentences = [SENTENCES[(number + p + k) % len(SENTENCES)].format(n=number * 3 + p) for k in range(3)]
        paragraphs.append(f"Đoạn {p + 1} của bài {number}. " + " ".join(sentences))
    return paragraphs


@dataclass
class Farm:
    """One site: `articles` article pages behind numbered listing pages; article pages may be slow."""

    host: str = "127.0.0.21"
    articles: int = 100
    article_delay: float = 0.0
    requests: Counter = field(default_factory=Counter)
    disallow: tuple[str, ...] = ("/tim-kiem",)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        farm = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                with farm._lock:
                    farm.requests[self.path] += 1
                status, ctype, body = farm.respond(self.path)
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the crawler was killed mid-download
                    pass

        self.server = ThreadingHTTPServer((self.host, 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.server.server_address[1]}"

    @property
    def pages(self) -> int:
        return (self.articles + PER_PAGE - 1) // PER_PAGE

    def article_urls(self) -> set[str]:
        return {self.base + article_path(n) for n in range(1, self.articles + 1)}

    def article_requests(self) -> Counter:
        return Counter({path: count for path, count in self.requests.items() if path.startswith("/tin-tuc/")})

    def start(self) -> Farm:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Farm:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def source_yaml(
        self,
        source_id: str = "bao-nong-trai",
        with_feed: bool = False,
        with_sitemap: bool = False,
        listing_depth: int | None = None,
    ) -> str:
        lines = [
            f"  - id: {source_id}",
            "    name: Báo Nông Trại",
            "    kind: newspaper",
            f"    homepage: {self.base}/",
            f"    listings: [{self.base}/tin-tuc]",
            f"    max_pages: {self.articles + self.pages + 10}",
        ]
        if with_feed:
            lines.append(f"    feeds: [{self.base}/rss.xml]")
        if with_sitemap:
            lines.append(f"    sitemaps: [{self.base}/sitemap.xml]")
        if listing_depth is not None:
            lines.append(f"    listing_depth: {listing_depth}")
        return "\n".join(lines) + "\n"

    # --- pages ------------------------------------------------------------------------------------------------------

    def respond(self, raw_path: str) -> tuple[int, str, str]:
        parts = urlsplit(raw_path)
        path = parts.path
        if path == "/robots.txt":
            rules = "\n".join(f"Disallow: {p}" for p in self.disallow)
            return 200, "text/plain", f"User-agent: *\n{rules}\nSitemap: {self.base}/sitemap.xml\n"
        if path in ("/", "/tin-tuc"):
            page = int((parse_qs(parts.query).get("page") or ["1"])[0])
            return self._listing(page)
        if path == "/gioi-thieu":
            return (
                200,
                "text/html; charset=utf-8",
                self._layout("Giới thiệu", "<p>Báo Nông Trại là báo thử nghiệm.</p>"),
            )
        if path == "/rss.xml":
            return 200, "application/rss+xml; charset=utf-8", self._rss()
        if path == "/sitemap.xml":
            return 200, "application/xml; charset=utf-8", self._sitemap()
        if path.startswith("/tin-tuc/") and path.endswith(".html"):
            number = path.rsplit("-", 1)[-1].removesuffix(".html")
            if number.isdigit() and 1 <= int(number) <= self.articles and path == article_path(int(number)):
                if self.article_delay:
                    time.sleep(self.article_delay)
                return 200, "text/html; charset=utf-8", self._article(int(number))
        return 404, "text/html; charset=utf-8", "<html><body><h1>Không tìm thấy trang</h1></body></html>"

    def _layout(self, title: str, main: str) -> str:
        menu = "".join(
            f'<li><a href="/{slug}">{name}</a></li>'
            for slug, name in (("tin-tuc", "Tin tức"), ("giao-duc", "Giáo dục"), ("tim-kiem?q=nghe", "Tìm kiếm"))
        )
        return (
            f"<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title></head>"
            f"<body><header><nav><ul>{menu}</ul></nav></header><main>{main}</main>"
            "<footer><p>Báo Nông Trại — Cơ quan thử nghiệm. Địa chỉ: 1 Đường Thử, Lạng Sơn.</p></footer>"
            "</body></html>"
        )

    def _listing(self, page: int) -> tuple[int, str, str]:
        if page < 1 or page > self.pages:
            return 404, "text/html; charset=utf-8", "<html><body>Hết trang</body></html>"
        first = (page - 1) * PER_PAGE + 1
        numbers = range(first, min(first + PER_PAGE, self.articles + 1))
        items = "".join(
            f'<article class="story"><h3><a href="{article_path(n)}">{escape(article_title(n))}</a></h3>'
            f"<p>{escape(article_body(n)[0][:120])}</p></article>"
            for n in numbers
        )
        pager = f'<a class="next" href="/tin-tuc?page={page + 1}">Trang sau</a>' if page < self.pages else ""
        return (
            200,
            "text/html; charset=utf-8",
            self._layout(f"Tin tức - trang {page}", f'<section class="list">{items}</section>{pager}'),
        )

    def _article(self, number: int) -> str:
        when = article_time(number)
        body = "".join(f"<p>{escape(p)}</p>" for p in article_body(number))
        main = (
            f'<article><h1 class="title">{escape(article_title(number))}</h1>'
            f'<div class="meta">Thứ Sáu, <time datetime="{when.isoformat()}">{when:%d/%m/%Y %H:%M}</time></div>'
            f'<div class="content">{body}</div></article>'
        )
        return self._layout(article_title(number), main)

    def _rss(self) -> str:
        items = "".join(
            f"<item><title>{escape(article_title(n))}</title><link>{self.base}{article_path(n)}</link>"
            f"<pubDate>{article_time(n).strftime('%a, %d %b %Y %H:%M:%S +0700')}</pubDate></item>"
            for n in range(1, min(self.articles, 20) + 1)
        )
        return (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Báo Nông Trại</title>'
            f"<link>{self.base}/</link>{items}</channel></rss>"
        )

    def _sitemap(self) -> str:
        urls = "".join(
            f"<url><loc>{self.base}{article_path(n)}</loc><lastmod>{article_time(n).isoformat()}</lastmod></url>"
            for n in range(1, self.articles + 1)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        )
