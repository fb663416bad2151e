"""Which links on a listing page are articles, and which lead to the next listing page (a link, or an ASP.NET
WebForms pager that posts the page's form back).

A source's `article_pattern` decides when given. Otherwise a heuristic built on how Vietnamese CMSs shape
article URLs (`-<digits>.html`, `/<id>-<slug>.html`, `/<slug>-<digits>`, `?id=` incl. Joomla's `id=123:slug`,
`newsid`, `tintucID`, WordPress `/YYYY/MM/slug/`, long title slugs) and on what is never an article (sections,
tags, search, print views, static files).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import html as lxml_html

from crawlers.identity.urls import canonicalize_url, is_print_view, print_view_target
from gdnn_monitor.core.textnorm import normalize_inline
from store.registry import SourceConfig

STATIC_EXTENSIONS = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|bmp|tiff?|pdf|docx?|xlsx?|pptx?|zip|rar|7z|gz|mp3|mp4|avi|mov|wmv|flv|"
    r"css|js|json|xml|rss|atom|txt|woff2?|ttf|eot)$",
    re.IGNORECASE,
)
NOT_ARTICLE_PATH = re.compile(
    r"/(?:tag|tags|the|tu-khoa|tukhoa|keyword|search|tim-kiem|timkiem|category|categories|chuyen-muc|chuyenmuc|"
    r"danh-muc|author|tac-gia|user|login|dang-nhap|register|dang-ky|lien-he|contact|gioi-thieu|about|sitemap|rss|"
    r"feed|feeds|comment|comments|binh-luan|wp-admin|wp-login\.php|wp-content|wp-includes|static|assets|media|"
    r"upload|uploads|images|files|video-clip|chuyen-de|event|su-kien|lich-cong-tac|hoi-dap|faq)(?:/|\.|$|-\d)",
    re.IGNORECASE,
)
PAGER_PATH = re.compile(r"/(?:page|trang|p)[/-]?\d+/?$|[-_/](?:page|trang|p)\d+\.html?$", re.IGNORECASE)
PAGER_PARAMS = {
    "page",
    "p",
    "trang",
    "pageindex",
    "pagenumber",
    "pagenum",
    "paged",
    "pg",
    "start",
    "offset",
    "page_no",
    "curpage",
    "currentpage",
}
ARTICLE_ID_PARAMS = {
    "id",
    "newsid",
    "news_id",
    "idnews",
    "tintucid",
    "articleid",
    "article_id",
    "itemid",
    "postid",
    "post_id",
    "nid",
    "idtin",
    "matin",
    "tinid",
    "p",
    "vid",
    "videoid",
}
ARTICLE_PATHS = [
    re.compile(r"-\d{4,}\.html?$", re.IGNORECASE),  # /slug-123456.html
    re.compile(r"[/-]\d{6,}\.[a-z]{2,5}$", re.IGNORECASE),  # /c/45678901.epi, -2024061909.chn
    re.compile(r"/\d{3,}-[a-z0-9-]+\.html?$", re.IGNORECASE),  # /section/12345-slug.html
    re.compile(r"-(?:a|d|n|post|tin|bv)\d{3,}(?:\.[a-z]{2,5})?$", re.IGNORECASE),  # -a12345.html, -post1234.vov
    re.compile(r"/node/\d+/?$", re.IGNORECASE),  # Drupal
    re.compile(r"/[a-z0-9]+(?:-[a-z0-9]+){2,}-\d{4,}/?$", re.IGNORECASE),  # /section/slug-of-title-778899
    re.compile(r"/-/asset_publisher/[^/]+/content/[^/]+", re.IGNORECASE),  # Liferay e-government portals
    re.compile(r"/newsid/\d+(?:/|$)", re.IGNORECASE),  # gdnn.gov.vn DNN module
    re.compile(r"/(?:19|20)\d{2}/[01]?\d/(?:[0-3]?\d/)?[^/]*[a-z][^/]*/?$", re.IGNORECASE),  # WordPress dates
    re.compile(
        r"/(?:news|tin-tuc|tintuc|bai-viet|baiviet|article|post|video|detail|chi-tiet|chitiet)"
        r"/(?:[^/]+/)*\d{3,}[/-][a-z0-9-]*[a-z][a-z0-9-]*/?(?:\.html?)?$",
        re.IGNORECASE,
    ),
]
NEXT_TEXTS = {
    "trang sau",
    "trang tiếp",
    "trang kế",
    "xem thêm",
    "xem tiếp",
    "tiếp",
    "tiếp theo",
    "sau",
    "next",
    "next page",
    "older posts",
    "tin cũ hơn",
    "bài cũ hơn",
    "cũ hơn",
    "»",
    "›",
    ">",
    ">>",
    "→",
    "tải thêm",
}
_DIGITS_ONLY = re.compile(r"^\d{1,4}$")
FEED_TYPES = ("application/rss+xml", "application/atom+xml")
MAX_SECTIONS = 40
_SLUG_WORDS = re.compile(r"[a-z0-9]+")
_ARTICLE_ID_VALUE = re.compile(r"^\d+(?::[\w-]*)?$")  # 123, or Joomla's 123:slug-of-the-title


@dataclass(frozen=True)
class PageLink:
    url: str
    page: int | None


@dataclass(frozen=True)
class PostBack:
    """An ASP.NET WebForms pager link: the next page comes from posting the page's form back with these values."""

    target: str
    argument: str
    page: int


