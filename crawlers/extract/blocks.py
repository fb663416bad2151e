"""Visible text of an element as paragraphs: one line per block (p, div, li, h2, td, br ...), inline text joined."""

from __future__ import annotations

from gdnn_monitor.core.textnorm import normalize_inline

BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "section",
        "article",
        "header",
        "figure",
        "figcaption",
        "dl",
        "dt",
        "dd",
        "address",
        "center",
        "hr",
        "caption",
        "tbody",
        "thead",
        "main",
    }
)
_SKIP = frozenset({"script", "style", "noscript", "template", "select", "button", "svg"})


def paragraphs(element) -> list[str]:
    """The element's text split at block boundaries and <br>, each line normalised, empty lines dropped."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            line = normalize_inline("".join(current))
            if line:
                lines.append(line)
            current.clear()

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP or not tag:
            return
        block = tag in BLOCK_TAGS
        if block:
            flush()
        if tag == "br":
            flush()
        elif node.text:
            current.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if block:
            flush()

    walk(element)
    flush()
    return lines
