"""Page furniture that is not the article: menus, related-news boxes, comments, share bars, footers.

Recognised by the class/id words Vietnamese CMSs use (tin-lien-quan, binh-luan, box-tin-khac, ...), by headings such
as "Tin liên quan" / "Bình luận", and by link density; a node that holds the headline or most of the page's text is
never removed, so a wrapper called "main-has-sidebar" cannot take the article with it.
"""

from __future__ import annotations

import re
import unicodedata

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "footer",
    "aside",
    "select",
    "button",
    "input",
    "textarea",
    "svg",
    "template",
    "form[@role='search']",
    "iframe",
    "object",
    "embed",
    "video",
    "audio",
    "map",
)
_BOILERPLATE_WORD = re.compile(
    r"(?:^|[-_])(?:related|relate|relation|lienquan|tinlienquan|lien-quan|tin-?khac|tinkhac|other-?news|othernews|"
    r"other-?posts?|more-?news|morenews|read-?more|xem-?them|xemthem|comments?|comment-?list|binh-?luan|binhluan|"
    r"y-?kien|ykien|fb-comments|share|sharing|social|socials|addthis|sharethis|tags?|tag-?list|tagcloud|keywords?|"
    r"tu-?khoa|tukhoa|breadcrumbs?|menu|menus|nav|navbar|navigation|sidebar|side-?bar|widget|widgets|banner|adv|"
    r"advert|advertisement|ads|qc|quangcao|quang-?cao|footer|copyright|rating|vote|subscribe|newsletter|popup|"
    r"modal|pagination|pager|paging|toolbar|topbar|login|search|hotline|most-?viewed|mostview|xem-?nhieu|xemnhieu|"
    r"doc-?nhieu|docnhieu|top-?news|hot-?news|tin-?noi-?bat|noibat|tinmoi|tin-?moi|cung-?chuyen-?muc|"
    r"same-?category|samecate|print-?button|btn-?print|author-?box|post-?navigation|nav-?links|next-?prev|"
    r"prev-?next|entry-?footer|entry-?meta-?bottom|skip-?link|screen-?reader-?text|sr-?only|"
    r"weather|thoi-?tiet|gold-?price|ty-?gia|lich-?van-?nien|counter|thong-?ke-?truy-?cap|visitor|online-?count|"
    r"logo|brand|masthead|site-?header|site-?branding|top-?header|header-?top|topnav|top-?nav|site-?title)"
    r"(?:$|[-_])",
    re.IGNORECASE,
)
_BOILERPLATE_HEADING = re.compile(
    r"^(?:(?:tin|bài|bài viết|các tin|các bài|tin bài|tin tức|video|ảnh)?\s*(?:liên quan|cùng chuyên mục|khác|mới hơn|"
    r"cũ hơn|đã đưa|mới nhất|xem nhiều|đọc nhiều|nổi bật|cùng chủ đề|tiêu điểm)|xem thêm|bình luận|ý kiến bạn đọc|"
    r"gửi bình luận|gửi ý kiến|ý kiến của bạn|chia sẻ|từ khóa|từ khoá|tags?|chủ đề|có thể bạn quan tâm|"
    r"bạn có thể quan tâm|đọc thêm|tin liên quan|các tin khác|tin khác|bài viết khác|các bài viết khác|"
    r"các tin đã đưa)(?:\s*\(\d+\))?\s*:?\s*$",
    re.IGNORECASE,
)


def _class_words(element) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}".strip()


_COMMENTS_HEADING = re.compile(r"^(?:bình luận|ý kiến bạn đọc|ý kiến của bạn|gửi bình luận|gửi ý kiến)", re.IGNORECASE)


def is_boilerplate_class(element) -> bool:
    """True when one of the element's class/id tokens is a furniture word."""
    words = _class_words(element)
    return bool(words) and any(_BOILERPLATE_WORD.search(token) for token in words.split())


def page_text_length(element) -> int:
    """Text length of the whole page the element belongs to (the yardstick for 'small box')."""
    root = element.getroottree().getroot()
    body = root.find("body")
    return max(text_length(body if body is not None else root), 1)


def in_furniture(element, total: int, stop=None, extra: re.Pattern[str] | None = None) -> bool:
    """Inside a small box named like furniture. A 'sidebar-1' or 'main-has-sidebar' wrapper holding most of the
    page's text (VnExpress puts its article column in 'sidebar-1') is not furniture. Stops at `stop`."""
    for ancestor in element.iterancestors():
        if ancestor is stop or ancestor.tag in ("body", "html"):
            return False
        named = is_boilerplate_class(ancestor) or bool(extra and extra.search(_class_words(ancestor)))
        if named and text_length(ancestor) < 0.4 * total:
            return True
    return False