_POSTBACK = re.compile(
    r"""^javascript:\s*__doPostBack\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]*)['"]\s*\)""", re.IGNORECASE
)
_POSTBACK_PAGE = re.compile(r"(?:^|\$)(?:Page\$)?(\d{1,4})$", re.IGNORECASE)


def same_site(url: str, hosts: set[str]) -> bool:
    """True when the URL is on one of the source's hosts (www. or not)."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return host in {h.lower().removeprefix("www.") for h in hosts}


def _query(url: str) -> dict[str, str]:
    return {k.lower(): v for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True)}


def _long_slug(last_segment: str) -> bool:
    """A headline turned into a slug has many words; a section name ('giao-duc', 'thoi-su') has few."""
    stem = re.sub(r"\.(?:html?|aspx?|php)$", "", last_segment.lower())
    return "-" in stem and len(_SLUG_WORDS.findall(stem)) >= 6


def looks_like_article(url: str) -> bool:
    """The general heuristic, for sources without an article_pattern."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.scheme not in ("http", "https") or (path in ("", "/") and not parts.query):
        return False
    if STATIC_EXTENSIONS.search(path) or NOT_ARTICLE_PATH.search(path) or PAGER_PATH.search(path):
        return False
    if is_print_view(url):
        return False
    query = _query(url)
    if any(name in PAGER_PARAMS - {"p"} for name in query) or "s" in query or "q" in query or "keyword" in query:
        return False
    if query.get("view", "").lower() in ("category", "categories", "section", "featured", "archive"):
        return False  # Joomla lists carry a numeric id too
    if any(name in ARTICLE_ID_PARAMS and _ARTICLE_ID_VALUE.match(value) for name, value in query.items()):
        return True
    if any(pattern.search(path) for pattern in ARTICLE_PATHS):
        return True
    return _long_slug(path.rstrip("/").rsplit("/", 1)[-1])


def is_article_url(url: str, source: SourceConfig) -> bool:
    """The source's own pattern when it has one, else the heuristic."""
    pattern = source.article_regex
    if pattern is not None:
        return bool(pattern.search(url)) and not is_print_view(url)
    return looks_like_article(url)


