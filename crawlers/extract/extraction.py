"""One fetched page -> one clean article (or None when the page is not an article).

trafilatura finds the main text well but, on Vietnamese CMSs, drops the sapo printed above the article container and
keeps the title/date line; htmldate loses the time of day. So: metadata and headline from the page itself, the sapo
recovered by structure, furniture removed before trafilatura, date/title repeats removed after, and the publication
time read by crawlers.extract.pubdate.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from urllib.parse import urlsplit

import trafilatura
from lxml import etree

from crawlers.extract.author import find_author, labelled_author, trailing_signature
from crawlers.extract.boilerplate import remove_boilerplate, text_length
from crawlers.extract.genre import detect_genre
from crawlers.extract.headline import find_headline
from crawlers.extract.lead import find_lead, overlap, text_before_body
from crawlers.extract.pagedecode import parse_html
from crawlers.extract.pagemeta import PageMeta, canonical_url, read_meta
from crawlers.extract.pubdate import find_published, is_date_line
from gdnn_monitor.core.textnorm import normalize_inline, normalize_text

log = logging.getLogger(__name__)

MIN_ARTICLE_CHARS = 150  # a two-sentence news brief ("tin") is an article; an error page is not
LISTING_MIN_TEASERS = 6
TAIL_LINK_CHARS = 160
_TAIL_MARKERS = re.compile(
    r"^(?:tin liên quan|bài liên quan|bài viết liên quan|các tin khác|tin khác|các bài khác|tin cùng chuyên mục|"
    r"xem thêm|đọc thêm|có thể bạn quan tâm|ý kiến bạn đọc|bình luận|gửi bình luận|gửi ý kiến|ý kiến của bạn|"
    r"tags?|từ khóa|từ khoá|chia sẻ|in bài|gửi bài|lượt xem|bản in|tin mới hơn|tin cũ hơn|các tin đã đưa)\b",
    re.IGNORECASE,
)
_NOISE_LINE = re.compile(
    r"^(?:chia sẻ|in bài|bản in|gửi email|gửi bài viết|lưu bài|theo dõi|facebook|twitter|zalo|email|print|"
    r"lượt xem\s*:?\s*\d*|\d+\s*lượt xem|cỡ chữ|a\+|a-|trở về|về đầu trang|quay lại|top|xem tiếp|"
    r"trang chủ|share|tweet|like|thích|font size|\(\s*\d+\s*\)|\d+)$",
    re.IGNORECASE,
)


@dataclass
class ExtractedArticle:
    """A clean article: every text normalised (NFC, classic tone marks), url canonical, published_at aware."""

    url: str
    title: str
    summary: str | None
    text: str
    published_at: datetime | None
    author: str | None
    genre: str
    language: str = "vi"


def extract_article(
    html: str | bytes,
    url: str,
    *,
    encoding: str | None = None,
    headers_charset: str | None = None,
    tz: tzinfo | None = None,
) -> ExtractedArticle | None:
    """The article on a fetched page, or None when the page has no substantial main text (listing, search, error)."""
    if tz is None:
        from gdnn_monitor.core.settings import get_settings

        tz = get_settings().tz
    try:
        tree = parse_html(html, encoding=encoding, headers_charset=headers_charset)
        if tree is None:
            return None
        return _extract_from_tree(tree, url, tz)
    except (ValueError, TypeError, RecursionError, etree.LxmlError) as exc:
        log.warning("extraction failed for %s: %s: %s", url, exc.__class__.__name__, exc)
        return None


@dataclass
class Body:
    """The article's text as assembled from the page: lead (sapo) first, then the body paragraphs."""

    lead: str
    lines: list[str]
    author: str | None
    teasers: int

    @property
    def text(self) -> str:
        return normalize_text("\n".join(([self.lead] if self.lead else []) + self.lines))


