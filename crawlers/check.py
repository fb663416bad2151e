"""`gdnn-monitor sources check`: fetch each start URL of a source once and say what works (robots.txt allows it, the
feed parses and has entries, the listing has article links, the sitemap parses), so an admin can validate a new
source before enabling it. It reuses the crawler's own parsers and link heuristic, so a green check means the
crawler will find the same things."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import click
from protego import Protego

from gdnn_monitor.core.settings import Settings, get_settings
from store.registry import SourceConfig, load_sources

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"
ROBOTS_AGENT = "gdnn-monitor"
MAX_PARALLEL_SOURCES = 8


@dataclass
class Check:
    """One line of the report: what was checked, on which URL, the outcome and a human explanation."""

    source_id: str
    what: str
    url: str
    outcome: str
    detail: str


@dataclass
class Fetched:
    status: int | None
    body: bytes = b""
    content_type: str | None = None
    error: str | None = None


@dataclass
class SourceCheck:
    source: SourceConfig
    checks: list[Check] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """Usable when nothing failed and at least one way in yields something."""
        return not any(c.outcome == FAIL for c in self.checks) and any(
            c.outcome in (OK, WARN) and c.what != "robots.txt" for c in self.checks
        )


def fetch(url: str, settings: Settings, headers: dict[str, str] | None = None) -> Fetched:
    """GET one URL as the crawler identifies itself, bounded in size and time; errors become a Fetched, not a raise."""
    from crawlers.engine.settings import user_agent

    request = urllib.request.Request(url, headers={"User-Agent": user_agent(settings), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=settings.page_timeout) as response:
            body = response.read(settings.max_page_bytes + 1)
            if len(body) > settings.max_page_bytes:
                return Fetched(response.status, error=f"larger than {settings.max_page_bytes} bytes")
            return Fetched(response.status, body, response.headers.get("Content-Type"))
    except urllib.error.HTTPError as exc:
        return Fetched(exc.code, error=f"HTTP {exc.code} {exc.reason}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Fetched(None, error=f"{type(reason).__name__}: {reason}")


def start_urls(source: SourceConfig) -> list[tuple[str, str]]:
    """(kind, URL) of every way into the source; the homepage stands in as a listing when no listing is given."""
    urls = [("feed", url) for url in source.feeds]
    if source.youtube_feed and source.youtube_feed not in source.feeds:
        urls.append(("feed", source.youtube_feed))
    urls += [("sitemap", url) for url in source.sitemaps]
    urls += [("listing", url) for url in source.listings]
    if source.homepage and not source.listings and source.kind not in ("youtube", "facebook"):
        urls.append(("listing", source.homepage))
    return urls


def robots_for(
    url: str,
    settings: Settings,
    cache: dict[str, tuple[Protego | None, Check]],
    source_id: str,
    configured_sitemaps: Sequence[str] = (),
) -> tuple[Protego | None, Check]:
    """The robots.txt of the URL's site, fetched once per site and read by Protego, the parser Scrapy obeys; a
    missing robots.txt allows everything. Sitemaps it declares that the source does not list yet are named, so an
    admin adding a source learns the site's own index of articles."""
    parts = urlsplit(url)
    robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
    if robots_url in cache:
        return cache[robots_url]
    fetched = fetch(robots_url, settings)
    parser: Protego | None
    if fetched.status == 200:
        parser = Protego.parse(fetched.body.decode("utf-8", "replace"))
        delay = parser.crawl_delay(ROBOTS_AGENT)
        check = Check(
            source_id,
            "robots.txt",
            robots_url,
            OK,
            "đọc được" + (f"; Crawl-delay {delay} s" if delay else "") + _unused_sitemaps(parser, configured_sitemaps),
        )
    elif fetched.status is not None and 400 <= fetched.status < 500:
        parser = Protego.parse("")
        check = Check(source_id, "robots.txt", robots_url, OK, f"không có (HTTP {fetched.status}): cho phép tất cả")
    else:
        parser = None
        check = Check(
            source_id, "robots.txt", robots_url, WARN, f"không đọc được ({fetched.error}); trình thu thập sẽ thử lại"
        )
    cache[robots_url] = (parser, check)
    return parser, check


