"""Notices and briefs: a page with a headline and a publication time whose body is one short paragraph, a scanned
image or an attached PDF/DOC is an item (schools publish admission notices exactly so). Error pages and soft 404s
("không tồn tại", "đã bị xóa") are not, nor is a short page without a date or a headline."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import parse_qsl, urljoin, urlsplit

from crawlers.extract.attachments import is_document_link
from crawlers.extract.boilerplate import in_furniture, page_text_length

MIN_BRIEF_CHARS = 40  # one real sentence ("Trường thông báo lịch nhập học khóa 2026 như sau…"), not a caption
_SOFT_404 = re.compile(
    r"không tồn tại|đã bị xóa|đã bị xoá|đã bị gỡ|không còn tồn tại|không tìm thấy|không tìm được trang|"
    r"trang bạn (?:tìm|yêu cầu)|bài viết không còn|nội dung (?:này )?không còn|đường dẫn không (?:đúng|hợp lệ)|"
    r"lỗi 404|\b404\b|page not found|not found|access denied|truy cập bị từ chối|đã hết hạn|"
    r"\b(?:500|502|503)\b.*(?:error|lỗi)|internal server error|service unavailable",
    re.IGNORECASE,
)
_CONTENT_IMAGE_SKIP = re.compile(
    r"(?:^|[/_.\s-])(?:logo|icon|banner|avatar|qc|ads?|quangcao|spacer|pixel|loading|"
    r"share|facebook|zalo|twitter|print|rss)(?:[/_.\s-]|\d|$)",
    re.IGNORECASE,
)


def is_soft_404(title: str, text: str) -> bool:
    """An error page served with status 200: its headline (or its whole short text) says the page is gone."""
    if _SOFT_404.search(title or ""):
        return True
    return len(text or "") < 300 and bool(_SOFT_404.search(text or ""))


def attachment_link(container, page_url: str) -> str | None:
    """The first PDF/DOC the article area links to or embeds (a viewer iframe counts), outside page furniture."""
    total = page_text_length(container)
    for element in container.xpath(".//a[@href]|.//iframe[@src]|.//embed[@src]|.//object[@data]"):
        raw = element.get("href") or element.get("src") or element.get("data") or ""
        url = _document_url(urljoin(page_url, raw.strip()))
        if url and not in_furniture(element, total, stop=container):
            return url
    return None


def _document_url(url: str) -> str | None:
    """The document itself, also when wrapped in a viewer link (docs.google.com/viewer?url=…pdf, ?file=…pdf)."""
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    if is_document_link(url):
        return url
    for _key, value in parse_qsl(urlsplit(url).query):
        if value.startswith(("http://", "https://")) and is_document_link(value):
            return value
    return None


def content_images(container) -> int:
    """Pictures in the article area that are content (a scanned notice), not logos, icons or banners."""
    total = page_text_length(container)
    count = 0
    for image in container.xpath(".//img[@src or @data-src]"):
        source = f"{image.get('src') or image.get('data-src') or ''} {image.get('class') or ''}"
        if _CONTENT_IMAGE_SKIP.search(source) or in_furniture(image, total, stop=container):
            continue
        width = image.get("width") or ""
        if width.isdigit() and int(width) < 100:
            continue
        count += 1
    return count


def short_item_genre(
    title: str, text: str, headline, published: datetime | None, attachment: str | None, images: int
) -> str | None:
    """'notice' (a short page carrying a document or a picture), 'brief' (one short paragraph), or None when the
    page is not an item: no headline on the page, no publication time, an error page, or no text at all."""
    if headline is None or published is None or is_soft_404(title, text):
        return None
    if attachment or images:
        return "notice"
    if len(text) >= MIN_BRIEF_CHARS:
        return "brief"
    return None
