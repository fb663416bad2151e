"""Bytes to an lxml tree that never raises: right charset, bounded size, tolerant parsing.

Vietnamese sites declare the wrong charset (an ISO-8859-1 header over UTF-8 bytes is common on old ASP.NET servers),
so a body that is valid UTF-8 is read as UTF-8 whatever is declared; otherwise the declarations are tried in order.
"""

from __future__ import annotations

import codecs
import re

from lxml import etree
from lxml import html as lxml_html

MAX_PARSE_CHARS = 1_000_000
MAX_DECODE_BYTES = 8_000_000
_NON_CONTENT = re.compile(
    r"<script\b[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>|<!--.*?-->|"
    r"data:[a-z]+/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=]{200,}",
    re.IGNORECASE | re.DOTALL,
)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_LATIN_ALIASES = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252", "iso8859-1"}


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def declared_charsets(data: bytes, headers_charset: str | None = None) -> list[str]:
    """Charsets named by the HTTP header, a <meta> tag or an XML declaration, in that order (known codecs only)."""
    head = data[:4096]
    names = [headers_charset]
    names += [m.group(1).decode("ascii", "ignore") for m in _META_CHARSET.finditer(head)]
    names += [m.group(1).decode("ascii", "ignore") for m in _XML_ENCODING.finditer(head)]
    result: list[str] = []
    for name in names:
        codec = _codec(name)
        if codec and codec not in result:
            result.append(codec)
    return result


def decode_html(data: bytes, *, encoding: str | None = None, headers_charset: str | None = None) -> str:
    """The page as text. An explicit `encoding` wins; then a BOM; then valid UTF-8; then declared charsets; then
    Windows-1258/1252 with replacement, so a page is never lost to a decoding error."""
    if not data:
        return ""
    forced = _codec(encoding)
    if forced:
        return data.decode(forced, errors="replace")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    sample = data[:MAX_DECODE_BYTES]
    try:
        return sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start > len(sample) - 4 and len(sample) < len(data):
            return sample[: exc.start].decode("utf-8")
        mostly_utf8 = _valid_utf8_share(sample) > 0.995
    if mostly_utf8:
        return sample.decode("utf-8", errors="replace")
    for codec in declared_charsets(data, headers_charset):
        if codec == "utf-8":
            continue
        try:
            return sample.decode(codec)
        except UnicodeDecodeError:
            continue
    return sample.decode(
        "cp1258" if not set(declared_charsets(data, headers_charset)) & _LATIN_ALIASES else "cp1252", errors="replace"
    )


def _valid_utf8_share(data: bytes) -> float:
    """Share of non-ASCII bytes that belong to valid UTF-8 sequences (a few broken bytes in a UTF-8 page)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    high = sum(1 for byte in data if byte >= 0x80)
    return 1.0 if high == 0 else 1.0 - (bad / high)


def _keep_json_ld(match: re.Match[str]) -> str:
    """Scripts go before truncation (inlined JS bloats pages), except JSON-LD, which carries the article's metadata."""
    return match.group(0) if "ld+json" in match.group(0)[:120].lower() else ""


def parse_html(page: str | bytes, *, encoding: str | None = None, headers_charset: str | None = None):
    """An lxml HTML document for the page (truncated beyond MAX_PARSE_CHARS), or None when there is nothing to parse."""
    text = decode_html(page, encoding=encoding, headers_charset=headers_charset) if isinstance(page, bytes) else page
    if not text or not text.strip():
        return None
    if len(text) > MAX_PARSE_CHARS:
        text = _NON_CONTENT.sub(_keep_json_ld, text[: MAX_PARSE_CHARS * 4])[:MAX_PARSE_CHARS]
    text = text.replace("\x00", "")
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        tree = lxml_html.document_fromstring(text, parser=lxml_html.HTMLParser(remove_comments=True, recover=True))
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return None
    return tree