def _unused_sitemaps(parser: Protego, configured: Sequence[str]) -> str:
    unused = [url for url in dict.fromkeys(parser.sitemaps) if url not in configured]
    if not unused:
        return ""
    more = f" và {len(unused) - 1} sitemap khác" if len(unused) > 1 else ""
    return f"; khai báo sitemap {unused[0]}{more} — nguồn chưa dùng, có thể thêm vào sitemaps:"


def check_feed(source: SourceConfig, url: str, fetched: Fetched) -> Check:
    from crawlers.discovery.feeds import parse_feed

    feed = parse_feed(fetched.body, url, fetched.content_type)
    if not feed.entries:
        detail = "không có mục nào" + (f" (lỗi định dạng: {feed.malformed})" if feed.malformed else "")
        return Check(source.id, "feed", url, FAIL, detail)
    dated = [entry.published for entry in feed.entries if entry.published]
    newest = f"; mới nhất {max(dated):%d/%m/%Y}" if dated else "; không có ngày đăng"
    if feed.malformed:
        return Check(
            source.id,
            "feed",
            url,
            WARN,
            f"{len(feed.entries)} mục, dù feed lỗi định dạng ({feed.malformed[:80]}){newest}",
        )
    return Check(source.id, "feed", url, OK, f"{len(feed.entries)} mục{newest}")


def check_sitemap(source: SourceConfig, url: str, fetched: Fetched, settings: Settings) -> Check:
    from crawlers.discovery.sitemaps import parse_sitemap, sitemap_body

    try:
        sitemap = parse_sitemap(sitemap_body(fetched.body, settings.max_page_bytes), settings.tz)
    except Exception as exc:  # a corrupt gzip stream or similar: report it, check the other URLs
        return Check(source.id, "sitemap", url, FAIL, f"không đọc được: {type(exc).__name__}: {exc}")
    if not sitemap.entries:
        return Check(source.id, "sitemap", url, FAIL, "không phải sitemap hoặc sitemap rỗng")
    if sitemap.is_index:
        return Check(source.id, "sitemap", url, OK, f"chỉ mục của {len(sitemap.entries)} sitemap")
    return Check(source.id, "sitemap", url, OK, f"{len(sitemap.entries)} địa chỉ")


def check_listing(source: SourceConfig, url: str, fetched: Fetched) -> Check:
    from crawlers.discovery.links import article_links, pagination_links, postback_next_page
    from crawlers.engine.settings import source_hosts

    hosts = source_hosts(source) | {urlsplit(url).hostname or ""}
    articles = article_links(fetched.body, url, source, hosts)
    pages = pagination_links(fetched.body, url, hosts)
    how = "article_pattern" if source.article_pattern else "nhận dạng tự động"
    if not articles:
        return Check(
            source.id, "listing", url, FAIL, f"không thấy liên kết bài viết nào ({how}); kiểm tra article_pattern"
        )
    if pages:
        pager = f", có phân trang ({len(pages)} liên kết)"
    elif postback_next_page(fetched.body, 1) is not None:
        pager = ", có phân trang kiểu ASP.NET (gửi lại biểu mẫu)"
    else:
        pager = ", không thấy phân trang"
    return Check(source.id, "listing", url, OK, f"{len(articles)} liên kết bài viết ({how}){pager}")


def check_facebook(source: SourceConfig, settings: Settings) -> Check:
    from crawlers.discovery.social import graph_posts_url

    url = graph_posts_url(settings.facebook_graph_url, source.facebook_page_id or "")
    if not settings.facebook_token:
        return Check(source.id, "facebook", url, SKIP, "bỏ qua: chưa đặt GDNN_FACEBOOK_TOKEN")
    fetched = fetch(url, settings, {"Authorization": f"Bearer {settings.facebook_token}"})
    if fetched.error:
        return Check(source.id, "facebook", url, FAIL, fetched.error)
    from crawlers.discovery.social import parse_graph_posts

    try:
        posts, _next = parse_graph_posts(fetched.body, source.facebook_page_id or "")
    except Exception as exc:  # the Graph API answered with an error object
        return Check(source.id, "facebook", url, FAIL, str(exc))
    return Check(source.id, "facebook", url, OK if posts else FAIL, f"{len(posts)} bài đăng")


