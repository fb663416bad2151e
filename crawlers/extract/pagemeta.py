"""What a page says about itself in <head> and JSON-LD: canonical URL, site name, titles, description, author."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from crawlers.extract.pubdate import json_ld_objects
from crawlers.identity.urls import canonicalize_url, is_print_view
from gdnn_monitor.core.textnorm import normalize_inline

_MULTI_LABEL_SUFFIXES = {
    "gov.vn",
    "com.vn",
    "edu.vn",
    "org.vn",
    "net.vn",
    "ac.vn",
    "info.vn",
    "int.vn",
    "health.vn",
    "name.vn",
    "pro.vn",
    "biz.vn",
    "co.uk",
    "com.au",
}
_ARTICLE_LD_TYPES = re.compile(r"article|posting|report|videoobject|webpage|creativework|imagegallery", re.IGNORECASE)


@dataclass
class PageMeta:
    """Head metadata of one page; every text already normalised."""

    og: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    json_ld: list[dict] = field(default_factory=list)
    html_title: str = ""
    canonical: str | None = None

    @property
    def site_name(self) -> str:
        return self.og.get("og:site_name") or self.names.get("application-name") or self._ld_publisher() or ""

    @property
    def og_type(self) -> str:
        return (self.og.get("og:type") or "").lower()

    @property
    def description(self) -> str:
        return (
            self.og.get("og:description")
            or self.names.get("description")
            or self.names.get("twitter:description")
            or self._ld_text("description")
        )

    def meta_titles(self) -> list[str]:
        """Titles the page declares, most specific first (they may carry a site-name suffix)."""
        titles = [
            self._ld_text("headline"),
            self.og.get("og:title", ""),
            self.names.get("twitter:title", ""),
            self.html_title,
        ]
        return [t for t in titles if t]

    def article_ld(self) -> list[dict]:
        found = []
        for obj in self.json_ld:
            kind = obj.get("@type")
            kind = " ".join(map(str, kind)) if isinstance(kind, list) else str(kind or "")
            if _ARTICLE_LD_TYPES.search(kind):
                found.append(obj)
        return found

    def _ld_text(self, key: str) -> str:
        for obj in self.article_ld():
            value = obj.get(key)
            if isinstance(value, str) and value.strip():
                return normalize_inline(value)
        return ""

    def _ld_publisher(self) -> str:
        for obj in self.article_ld():
            publisher = obj.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                return normalize_inline(publisher["name"])
        return ""

    def ld_author(self) -> str:
        for obj in self.article_ld():
            author = obj.get("author")
            names = []
            for person in author if isinstance(author, list) else [author]:
                if isinstance(person, dict) and isinstance(person.get("name"), str):
                    names.append(person["name"])
                elif isinstance(person, str):
                    names.append(person)
            names = [normalize_inline(n) for n in names if n and n.strip()]
            if names:
                return ", ".join(names)
        return ""

    def ld_types(self) -> set[str]:
        types: set[str] = set()
        for obj in self.json_ld:
            kind = obj.get("@type")
            for value in kind if isinstance(kind, list) else [kind]:
                if isinstance(value, str):
                    types.add(value.lower())
        return types


def read_meta(tree, url: str) -> PageMeta:
    """Collect OpenGraph/Twitter/name metas, JSON-LD objects, <title> and <link rel=canonical>."""
    meta = PageMeta()
    for element in tree.xpath("//meta[@content]"):
        content = normalize_inline(element.get("content"))
        prop = (element.get("property") or "").strip().lower()
        name = (element.get("name") or element.get("itemprop") or "").strip().lower()
        if prop and prop not in meta.og:
            meta.og[prop] = content
        if name and name not in meta.names:
            meta.names[name] = content
        if name.startswith("og:") and name not in meta.og:
            meta.og[name] = content
    meta.json_ld = json_ld_objects(tree)
    titles = tree.xpath("//title")
    meta.html_title = normalize_inline(titles[0].text_content()) if titles else ""
    links = tree.xpath(
        '//link[@href][contains(concat(" ", translate(@rel, "CANONIL", "canonil"), " "), " canonical ")]'
    )
    if links:
        meta.canonical = links[0].get("href")
    return meta


def registrable_domain(host: str) -> str:
    """example.com.vn / baolangson.vn: the part of the host a site owns (enough for same-site checks)."""
    labels = [label for label in (host or "").lower().strip(".").split(".") if label]
    if len(labels) >= 3 and ".".join(labels[-2:]) in _MULTI_LABEL_SUFFIXES:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def same_site(first: str, second: str) -> bool:
    """Both URLs belong to the same registrable domain (www./m. and subdomains count as the same site)."""
    try:
        a, b = urlsplit(first).hostname or "", urlsplit(second).hostname or ""
    except ValueError:
        return False
    return bool(a and b) and registrable_domain(a) == registrable_domain(b)


def canonical_url(meta: PageMeta, url: str) -> str:
    """rel=canonical, else og:url, when it points to an article page of the same site; else the fetched URL."""
    for candidate in (meta.canonical, meta.og.get("og:url")):
        if not candidate or not candidate.strip():
            continue
        try:
            absolute = urljoin(url, candidate.strip())
            path = urlsplit(absolute).path
        except ValueError:
            continue
        if not absolute.startswith(("http://", "https://")) or not same_site(absolute, url):
            continue
        if path in ("", "/") and urlsplit(url).path not in ("", "/"):
            continue  # a CMS that points every page's canonical at the homepage
        if is_print_view(absolute):
            continue
        return canonicalize_url(absolute)
    return canonicalize_url(url)