def _extract_from_tree(tree, url: str, tz: tzinfo) -> ExtractedArticle | None:
    meta = read_meta(tree, url)
    title, headline = find_headline(tree, meta, url)
    if not title:
        return None
    published = find_published(tree, tz, headline)
    if not _may_be_article(url, published, headline):
        return None
    body = assemble_body(tree, meta, title, headline)
    genre = detect_genre(article_container(tree, headline), url, meta.og_type, meta.ld_types(), "\n".join(body.lines))
    text = body.text
    if not _is_article(tree, url, text, genre, published, headline, body.teasers):
        return None
    return ExtractedArticle(
        url=canonical_url(meta, url),
        title=normalize_inline(title),
        summary=normalize_text(body.lead) or _summary_from_description(meta, text),
        text=text,
        published_at=published,
        author=body.author,
        genre=genre,
        language=detect_language(tree, text),
    )


def assemble_body(tree, meta: PageMeta, title: str, headline) -> Body:
    """Lead by class name or og:description, else the unclassed text between headline and body; body by trafilatura
    on the de-furnished page; title/date/lead repeats and a closing signature line taken out."""
    lead, lead_element = find_lead(tree, headline, meta.description)
    author = find_author(tree, meta, headline)
    lines, teasers = main_text_lines(tree, [headline, lead_element])
    lines = clean_body_lines(lines, title, lead, author)
    if not lead and lines:
        recovered = text_before_body(
            tree,
            headline,
            lines[0],
            lambda line: is_date_line(line) or _key(line) == _key(title) or bool(labelled_author(line)),
        )
        if recovered:
            lead = "\n".join(recovered)
            lines = clean_body_lines(lines, title, lead, author)
    signature = trailing_signature(lines)
    if signature and (author is None or signature == author):
        author = signature
        lines = lines[:-1]
    return Body(lead, lines, author, teasers)


_VIETNAMESE_LETTERS = re.compile(
    r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE
)


def detect_language(tree, text: str) -> str:
    """'vi' when the text is written in Vietnamese (many school sites keep WordPress's lang="en-US"), else the page's
    declared language, else 'vi'."""
    words = text.split()[:400]
    if words and sum(1 for word in words if _VIETNAMESE_LETTERS.search(word)) >= 0.2 * len(words):
        return "vi"
    lang = (tree.get("lang") or "").strip().lower()
    return lang.split("-")[0] if re.fullmatch(r"[a-z]{2}(?:-[a-z0-9]+)?", lang) else "vi"


def _summary_from_description(meta: PageMeta, text: str) -> str | None:
    """Without a printed sapo, the declared description stands in when it really summarises this text."""
    description = normalize_text(meta.description)
    if description and len(description) >= 30 and overlap(description, text) >= 0.8:
        return description
    return None


def _may_be_article(url: str, published: datetime | None, headline) -> bool:
    """Cheap checks before the body is extracted: not a homepage, and a headline on the page or a publication time."""
    if urlsplit(url).path in ("", "/") and not urlsplit(url).query:
        return False
    return headline is not None or published is not None


def _is_article(tree, url: str, text: str, genre: str, published: datetime | None, headline, teasers: int) -> bool:
    """An article has a headline on the page or a publication time, is not a homepage or a list of teasers, and
    (unless it is a video or photo story) has a substantial text. Teasers count in the main area once furniture is
    gone (related boxes and sidebars of an article page have many); without a headline, anywhere on the page."""
    if not _may_be_article(url, published, headline):
        return False
    if teasers >= LISTING_MIN_TEASERS or (headline is None and linked_headings(tree) >= LISTING_MIN_TEASERS):
        return False
    return genre in ("video", "photo") or len(text) >= MIN_ARTICLE_CHARS


def linked_headings(tree) -> int:
    """Headings that are links to other pages: the teasers of a listing or home page."""
    return len(
        tree.xpath("//body//*[self::h2 or self::h3 or self::h4][.//a[@href][string-length(normalize-space()) > 20]]")
    )


def article_container(tree, headline):
    """The smallest ancestor of the headline that also holds the article's text (the body when layout is flat)."""
    body = tree.find("body") if tree.find("body") is not None else tree
    if headline is None:
        return body
    total = text_length(body)
    for ancestor in headline.iterancestors():
        if ancestor is body:
            break
        if text_length(ancestor) - text_length(headline) >= max(500, 0.25 * total):
            return ancestor
    return body


