"""Who wrote an article: JSON-LD and meta authors, byline elements, "Tác giả: …" labels and the reporter's name
signed under the body; outlet names, dates and URLs printed where an author should be are not authors."""

from __future__ import annotations

import re
from datetime import UTC

from crawlers.extract.pagemeta import PageMeta
from crawlers.extract.pubdate import find_times_in_text, text_after_headline
from gdnn_monitor.core.textnorm import normalize_inline

_AUTHOR_PREFIX = re.compile(
    r"^(?:tác giả|bài và ảnh|bài, ảnh|bài|ảnh|người viết|theo|by|bởi|author|posted by|đăng bởi)\s*[:\-]?\s*",
    re.IGNORECASE,
)
_OUTLET = re.compile(
    r"^(?:báo|tạp chí|cổng thông tin|cổng ttđt|trang thông tin|trang tin|đài|tổng cục|cục|bộ|sở|ubnd|"
    r"ủy ban|ban biên tập|bbt|tòa soạn|toà soạn|website)\b",
    re.IGNORECASE,
)
_NOT_SIGNATURE_START = {"theo", "nguồn", "ảnh", "bài", "video", "clip", "tin", "xem", "phóng", "pv", "ctv"}


_AUTHOR_LABEL = re.compile(
    r"(?:tác giả|người viết|bài và ảnh|bài, ảnh|bài/ảnh|bài & ảnh|người đăng|đăng bởi|posted by|written by|"
    r"bút danh|phóng viên)\s*:\s*(?P<name>[^|\n•·;]{2,60})",
    re.IGNORECASE,
)


def labelled_author(text: str) -> str | None:
    """'Tác giả: Nguyễn Thu Hà' / 'Bài và ảnh: Minh Anh' anywhere in a byline or date line."""
    match = _AUTHOR_LABEL.search(text or "")
    return clean_author(match.group("name")) if match else None


def trailing_signature(lines: list[str]) -> str | None:
    """The reporter's name printed as the body's last line: 'Minh Anh', 'Lê Thị Hoa' (2-4 capitalised words) or
    'Tác giả: Nguyễn Thu Hà'."""
    if len(lines) < 2:
        return None
    if re.match(_AUTHOR_LABEL.pattern, lines[-1], re.IGNORECASE) and len(lines[-1]) <= 80:
        return labelled_author(lines[-1])
    words = normalize_inline(lines[-1]).split()
    if not 2 <= len(words) <= 4 or words[0].lower() in _NOT_SIGNATURE_START:
        return None
    if not all(re.fullmatch(r"\w[\w.]*", w) and w[0].isupper() and not any(c.isdigit() for c in w) for w in words):
        return None
    return clean_author(" ".join(words))


def find_author(tree, meta: PageMeta, headline=None) -> str | None:
    """Author from JSON-LD, meta author, a byline element (class author/tac-gia/byline), or a 'Tác giả: …' label in
    the lines under the headline. A site name given as author is not an author."""
    site = normalize_inline(meta.site_name).lower()
    candidates = [meta.ld_author(), meta.names.get("author", ""), meta.og.get("article:author", "")]
    for element in tree.xpath("//body//*[@class or @id or @itemprop]"):
        words = f"{element.get('class') or ''} {element.get('id') or ''} {element.get('itemprop') or ''}"
        if re.search(r"author|tac-?gia|tacgia|byline|writer|nguoi-?viet|butdanh|but-?danh", words, re.IGNORECASE):
            try:
                candidates.append(element.text_content())
            except ValueError:
                continue
    for candidate in candidates:
        name = labelled_author(candidate) or clean_author(candidate)
        if name and name.lower() != site and not (site and name.lower() in site):
            return name
    if headline is not None:
        return labelled_author(text_after_headline(headline, limit=400))
    return None


def clean_author(value: str | None) -> str | None:
    """'Tác giả: Minh Anh' -> 'Minh Anh'; URLs, dates, site names and long strings are not author names."""
    text = normalize_inline(value)
    text = _AUTHOR_PREFIX.sub("", text)
    text = text.strip(" -–|:,.()")
    if not text or len(text) > 60 or "://" in text or text.lower().startswith(("www.", "http")):
        return None
    if find_times_in_text(text, UTC) or len(text.split()) > 6 or re.search(r"\d{2,}", text):
        return None
    if re.match(r"^(?:admin|administrator|quản trị|quantri)$", text, re.IGNORECASE) or _OUTLET.match(text):
        return None
    return text