def check_extractor(source: SourceConfig) -> Check:
    """The source's `extractor:` names a site extractor that exists."""
    from crawlers.extract.sites import UnknownExtractor, get_extractor

    try:
        extractor = get_extractor(source.extractor or "")
    except UnknownExtractor as exc:
        return Check(source.id, "bộ trích xuất", source.extractor or "", FAIL, str(exc))
    return Check(source.id, "bộ trích xuất", extractor.name, OK, extractor.family)


def check_source(source: SourceConfig, settings: Settings | None = None) -> SourceCheck:
    """Every check of one source; never raises, so one broken source never hides the others' results."""
    settings = settings or get_settings()
    result = SourceCheck(source)
    robots_cache: dict[str, tuple[Protego | None, Check]] = {}
    if source.kind == "facebook":
        result.checks.append(check_facebook(source, settings))
        return result
    if source.extractor:
        result.checks.append(check_extractor(source))
    urls = start_urls(source)
    if not urls:
        result.checks.append(Check(source.id, "cấu hình", "—", FAIL, "không có feed, sitemap, listing hay homepage"))
    for kind, url in urls:
        parser, robots_check = robots_for(url, settings, robots_cache, source.id, source.sitemaps)
        if robots_check not in result.checks:
            result.checks.append(robots_check)
        if parser is not None and not parser.can_fetch(url, ROBOTS_AGENT):
            result.checks.append(Check(source.id, kind, url, FAIL, "robots.txt không cho phép thu thập địa chỉ này"))
            continue
        result.checks.append(_check_url(source, kind, url, settings))
    return result


def _check_url(source: SourceConfig, kind: str, url: str, settings: Settings) -> Check:
    fetched = fetch(url, settings)
    if fetched.error:
        return Check(source.id, kind, url, FAIL, f"không tải được: {fetched.error}")
    try:
        if kind == "feed":
            return check_feed(source, url, fetched)
        if kind == "sitemap":
            return check_sitemap(source, url, fetched, settings)
        return check_listing(source, url, fetched)
    except Exception as exc:  # a parser bug on odd input must not hide the other checks
        return Check(source.id, kind, url, FAIL, f"lỗi khi phân tích: {type(exc).__name__}: {exc}")


def check_sources(sources: list[SourceConfig], settings: Settings | None = None) -> list[SourceCheck]:
    """Check several sources in parallel (each site is still fetched one URL at a time), in the given order."""
    settings = settings or get_settings()
    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_SOURCES, max(len(sources), 1))) as pool:
        return list(pool.map(lambda source: check_source(source, settings), sources))


OUTCOME_LABELS = {
    OK: ("✓ được", "green"),
    WARN: ("! lưu ý", "yellow"),
    FAIL: ("✗ lỗi", "red"),
    SKIP: ("– bỏ qua", "dim"),
}


def print_report(results: list[SourceCheck]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Kiểm tra nguồn (sources check)")
    for column in ("Nguồn", "Kiểm tra", "Địa chỉ", "Kết quả", "Chi tiết"):
        table.add_column(column, overflow="fold")
    for result in results:
        for check in result.checks:
            label, style = OUTCOME_LABELS[check.outcome]
            table.add_row(check.source_id, check.what, check.url, f"[{style}]{label}[/]", check.detail)
    console = Console(width=None if Console().is_terminal else 200)
    console.print(table)
    usable = [r.source.id for r in results if r.usable]
    broken = [r.source.id for r in results if not r.usable]
    console.print(
        f"{len(usable)}/{len(results)} nguồn dùng được." + (f" Cần xem lại: {', '.join(broken)}." if broken else "")
    )


@click.command("check")
@click.argument("source_ids", nargs=-1)
def check_command(source_ids: tuple[str, ...]) -> None:
    """Tải thử mỗi nguồn một lần và cho biết phần nào dùng được (robots.txt, feed, listing, sitemap).

    Fetches each start URL of the named sources (default: every enabled source) once and reports what works, so a
    new source can be validated before it is enabled. Exit code 1 when a source is not usable.
    """
    from gdnn_monitor.core.errors import EXIT_FAILURE

    registry = load_sources()
    results = check_sources(registry.select(list(source_ids)))
    print_report(results)
    if not all(result.usable for result in results):
        raise SystemExit(EXIT_FAILURE)
