"""A site extractor: XPath rules for one CMS family or site, applied on top of the generic extraction.

The generic extractor handles most Vietnamese CMSs; when a family prints its headline, sapo, body, date or author
somewhere the heuristics cannot be sure of, its rules say exactly where. A field a rule finds replaces the generic
one; a field without a rule (or whose rule finds nothing on a page) stays generic, so a redesign degrades to the
generic result instead of to nothing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, tzinfo

from crawlers.extract.extraction import ExtractedArticle, extract_article
from crawlers.extract.pagedecode import parse_html
from crawlers.extract.pubdate import parse_metadata_datetime, parse_vietnamese_datetime
from gdnn_monitor.core.textnorm import normalize_inline, normalize_text

BODY_BLOCKS = ".//p | .//li | .//h2 | .//h3 | .//h4 | .//figcaption | .//blockquote"


@dataclass(frozen=True)
class SiteExtractor:
    """Rules of one family, named by a source's `extractor:` key. Every rule is an XPath; `drop` removes elements
    (author lines, share bars) from the body before it is read."""

    name: str
    family: str
    title: str | None = None
    lead: str | None = None
    body: str | None = None
    published: str | None = None
    author: str | None = None
    drop: tuple[str, ...] = ()

    def rules(self) -> dict[str, str]:
        """The field rules this extractor sets (the fixture test checks each finds its element)."""
        fields = ("title", "lead", "body", "published", "author")
        return {field: rule for field in fields if (rule := getattr(self, field))}

    def extract(
        self, html: str | bytes, url: str, *, headers_charset: str | None = None, tz: tzinfo
    ) -> ExtractedArticle | None:
        generic = extract_article(html, url, headers_charset=headers_charset, tz=tz)
        tree = parse_html(html, headers_charset=headers_charset)
        if tree is None:
            return generic
        title = _first_text(tree, self.title)
        lead = _first_text(tree, self.lead)
        author = _first_text(tree, self.author)
        published = self._published(tree, tz)
        body = self._body_lines(tree)  # last: it drops elements (the author line) from the tree
        if generic is None and not (title and body):
            return None  # neither the rules nor the heuristics see an article here
        found = generic or ExtractedArticle(
            url=url, title="", summary=None, text="", published_at=None, author=None, genre="article"
        )
        text = normalize_text("\n".join(([lead] if lead else []) + body)) if body else found.text
        return dataclasses.replace(
            found,
            title=title or found.title,
            summary=lead or found.summary,
            text=text,
            published_at=published or found.published_at,
            author=author or found.author,
        )

    def _body_lines(self, tree) -> list[str]:
        if not self.body:
            return []
        containers = tree.xpath(self.body)
        if not containers:
            return []
        container = containers[0]
        for rule in self.drop:
            for element in container.xpath(rule):
                element.drop_tree()
        lines = [normalize_inline(block.text_content()) for block in container.xpath(BODY_BLOCKS)]
        return [line for line in lines if line]

    def _published(self, tree, tz: tzinfo) -> datetime | None:
        if not self.published:
            return None
        for element in tree.xpath(self.published):
            for attribute in ("datetime", "content"):
                found = parse_metadata_datetime(element.get(attribute), tz)
                if found:
                    return found.value
            when = parse_vietnamese_datetime(normalize_inline(element.text_content()), tz)
            if when:
                return when
        return None


def _first_text(tree, rule: str | None) -> str | None:
    if not rule:
        return None
    for element in tree.xpath(rule):
        text = normalize_inline(element if isinstance(element, str) else element.text_content())
        if text:
            return text
    return None
