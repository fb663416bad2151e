"""The exact headline as the site prints it: the on-page heading that agrees with the declared titles, else the
declared title without its site-name suffix (" - Báo Lạng Sơn", " | Cổng thông tin ...")."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawlers.extract.blocks import paragraphs
from crawlers.extract.boilerplate import in_furniture, is_boilerplate_class, page_text_length
from crawlers.extract.pagemeta import PageMeta
from gdnn_monitor.core.textnorm import normalize_inline

_SEPARATORS = re.compile(r"\s+(?:-|\||–|—|::|»|«|·|•|/)\s+|\s*\|\s*")
_SITE_WORDS = re.compile(
    r"^(?:báo|tạp chí|cổng thông tin|trang thông tin|trang tin|cổng tttđt|đài|truyền hình|trường|sở|ubnd|ủy ban|"
    r"bộ|tổng cục|cục|viện|trung tâm|công ty|website|tin tức|trang chủ|home|news|online)\b",
    re.IGNORECASE,
)
_TITLE_CLASS = re.compile(r"title|headline|tieu-?de|tieude|heading|news-?name|post-?name", re.IGNORECASE)
_NOT_TITLE_CLASS = re.compile(
    r"logo|brand|site-?name|site-?title|widget|sidebar|menu|footer|related|box-?title|"
    r"cate|section|category|breadcrumb",
    re.IGNORECASE,
)
MIN_TITLE_CHARS = 8
GENERIC_TITLE_WORDS = 5  # "Chi tiết tin", "Tin tức - Sự kiện": a declared title this short names the page type


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", " ", normalize_inline(text).lower()).strip()


def _site_tokens(meta: PageMeta, url: str) -> list[str]:
    tokens = [_key(meta.site_name)] if meta.site_name else []
    host = (urlsplit(url).hostname or "").lower()
    if host:
        tokens.append(host.removeprefix("www."))
        tokens.append(host.removeprefix("www.").split(".")[0])
    return [t for t in tokens if t]


def _looks_like_site_name(segment: str, site_tokens: list[str], generic: bool = False) -> bool:
    """Names the site by its own tokens (og:site_name, host); with `generic`, also a short "Báo …"/"Cổng …" phrase."""
    key = _key(segment)
    if not key:
        return True
    compact = key.replace(" ", "")
    for token in site_tokens:
        token_compact = token.replace(" ", "")
        if key == token or compact == token_compact or (len(token_compact) > 3 and token_compact in compact):
            return True
        if "." in segment and segment.lower().strip() in token:
            return True
    return generic and bool(_SITE_WORDS.match(segment.strip())) and len(key.split()) <= 7


def strip_site_name(title: str, meta: PageMeta, url: str) -> str:
    """Remove leading/trailing segments that name the site; never remove the last remaining segment."""
    title = normalize_inline(title)
    tokens = _site_tokens(meta, url)
    pieces = _SEPARATORS.split(title)
    separators = _SEPARATORS.findall(title)
    if len(pieces) < 2:
        return title
    start, end = 0, len(pieces)
    while end - start > 1 and _looks_like_site_name(pieces[end - 1], tokens, generic=True):
        end -= 1
    while end - start > 1 and _looks_like_site_name(pieces[start], tokens):
        start += 1
    result = pieces[start]
    for index in range(start + 1, end):
        result += separators[index - 1] + pieces[index]
    return result.strip()


def _agrees(heading: str, declared_keys: list[str]) -> bool:
    """The heading is (most of) a declared title, or a declared title is (most of) the heading."""
    key = _key(heading)
    if len(key) < MIN_TITLE_CHARS:
        return False
    for other in declared_keys:
        if key == other:
            return True
        shorter, longer = sorted((key, other), key=len)
        if shorter and shorter in longer and len(shorter) >= 0.6 * len(longer) and len(shorter) >= 15:
            return True
    return False


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _heading_candidates(tree) -> list:
    total = page_text_length(tree)
    headings = tree.xpath("//h1")
    headings += [
        h
        for h in tree.xpath(
            "//body//*[self::h2 or self::h3 or self::h4 or self::div or self::p or self::span "
            "or self::td or self::strong][@class or @id]"
        )
        if _TITLE_CLASS.search((h.get("class") or "") + " " + (h.get("id") or ""))
    ]
    return [
        h
        for h in headings
        if not _NOT_TITLE_CLASS.search((h.get("class") or "") + " " + (h.get("id") or ""))
        and not in_furniture(h, total)
        and not is_boilerplate_class(h)
        and not h.xpath(".//div|.//p|.//table")
        and (h.tag == "h1" or not _is_teaser_link(h))
    ]


def _is_teaser_link(heading) -> bool:
    """A heading that is a link to another page is a teaser in a list, not this page's headline."""
    linked = sum(len(a.text_content().strip()) for a in heading.iter("a") if a.get("href"))
    if any(a.tag == "a" and a.get("href") for a in heading.iterancestors()):
        linked += len(heading.text_content().strip())
    return linked >= 0.5 * max(len(heading.text_content().strip()), 1)


def _text(element) -> str:
    """The heading as displayed: a <br> or an inner block is a space, not nothing."""
    return " ".join(paragraphs(element))


def find_headline(tree, meta: PageMeta, url: str) -> tuple[str, object | None]:
    """(title, heading element or None). The heading element is returned so the body can drop its repeat."""
    declared = meta.meta_titles()
    declared_keys = {_key(t) for t in declared} | {_key(strip_site_name(t, meta, url)) for t in declared}
    declared_keys.discard("")
    candidates = [(h, _text(h)) for h in _heading_candidates(tree)]
    candidates = [(h, t) for h, t in candidates if MIN_TITLE_CHARS <= len(t) <= 400]
    for element, text in candidates:
        if _agrees(text, sorted(declared_keys)):
            return text, element
    tokens = _site_tokens(meta, url)
    h1s = [(h, t) for h, t in candidates if h.tag == "h1" and not _looks_like_site_name(t, tokens)]
    if len(h1s) == 1 and len(h1s[0][1].split()) >= 3:
        return h1s[0][1], h1s[0][0]
    named = [(h, t) for h, t in candidates if h.tag != "h1" and _word_count(t) >= GENERIC_TITLE_WORDS]
    if named:
        return named[0][1], named[0][0]
    for title in declared:
        cleaned = strip_site_name(title, meta, url)
        if _word_count(cleaned) >= GENERIC_TITLE_WORDS and not _looks_like_site_name(cleaned, tokens):
            return cleaned, None
    if h1s:
        return h1s[0][1], h1s[0][0]
    return (strip_site_name(declared[0], meta, url) if declared else ""), None
