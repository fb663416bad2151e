"""Attached documents of notices: schools publish admission notices as a PDF (or a Word file) under a one-line page.
The document's text is what the notice says, so it is read here and classified with the page."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from urllib.parse import urlsplit

from lxml import etree

from gdnn_monitor.core.textnorm import normalize_text

logger = logging.getLogger(__name__)
DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx")
READABLE_EXTENSIONS = (".pdf", ".docx")
MAX_DOCUMENT_PAGES = 30  # an admission notice is a few pages; a 300-page plan is not read whole
MAX_DOCUMENT_CHARS = 20_000
_WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def document_kind(url: str, content_type: str = "") -> str | None:
    """'pdf', 'docx' or 'doc' for a link to a document (by its path, or by the server's Content-Type)."""
    path = urlsplit(url).path.lower()
    for extension in DOCUMENT_EXTENSIONS:
        if path.endswith(extension):
            return extension[1:]
    content_type = content_type.lower()
    if "pdf" in content_type:
        return "pdf"
    if "wordprocessingml" in content_type:
        return "docx"
    if "msword" in content_type:
        return "doc"
    return None


def is_document_link(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(DOCUMENT_EXTENSIONS)


def document_text(body: bytes, kind: str) -> str:
    """The document's text, normalised; '' when it cannot be read (a scanned PDF has no text layer, an old .doc is
    binary) — the notice is kept either way, with its link."""
    try:
        if kind == "pdf" or body.startswith(b"%PDF"):
            return _pdf_text(body)
        if kind == "docx" or body.startswith(b"PK"):
            return _docx_text(body)
    except Exception as exc:  # a damaged or encrypted document: the notice stands without its text
        logger.info("could not read the attached %s: %s: %s", kind, type(exc).__name__, exc)
    return ""


def _pdf_text(body: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    if reader.is_encrypted:
        reader.decrypt("")
    parts = []
    for page in reader.pages[:MAX_DOCUMENT_PAGES]:
        parts.append(page.extract_text() or "")
        if sum(len(part) for part in parts) > MAX_DOCUMENT_CHARS:
            break
    return _tidy("\n".join(parts))


def _docx_text(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        xml = archive.read("word/document.xml")
    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    paragraphs = [
        "".join(node.text or "" for node in paragraph.iter(f"{_WORD_NS}t")) for paragraph in root.iter(f"{_WORD_NS}p")
    ]
    return _tidy("\n".join(paragraphs))


def _tidy(text: str) -> str:
    """PDF text layers space words out ('Căn  cứ  Luật'); one space between words, one line per line."""
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return normalize_text("\n".join(line for line in lines if line))[:MAX_DOCUMENT_CHARS]
