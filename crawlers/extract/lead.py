"""The lead paragraph (sapo). Vietnamese CMSs print it in its own block between headline and body, where generic
extractors drop it; we find it by the class names these CMSs use and by agreement with og:description."""

from __future__ import annotations

import re

from crawlers.extract.blocks import paragraphs
from crawlers.extract.boilerplate import in_furniture, page_text_length
from gdnn_monitor.core.textnorm import normalize_inline

_LEAD_WORD = re.compile(
    r"sapo|sapô|(?:^|[-_]|[a-z])lead(?:$|[-_]|text|in)|lede|summary|summery|chapeau|chapo|excerpt|(?:^|[-_])intro|"
    r"(?:^|[-_])sap(?:$|[-_])|"
    r"teaser|abstract|tom-?tat|tomtat|trich-?dan|trichdan|mo-?ta-?ngan|standfirst|description|(?:^|[-_])desc(?:$|[-_])|"
    r"(?:^|[-_])short-?(?:content|desc|text)|init-?content|news-?head|(?:^|[-_])tease",
    re.IGNORECASE,
)
_NOT_LEAD = re.compile(r"item|list|thumb|related|other|box-?news|cate|widget|sidebar|footer|meta-?desc|seo", re.I)
MIN_LEAD_CHARS = 30
MAX_LEAD_CHARS = 1500
LEAD_SEARCH_ELEMENTS = 400


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", normalize_inline(text).lower())


def overlap(first: str, second: str) -> float:
    """Share of the shorter text's words found in the longer one (0..1); order-insensitive."""
    a, b = _words(first), _words(second)
    if not a or not b:
        return 0.0
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    pool = set(longer)
    return sum(1 for word in shorter if word in pool) / len(shorter)


def agrees_with_description(text: str, description: str) -> bool:
    """og:description is often the sapo, sometimes cut short with '...'; compare words, not characters."""
    if not description or len(description) < MIN_LEAD_CHARS:
        return False
    cleaned = re.sub(r"(?:\.\.\.|…)\s*$", "", description)
    return overlap(text, cleaned) >= 0.85 and len(_words(text)) <= 1.6 * len(_words(cleaned)) + 5


def _in_boilerplate(element, total: int) -> bool:
    return in_furniture(element, total, extra=_NOT_LEAD)


def _lead_text(element) -> str:
    return "\n".join(paragraphs(element))


def _document_position(tree) -> dict:
    return {element: index for index, element in enumerate(tree.iter())}


def find_lead(tree, headline, description: str) -> tuple[str, object | None]:
    """(lead text, element) or ("", None). Class-named blocks come first, the one nearest after the headline wins;
    otherwise a block right after the headline whose words agree with og:description."""
    order = _document_position(tree)
    start = order.get(headline, -1) if headline is not None else -1
    total = page_text_length(tree)
    named = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("meta", "html", "body", "head", "title", "script"):
            continue
        words = f"{element.get('class') or ''} {element.get('id') or ''}"
        named_lead = any(_LEAD_WORD.search(token) for token in words.split())
        if not named_lead or _NOT_LEAD.search(words) or _in_boilerplate(element, total):
            continue
        if element.xpath(".//h1") or (headline is not None and headline in element.iterancestors()):
            continue
        text = _lead_text(element)
        if MIN_LEAD_CHARS <= len(text) <= MAX_LEAD_CHARS:
            named.append((element, text))
    named = [(e, t) for e, t in named if not any(e in other.iterancestors() for other, _ in named)]
    if named:
        after = [(e, t) for e, t in named if order.get(e, 0) > start]
        pool = after or named
        agreeing = [(e, t) for e, t in pool if agrees_with_description(t, description)]
        element, text = (agreeing or pool)[0]
        return text, element
    return _lead_by_description(tree, order, start, description, total)


def _lead_by_description(tree, order: dict, start: int, description: str, total: int) -> tuple[str, object | None]:
    if not description or len(description) < MIN_LEAD_CHARS:
        return "", None
    for element in tree.iter("p", "div", "h2", "h3", "strong", "b", "em", "span", "section"):
        position = order.get(element, 0)
        if position <= start:
            continue
        if start >= 0 and position > start + LEAD_SEARCH_ELEMENTS:
            break  # the sapo sits right under the headline, not hundreds of elements further down
        raw_length = len(" ".join(element.text_content().split()))
        if not (MIN_LEAD_CHARS <= raw_length <= MAX_LEAD_CHARS * 2) or _in_boilerplate(element, total):
            continue
        text = _lead_text(element)
        if not (MIN_LEAD_CHARS <= len(text) <= MAX_LEAD_CHARS):
            continue
        if agrees_with_description(text, description) and overlap(description, text) >= 0.85:
            return text, element
    return "", None


_LEAF_BLOCKS = frozenset({"p", "div", "h2", "h3", "h4", "strong", "b", "em", "span", "section", "td", "blockquote"})
_INNER_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "section", "table", "ul", "ol", "li", "blockquote"})
MAX_SCANNED = 400


def _key(text: str) -> str:
    return " ".join(_words(text))


def text_before_body(tree, headline, first_body_line: str, is_noise) -> list[str]:
    """Substantial blocks printed between the headline and the first body paragraph that the body extractor left
    out: a sapo whose class name we do not know, an intro box. Furniture, link lists and date lines are skipped;
    nothing is returned if the first body paragraph cannot be located (then we cannot say what lies before it)."""
    if headline is None or not first_body_line:
        return []
    target = _key(first_body_line)[:80]
    total = page_text_length(tree)
    passed, scanned = False, 0
    found: list[str] = []
    for element in tree.iter():
        if element is headline:
            passed = True
            continue
        if not passed or not isinstance(element.tag, str) or element.tag not in _LEAF_BLOCKS:
            continue
        if headline in element.iterancestors():
            continue
        scanned += 1
        if scanned > MAX_SCANNED:
            return []
        if any(isinstance(d.tag, str) and d.tag in _INNER_BLOCKS for d in element.iterdescendants()):
            continue
        text = normalize_inline(element.text_content())
        key = _key(text)
        if key and (key.startswith(target) or (len(key) >= 40 and target.startswith(key[:80]))):
            return found
        if not (60 <= len(text) <= MAX_LEAD_CHARS) or is_noise(text) or in_furniture(element, total):
            continue
        links = sum(len(a.text_content()) for a in element.iter("a"))
        if links > 0.3 * len(text) or any(text in earlier or earlier in text for earlier in found):
            continue
        found.append(text)
    return []