def _anchors(body: bytes | str, base_url: str) -> list[tuple[str, str, str]]:
    """(absolute URL, visible text, rel) of every <a href> on the page; malformed HTML is tolerated."""
    try:
        tree = lxml_html.fromstring(body)
    except (ValueError, lxml_html.etree.ParserError):
        return []
    base = tree.xpath("//base/@href")
    base_url = urljoin(base_url, base[0].strip()) if base else base_url
    anchors = []
    for element in tree.iter("a", "link"):
        href = (element.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        if element.tag == "link" and "next" not in (element.get("rel") or "").lower():
            continue
        text = normalize_inline(element.text_content() if element.tag == "a" else "").lower()
        title = normalize_inline(element.get("title") or element.get("aria-label") or "").lower()
        anchors.append((urljoin(base_url, href), text or title, (element.get("rel") or "").lower()))
    return anchors


def article_links(body: bytes | str, base_url: str, source: SourceConfig, hosts: set[str]) -> list[str]:
    """Canonical article URLs linked from a listing page, in page order, each once; print views mapped to their
    article when the URL says which."""
    seen: set[str] = set()
    found: list[str] = []
    for url, _text, _rel in _anchors(body, base_url):
        if not same_site(url, hosts):
            continue
        if is_print_view(url):
            url = print_view_target(url) or ""
            if not url:
                continue
        canonical = canonicalize_url(url)
        if canonical not in seen and is_article_url(canonical, source):
            seen.add(canonical)
            found.append(canonical)
    return found


def page_number(url: str) -> int | None:
    """The listing page number a URL asks for (?page=3, /page/3/, /trang-3, -p3.html), if any."""
    for name, value in _query(url).items():
        if name in PAGER_PARAMS and value.isdigit() and name not in ("start", "offset"):
            return int(value)
    match = re.search(r"(?:page|trang|p)[/-]?(\d+)/?(?:\.(?:html?|aspx?|php))?$", urlsplit(url).path, re.IGNORECASE)
    return int(match.group(1)) if match else None


def _listing_stem(url: str) -> str:
    """The path of a listing without its page part or extension: /giao-duc/trang-2.html → /giao-duc."""
    path = re.sub(r"\.(?:html?|aspx?|php)$", "", urlsplit(url).path, flags=re.IGNORECASE)
    path = re.sub(
        r"(?:/(?:page|trang|p)[/-]?\d+/?|[-_](?:page|trang|p)-?\d+)$", "", path.rstrip("/"), flags=re.IGNORECASE
    )
    return path.rstrip("/") or "/"


def _same_listing(url: str, current: str) -> bool:
    """A pager link stays within the listing: same path apart from the page part."""
    return _listing_stem(url) == _listing_stem(current)


_NEXT_PREFIXES = (
    "trang sau",
    "trang tiếp",
    "trang kế",
    "xem thêm",
    "xem tiếp",
    "tin cũ hơn",
    "các tin cũ",
    "bài cũ",
    "tin trước",
    "next",
    "older",
)


def is_next_text(text: str) -> bool:
    """'Trang sau', 'Xem thêm »', 'Tiếp theo ›', '»', 'Next page' …; not 'Cuối' (last) nor a headline."""
    core = text.strip(" »›>→.…:|-")
    return text in NEXT_TEXTS or core in NEXT_TEXTS or (len(core) <= 25 and core.startswith(_NEXT_PREFIXES))


def pagination_links(body: bytes | str, base_url: str, hosts: set[str]) -> list[PageLink]:
    """Next listing pages: rel=next, 'Trang sau'/'Xem thêm'/'»' links, and numbered pagers of this listing."""
    current_page = page_number(base_url) or 1
    links: dict[str, PageLink] = {}
    for url, text, rel in _anchors(body, base_url):
        if not same_site(url, hosts) or is_print_view(url) or STATIC_EXTENSIONS.search(urlsplit(url).path):
            continue
        canonical = canonicalize_url(url)
        if canonical == canonicalize_url(base_url):
            continue
        number = page_number(canonical)
        is_next = "next" in rel.split() or is_next_text(text)
        numbered = _DIGITS_ONLY.match(text) is not None and number is not None and _same_listing(canonical, base_url)
        if is_next and (number is None or number > current_page or _same_listing(canonical, base_url)):
            if number is not None or _same_listing(canonical, base_url) or not looks_like_article(canonical):
                links.setdefault(canonical, PageLink(canonical, number))
        elif numbered and number is not None and number > current_page:
            links.setdefault(canonical, PageLink(canonical, number))
    return list(links.values())


def section_links(body: bytes | str, base_url: str, source: SourceConfig, hosts: set[str]) -> list[str]:
    """Section pages a homepage links to (its menus), so a source configured with just its homepage still reaches
    articles deeper than the front page: same site, short path, not an article, pager, tag, search or static page."""
    found: list[str] = []
    for url, _text, _rel in _anchors(body, base_url):
        if not same_site(url, hosts) or is_print_view(url):
            continue
        canonical = canonicalize_url(url)
        parts = urlsplit(canonical)
        segments = [segment for segment in parts.path.split("/") if segment]
        if not segments or len(segments) > 2 or parts.query or canonical in found:
            continue
        if STATIC_EXTENSIONS.search(parts.path) or NOT_ARTICLE_PATH.search(parts.path) or PAGER_PATH.search(parts.path):
            continue
        if is_article_url(canonical, source) or looks_like_article(canonical):
            continue
        found.append(canonical)
        if len(found) >= MAX_SECTIONS:
            break
    return found


def feed_links(body: bytes | str, base_url: str, hosts: set[str]) -> list[str]:
    """RSS/Atom feeds a page announces with <link rel="alternate" type="application/rss+xml">."""
    try:
        tree = lxml_html.fromstring(body)
    except (ValueError, lxml_html.etree.ParserError):
        return []
    feeds = []
    for element in tree.iter("link"):
        if "alternate" in (element.get("rel") or "").lower() and (element.get("type") or "").lower() in FEED_TYPES:
            url = urljoin(base_url, (element.get("href") or "").strip())
            if element.get("href") and same_site(url, hosts) and url not in feeds:
                feeds.append(url)
    return feeds


def postback_next_page(body: bytes | str, current_page: int) -> PostBack | None:
    """The next page of a WebForms listing whose pager is `javascript:__doPostBack('…pager','Page$2')` links (many
    provincial portals): the link numbered current+1, else a 'Trang sau' / '»' postback link."""
    try:
        tree = lxml_html.fromstring(body)
    except (ValueError, lxml_html.etree.ParserError):
        return None
    if not tree.xpath("//form//input[@name='__VIEWSTATE']"):
        return None
    following: PostBack | None = None
    for element in tree.iter("a"):
        match = _POSTBACK.match((element.get("href") or "").strip())
        if not match:
            continue
        target, argument = match.groups()
        text = normalize_inline(element.text_content()).lower()
        if _DIGITS_ONLY.match(text) and int(text) == current_page + 1:
            return PostBack(target, argument, current_page + 1)
        if following is None and is_next_text(text):
            numbered = _POSTBACK_PAGE.search(argument)
            page = int(numbered.group(1)) if numbered else current_page + 1
            if page > current_page:
                following = PostBack(target, argument, page)
    return following