def text_length(element) -> int:
    """Length of the element's visible text with whitespace collapsed."""
    try:
        return len(" ".join(element.text_content().split()))
    except ValueError:
        return 0


def link_text_length(element) -> int:
    """Length of the text inside the element's links (for link density)."""
    return sum(text_length(a) for a in element.iter("a"))


_COMMENTS_CLASS = re.compile(r"comment|binh-?luan|binhluan|y-?kien|ykien|feedback|reply", re.IGNORECASE)
PROSE_PARAGRAPH_CHARS = 150


def _holds_prose(element) -> bool:
    """Three or more long, link-free paragraphs: article text, not furniture (related boxes are short links)."""
    long_paragraphs = 0
    for paragraph in element.iter("p"):
        length = text_length(paragraph)
        if length >= PROSE_PARAGRAPH_CHARS and link_text_length(paragraph) < 0.3 * length:
            long_paragraphs += 1
            if long_paragraphs >= 3:
                return True
    return False


def _protected(element, keep: list) -> bool:
    return any(element is k or element in k.iterancestors() for k in keep if k is not None)


def _drop(element) -> None:
    """Remove an element but keep its tail text in place."""
    parent = element.getparent()
    if parent is None:
        return
    element.drop_tree()


def remove_boilerplate(tree, keep: list | None = None) -> None:
    """Strip furniture from the tree in place; never removes an element holding one of `keep` or >40 % of the text."""
    keep = [k for k in (keep or []) if k is not None]
    body = tree.find("body") if tree.find("body") is not None else tree
    total = max(text_length(body), 1)
    for tag in _DROP_TAGS:
        for element in body.xpath(f".//{tag}"):
            if not _protected(element, keep):
                _drop(element)
    for element in body.xpath(".//header[not(ancestor::article or ancestor::main)]"):
        if not _protected(element, keep) and text_length(element) < 0.4 * total:
            _drop(element)
    for element in list(body.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None or element is body:
            continue
        if is_boilerplate_class(element) and not _protected(element, keep) and text_length(element) < 0.4 * total:
            if _holds_prose(element) and not _COMMENTS_CLASS.search(_class_words(element)):
                continue  # 'article-body social-share-on' is the article, whatever its modifiers say
            _drop(element)
    _remove_headed_boxes(body, keep, total)
    _remove_link_lists(body, keep, total)


def _remove_headed_boxes(body, keep: list, total: int) -> None:
    """A heading 'Tin liên quan' / 'Bình luận' takes the box it heads (or, in a flat layout, the lists after it).
    A related-news box is mostly links; a comments box is not, so a comments heading takes its box anyway."""
    for heading in list(body.iter()):
        if not isinstance(heading.tag, str) or heading.getparent() is None:
            continue
        if heading.tag not in ("h2", "h3", "h4", "h5", "h6", "strong", "b", "div", "p", "span", "li", "td"):
            continue
        raw = heading.text_content()
        if len(raw) > 400:
            continue
        own = unicodedata.normalize("NFC", " ".join(raw.split()))
        if not own or len(own) > 40 or not _BOILERPLATE_HEADING.match(own):
            continue
        box = heading
        parent = heading.getparent()
        while parent is not None and parent is not body and text_length(parent) <= len(own) * 3 + 1500:
            opening = unicodedata.normalize("NFC", " ".join(parent.text_content()[:200].split()))
            mostly_links = link_text_length(parent) >= 0.5 * (text_length(parent) - len(own))
            if opening.startswith(own) and (mostly_links or _COMMENTS_HEADING.match(own)):
                box = parent
                parent = parent.getparent()
            else:
                break
        if _protected(box, keep) or _holds_prose(box) or (box is not heading and text_length(box) >= 0.9 * total):
            continue
        if box is heading:
            following = heading.getnext()
            while (
                following is not None
                and following.tag in ("ul", "ol", "div", "table")
                and link_text_length(following) >= 0.6 * max(text_length(following), 1)
            ):
                after = following.getnext()
                _drop(following)
                following = after
        _drop(box)


def _remove_link_lists(body, keep: list, total: int) -> None:
    """Lists and boxes that are mostly links (menus, 'other news') with at least three links. Being mostly links,
    they are never the article, however large their share of a short page."""
    for element in list(body.iter("ul", "ol", "table", "div", "section")):
        if element.getparent() is None or _protected(element, keep):
            continue
        length = text_length(element)
        if length == 0 or length >= 0.9 * total or _holds_prose(element):
            continue
        links = element.xpath(".//a[normalize-space()]")
        if len(links) >= 3 and link_text_length(element) >= 0.7 * length:
            _drop(element)