def _working_copy(tree, elements: list):
    """A deep copy of the tree plus the copies of the given elements (by their paths)."""
    root = tree.getroottree()
    paths = [root.getpath(e) if e is not None else None for e in elements]
    clone = copy.deepcopy(tree)
    found = []
    for path in paths:
        matches = clone.getroottree().xpath(path) if path else []
        found.append(matches[0] if matches else None)
    return clone, found


def main_text_lines(tree, drop: list) -> tuple[list[str], int]:
    """Paragraphs of the main text (furniture removed, headline and lead taken out, then trafilatura), and how many
    teaser headings (headings that link elsewhere) survived furniture removal: many means a listing page."""
    work, copies = _working_copy(tree, drop)
    for element in copies:
        if element is not None and element.getparent() is not None:
            element.drop_tree()
    remove_boilerplate(work)
    teasers = linked_headings(work)
    unwrap_layout_tables(work)
    keep_captions(work)
    extracted = trafilatura.extract(
        work,
        fast=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        output_format="txt",
    )
    lines = [_table_row(normalize_inline(line)) for line in (extracted or "").split("\n")]
    return [line for line in lines if line], teasers


def keep_captions(tree) -> None:
    """A figure becomes a plain paragraph of its caption: captions are served text (all the text of a photo story),
    but trafilatura drops figures when images are not extracted."""
    for figure in list(tree.iter("figure")):
        caption = " ".join(normalize_inline(c.text_content()) for c in figure.iter("figcaption")).strip()
        if figure.getparent() is None:
            continue
        paragraph = figure.makeelement("p", {})
        paragraph.text = caption
        paragraph.tail = figure.tail
        figure.getparent().replace(figure, paragraph)


def _table_row(line: str) -> str:
    """trafilatura prints a data-table row as '| a | b |'; we keep 'a | b'."""
    if line.startswith("|") and line.endswith("|"):
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        return " | ".join(cell for cell in cells if cell)
    return line


_LAYOUT_CONTENT = ".//div|.//p|.//table|.//ul|.//ol|.//h1|.//h2|.//h3|.//form|.//section|.//article"
_TABLE_PARTS = ("table", "tbody", "thead", "tfoot", "tr", "td", "th")


def unwrap_layout_tables(tree) -> None:
    """Old CMSs lay whole pages out in tables; trafilatura would print them as one '| … |' row. A table whose cells
    hold blocks or long text is layout: it becomes plain divs. Data tables (short cells, no blocks) stay tables."""
    layout = {table: _is_layout_table(table) for table in tree.iter("table")}
    for table, is_layout in layout.items():
        if not is_layout:
            continue
        for element in [table, *table.iter(*_TABLE_PARTS)]:
            owner = (
                element
                if element.tag == "table"
                else next((a for a in element.iterancestors() if a.tag == "table" or a in layout), None)
            )
            if owner is table:
                element.tag = "div"


def _is_layout_table(table) -> bool:
    cells = table.xpath(".//td|.//th")
    return (
        bool(table.xpath(_LAYOUT_CONTENT))
        or any(text_length(cell) > 200 for cell in cells)
        or all(len(row.xpath("./td|./th")) <= 1 for row in table.xpath(".//tr"))
    )


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def clean_body_lines(lines: list[str], title: str, lead: str, author: str | None) -> list[str]:
    """Drop the repeated title, the lead (put first by the caller), date lines, share/print noise and any tail that
    starts at a 'Tin liên quan' / 'Bình luận' heading."""
    title_key = _key(title)
    lead_keys = {_key(part) for part in lead.split("\n")} if lead else set()
    kept: list[str] = []
    for index, line in enumerate(lines):
        key = _key(line)
        if not key:
            continue
        if _TAIL_MARKERS.match(line) and len(line) < 60:
            if index >= len(lines) // 2 and all(len(rest) < TAIL_LINK_CHARS for rest in lines[index + 1 :]):
                break  # a 'Tin liên quan' heading followed by headline-sized lines: the rest is a link box
            continue
        if key == title_key or key in lead_keys or _NOISE_LINE.match(line):
            continue
        if index < 4 and is_date_line(line):
            continue
        if not kept and lead and len(key) > 30 and _key(lead).startswith(key):
            continue
        kept.append(line)
    return kept
