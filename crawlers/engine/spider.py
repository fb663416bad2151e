"""One spider for every selected source: it starts from each source's feeds, sitemaps and listing pages (or its
YouTube feed / Facebook page), follows only article links, and yields one extracted item per article.

Every request carries its source id in `meta`, so statistics, budgets and errors are kept per source and one
failing source never stops the others.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import FormRequest, Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawlers.discovery.feeds import parse_feed
from crawlers.discovery.links import (
    article_links,
    feed_links,
    is_article_url,
    pagination_links,
    postback_next_page,
    same_site,
    section_links,
)
from crawlers.discovery.sitemaps import newest_first, parse_sitemap, sitemap_body
from crawlers.discovery.social import GraphError, graph_posts_url, parse_graph_posts, youtube_video
from crawlers.engine.items import CrawledItem
from crawlers.engine.settings import source_hosts
from crawlers.engine.state import CrawlOptions, ListingPage, SourceStats, error_text
from crawlers.identity.urls import canonicalize_url, is_print_view, print_view_target
from store.registry import SourceConfig

logger = logging.getLogger(__name__)
# The Graph API is an API called with the page's token, not a crawl of facebook.com; its 4xx answers carry the reason.
GRAPH_META = {"dont_obey_robotstxt": True, "handle_httpstatus_list": [400, 401, 403, 404]}
Reporter = Callable[[dict[str, Any]], None]


class SourcesSpider(scrapy.Spider):
    name = "gdnn-sources"

    def __init__(
        self,
        sources: list[SourceConfig],
        options: CrawlOptions,
        reporter: Reporter | None = None,
        extract: Callable[..., Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.sources = {source.id: source for source in sources}
        self.hosts = {source.id: source_hosts(source) for source in sources}
        self.options = options
        self.reporter = reporter or (lambda event: None)
        self.extract = extract
        self.site_extractors: dict[str, Any] = {}
        self.stats_by_source = {source.id: SourceStats() for source in sources}
        self.requested_articles: set[str] = set()
        self.listings: dict[str, ListingPage] = {}
        self.listing_contents: set[tuple[str, frozenset[str]]] = set()
        self.feed_updates: dict[str, dict[str, Any]] = {}
        self.extract_seconds = 0.0
        self.extract_count = 0
        self.store_seconds = 0.0

    # ------------------------------------------------------------------ starting points
    async def start(self) -> AsyncIterator[Request]:
        for source in self.sources.values():
            if not self._resolve_extractor(source):
                continue
            for request in self.start_requests_for(source):
                yield request

    def _resolve_extractor(self, source: SourceConfig) -> bool:
        """A source's own extractor (its `extractor:` key); an unknown name fails that source, never the crawl."""
        if not source.extractor:
            return True
        from crawlers.extract.sites import UnknownExtractor, get_extractor

        try:
            self.site_extractors[source.id] = get_extractor(source.extractor)
        except UnknownExtractor as exc:
            self.stats_by_source[source.id].fatal = str(exc)
            self.record_error(source.id, str(exc))
            return False
        return True

    def start_requests_for(self, source: SourceConfig) -> Iterator[Request]:
        """The source's starting requests, built by its kind's entry in START_REQUESTS (web pages by default)."""
        build = START_REQUESTS.get(source.kind, SourcesSpider._web_start)
        yield from build(self, source)

    def _web_start(self, source: SourceConfig) -> Iterator[Request]:
        """Newspapers, TV stations, schools, portals: feeds, sitemaps, then listing pages (or the homepage)."""
        for url in source.feeds:
            yield self._request(source.id, url, self.parse_feed, "feed", root=True, conditional=True)
        for url in source.sitemaps:
            yield self._request(source.id, url, self.parse_sitemap, "sitemap", root=True)
        listings = list(source.listings) or (
            [source.homepage] if source.homepage and not (source.feeds or source.sitemaps) else []
        )
        for url in listings:
            yield self._request(source.id, url, self.parse_listing, "listing", root=True, depth=0)

    def _youtube_start(self, source: SourceConfig) -> Iterator[Request]:
        for url in ([source.youtube_feed] if source.youtube_feed else []) + list(source.feeds):
            yield self._request(source.id, url, self.parse_feed, "youtube", root=True, conditional=True)

    def _facebook_start(self, source: SourceConfig) -> Iterator[Request]:
        token = self.options.facebook_token
        if not token or not source.facebook_page_id:
            return
        url = graph_posts_url(self.options.facebook_graph_url, source.facebook_page_id)
        request = self._request(source.id, url, self.parse_graph, "facebook", root=True)
        request.headers["Authorization"] = f"Bearer {token}"
        request.meta.update(GRAPH_META)
        yield request

    def _budget_left(self, source_id: str) -> bool:
        source = self.sources[source_id]
        limit = source.max_pages or self.options.max_pages
        return self.stats_by_source[source_id].requested < limit

    def _request(
        self,
        source_id: str,
        url: str,
        callback: Callable,
        role: str,
        *,
        root: bool = False,
        conditional: bool = False,
        **meta: Any,
    ) -> Request:
        self.stats_by_source[source_id].requested += 1
        if root:
            self.stats_by_source[source_id].roots += 1
        headers = {}
        if conditional:
            state = self.options.feed_states.get(url) or {}
            if state.get("etag"):
                headers["If-None-Match"] = state["etag"]
            if state.get("last_modified"):
                headers["If-Modified-Since"] = state["last_modified"]
        return Request(
            url,
            callback=callback,
            errback=self.on_error,
            headers=headers,
            dont_filter=root,
            meta={
                "source": source_id,
                "role": role,
                "root": root,
                "handle_httpstatus_list": [304] if conditional else [],
                **meta,
            },
        )

    # ------------------------------------------------------------------ bookkeeping
    def _page_fetched(self, response: Response) -> SourceStats:
        source_id = response.meta["source"]
        stats = self.stats_by_source[source_id]
        stats.pages += 1
        stats.responded = True
        if response.meta.get("root"):
            stats.roots_ok += 1
        self.reporter({"type": "page", "source": source_id, "url": response.url})
        return stats

    def record_error(self, source_id: str, message: str) -> None:
        stats = self.stats_by_source[source_id]
        stats.errors += 1
        stats.last_error = message
        self.reporter({"type": "error", "source": source_id, "message": message})
        logger.warning("[%s] %s", source_id, message)

    def record_stored(self, source_id: str, created: bool, updated: bool) -> None:
        """Called by the store pipeline once the item is committed."""
        stats = self.stats_by_source[source_id]
        if created:
            stats.new_items += 1
        elif updated:
            stats.updated_items += 1
        self.reporter({"type": "item", "source": source_id, "new": created})

    def on_error(self, failure: Failure) -> Iterator[Request]:
        request = failure.request
        source_id = request.meta["source"]
        stats = self.stats_by_source[source_id]
        if isinstance(failure.value, IgnoreRequest) and "robots" in str(failure.value).lower():
            stats.blocked_by_robots += 1
            if request.meta.get("root"):
                self.record_error(source_id, f"robots.txt disallows {request.url}")
        else:
            if isinstance(failure.value, HttpError):
                stats.responded = True
            self.record_error(source_id, error_text(failure))
        yield from self._article_done(request.meta, fresh=None)

    # ------------------------------------------------------------------ feeds
    def parse_feed(self, response: Response) -> Iterator[Any]:
        source_id = response.meta["source"]
        self._page_fetched(response)
        if response.status == 304:
            return
        self._remember_feed_state(response)
        parsed = parse_feed(response.body, response.url, response.headers.get("Content-Type", b"").decode("latin-1"))
        if not parsed.entries and parsed.malformed:
            self.record_error(source_id, f"feed {response.url} unreadable: {parsed.malformed}")
            return
        since = self.options.since
        for entry in parsed.entries:
            if since and entry.published and entry.published < since:
                self.stats_by_source[source_id].older_skipped += 1
                continue
            if response.meta["role"] == "youtube":
                video = youtube_video(entry, self.sources[source_id].name)
                if canonicalize_url(video.url) in self.options.known:
                    self.stats_by_source[source_id].known_skipped += 1
                    continue
                yield self._social_item(source_id, video, "youtube")
                continue
            hint = {"title": entry.title, "published": entry.published, "summary": entry.summary}
            yield from self._article_request(source_id, entry.url, via="feed", hint=hint)

    def _remember_feed_state(self, response: Response) -> None:
        etag = response.headers.get("ETag")
        modified = response.headers.get("Last-Modified")
        if etag or modified:
            self.feed_updates[response.request.url] = {
                "source": response.meta["source"],
                "etag": etag.decode("latin-1") if etag else None,
                "last_modified": modified.decode("latin-1") if modified else None,
            }

    # ------------------------------------------------------------------ sitemaps
    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        source_id = response.meta["source"]
        self._page_fetched(response)
        body = sitemap_body(response.body, self.settings.getint("DOWNLOAD_MAXSIZE"))
        sitemap = parse_sitemap(body, self.options.tz)
        if not sitemap.entries:
            self.record_error(source_id, f"sitemap {response.url} has no entries")
            return
        since = self.options.since
        source = self.sources[source_id]
        for entry in newest_first(sitemap.entries):
            if since and entry.lastmod and entry.lastmod < since:
                self.stats_by_source[source_id].older_skipped += 1
                continue
            if sitemap.is_index:
                if self._budget_left(source_id):
                    yield self._request(source_id, entry.url, self.parse_sitemap, "sitemap")
                continue
            canonical = canonicalize_url(entry.url)
            if entry.title is None and not is_article_url(canonical, source):
                continue
            hint = {"title": entry.title, "published": entry.lastmod if entry.title else None, "summary": None}
            yield from self._article_request(source_id, canonical, via="sitemap", hint=hint)

    # ------------------------------------------------------------------ listings
    def parse_listing(self, response: Response) -> Iterator[Request]:
        source_id = response.meta["source"]
        self._page_fetched(response)
        source = self.sources[source_id]
        hosts = self.hosts[source_id] | {urlsplit(response.url).hostname or ""}
        depth = response.meta.get("depth", 0)
        max_depth = source.listing_depth if source.listing_depth is not None else self.options.listing_depth
        all_next_pages = [
            (link.url, max(depth + 1, (link.page or 0) - 1))
            for link in pagination_links(response.body, response.url, hosts)
        ]
        articles = article_links(response.body, response.url, source, hosts)
        # a site that answers any page number (or any post-back) with the same list would be walked for ever
        repeated = self._seen_listing_before(source_id, articles) and depth > 0
        if repeated:
            all_next_pages = []
        next_pages = [(url, link_depth) for url, link_depth in all_next_pages if link_depth <= max_depth]
        postback = None
        if not all_next_pages and not repeated:
            postback = self._postback_request(response, source_id, depth + 1)
        homepage = response.meta.get("root") and urlsplit(response.url).path in ("", "/")
        # Articles in hand first, then wider and deeper: when the page budget runs out, it is spent on articles.
        if not self.options.since or self.options.distributed:
            for url in articles:
                yield from self._article_request(source_id, url, via="listing")
            if homepage:
                yield from self._homepage_discovery(response, source, hosts)
            yield from self._listing_requests(source_id, next_pages)
            if postback is not None and depth + 1 <= max_depth and self._budget_left(source_id):
                self.stats_by_source[source_id].requested += 1
                yield postback
            return
        # With --since the walk goes one page at a time, so it can stop at the first page of old articles.
        nearest = sorted(all_next_pages, key=lambda pair: pair[1])[:1]
        page_key = response.meta.get("listing_key") or response.url
        page = ListingPage(
            pending=0, source_id=source_id, next_pages=nearest, max_depth=max_depth, next_postback=postback
        )
        self.listings[page_key] = page
        requests: list[Request] = []
        for url in articles:
            requests.extend(self._article_request(source_id, url, via="listing", page_key=page_key))
        page.pending = len(requests)
        yield from requests
        if homepage:
            yield from self._homepage_discovery(response, source, hosts)
        yield from self._release(page_key)

    def _seen_listing_before(self, source_id: str, articles: list[str]) -> bool:
        """True when another listing page of this source in this crawl listed exactly these articles."""
        if not articles:
            return False
        content = (source_id, frozenset(articles))
        if content in self.listing_contents:
            return True
        self.listing_contents.add(content)
        return False

    def _postback_request(self, response: Response, source_id: str, depth: int) -> Request | None:
        """The next page of an ASP.NET WebForms listing, fetched by posting its form back as the pager link would."""
        current = response.meta.get("postback_page", 1)
        link = postback_next_page(response.body, current)
        if link is None:
            return None
        try:
            request = FormRequest.from_response(
                response,
                formxpath="//form[.//input[@name='__VIEWSTATE']]",
                dont_click=True,
                formdata={"__EVENTTARGET": link.target, "__EVENTARGUMENT": link.argument},
                callback=self.parse_listing,
                errback=self.on_error,
                meta={
                    "source": source_id,
                    "role": "listing",
                    "root": False,
                    "depth": depth,
                    "postback_page": link.page,
                    "listing_key": f"{response.url}#trang-{link.page}",
                    "handle_httpstatus_list": [],
                },
            )
        except ValueError as exc:  # no usable form after all: the pager is not followed
            logger.info("[%s] pager of %s not followed: %s", source_id, response.url, exc)
            return None
        return request

    def _homepage_discovery(self, response: Response, source: SourceConfig, hosts: set[str]) -> Iterator[Request]:
        """From a homepage, also walk its sections and read the feeds it announces (when none is configured)."""
        for url in section_links(response.body, response.url, source, hosts):
            if self._budget_left(source.id):
                yield self._request(source.id, url, self.parse_listing, "listing", depth=0, section=True)
        if not source.feeds:
            for url in feed_links(response.body, response.url, hosts):
                yield self._request(source.id, url, self.parse_feed, "feed", conditional=True)

    def _listing_requests(self, source_id: str, pages: list[tuple[str, int]]) -> Iterator[Request]:
        for url, depth in pages:
            if self._budget_left(source_id):
                yield self._request(source_id, url, self.parse_listing, "listing", depth=depth)

    def _release(self, page_key: str) -> Iterator[Request]:
        """Follow a listing's next pages once all its articles are in, unless they all predate --since."""
        page = self.listings.get(page_key)
        if page is None or page.pending > 0:
            return
        del self.listings[page_key]
        if page.old and not page.fresh:
            logger.info("listing %s reached articles older than --since; not paging further", page_key)
            return
        yield from self._listing_requests(
            page.source_id, [(url, depth) for url, depth in page.next_pages if depth <= page.max_depth or page.fresh]
        )
        postback = page.next_postback
        if (
            postback is not None
            and (postback.meta["depth"] <= page.max_depth or page.fresh)
            and self._budget_left(page.source_id)
        ):
            self.stats_by_source[page.source_id].requested += 1
            yield postback

    def _article_done(self, meta: dict[str, Any], fresh: bool | None) -> Iterator[Request]:
        page_key = meta.get("page_key")
        page = self.listings.get(page_key) if page_key else None
        if page is None:
            return
        page.pending -= 1
        page.fresh = page.fresh or fresh is True
        page.old = page.old or fresh is False
        yield from self._release(page_key)

    def _is_fresh(self, published: datetime | None) -> bool | None:
        if self.options.since is None or published is None:
            return None
        return published >= self.options.since

    def _article_request(
        self, source_id: str, url: str, *, via: str, hint: dict | None = None, page_key: str | None = None
    ) -> Iterator[Request]:
        """A request for an article not yet stored nor requested in this crawl; known ones only inform --since."""
        canonical = canonicalize_url(url)
        page = self.listings.get(page_key) if page_key else None
        if canonical in self.options.known:
            self.stats_by_source[source_id].known_skipped += 1
            if page is not None:
                fresh = self._is_fresh(self.options.known[canonical])
                page.fresh = page.fresh or fresh is True
                page.old = page.old or fresh is False
            return
        if canonical in self.requested_articles or not self._budget_left(source_id):
            return
        self.requested_articles.add(canonical)
        meta: dict[str, Any] = {"via": via, "hint": hint or {}}
        if page is not None:
            meta["page_key"] = page_key
        yield self._request(source_id, canonical, self.parse_article, "article", **meta)

    # ------------------------------------------------------------------ articles
    def _extract(self, response: Response) -> Any:
        site = self.site_extractors.get(response.meta["source"])
        extract = site.extract if site is not None else self.extract
        if extract is None:
            from crawlers.extract.extraction import extract_article as extract
        charset = response.headers.get("Content-Type", b"").decode("latin-1")
        charset = charset.split("charset=", 1)[1].split(";")[0].strip() if "charset=" in charset else None
        started = time.perf_counter()
        try:
            return extract(response.body, response.url, headers_charset=charset, tz=self.options.tz)
        finally:
            self.extract_seconds += time.perf_counter() - started
            self.extract_count += 1

    def _stored_url(self, response: Response, extracted_url: str | None) -> str:
        """rel=canonical on the same site wins (it names the article behind redirects and aliases); a canonical on
        another site (a portal republishing a paper) must not merge the two placements."""
        own = canonicalize_url(response.url)
        if extracted_url and urlsplit(extracted_url).hostname and same_site(extracted_url, {urlsplit(own).hostname}):
            candidate = canonicalize_url(extracted_url)
            if not is_print_view(candidate):
                return candidate
        return own

    def parse_article(self, response: Response) -> Iterator[Any]:
        source_id = response.meta["source"]
        stats = self._page_fetched(response)
        try:
            article = self._extract(response)
        except Exception as exc:  # a page the extractor chokes on is one error, never the end of the crawl
            self.record_error(source_id, f"extraction failed for {response.url}: {type(exc).__name__}: {exc}")
            yield from self._article_done(response.meta, fresh=None)
            return
        if is_print_view(response.url):
            yield from self._follow_print_view(response, article)
            yield from self._article_done(response.meta, fresh=None)
            return
        if article is None or not article.title:
            stats.not_articles += 1
            yield from self._article_done(response.meta, fresh=None)
            return
        hint = response.meta.get("hint") or {}
        published = article.published_at or hint.get("published")
        if published is not None and published.tzinfo is None:  # a page's local time without an offset
            published = published.replace(tzinfo=self.options.tz)
        fresh = self._is_fresh(published)
        yield from self._article_done(response.meta, fresh=fresh)
        if fresh is False:
            stats.older_skipped += 1
            return
        url = self._stored_url(response, article.url)
        if url != canonicalize_url(response.request.url) and url in self.options.known:
            stats.known_skipped += 1
            return
        yield CrawledItem(
            source_id=source_id,
            url=url,
            title=article.title,
            text=article.text or "",
            channel=self.sources[source_id].channel,
            summary=article.summary or hint.get("summary") or None,
            published_at=published,
            author=article.author,
            genre=article.genre or "article",
            language=article.language or "vi",
            discovered_via=response.meta.get("via", "listing"),
            fetched_url=response.url,
        )

    def _follow_print_view(self, response: Response, article: Any) -> Iterator[Request]:
        """A print view is never stored: fetch the article it stands for instead."""
        source_id = response.meta["source"]
        target = getattr(article, "url", None) if article is not None else None
        if not target or is_print_view(target):
            target = print_view_target(response.url)
        if target and not is_print_view(target):
            yield from self._article_request(
                source_id, target, via=response.meta.get("via", "listing"), hint=response.meta.get("hint")
            )

    # ------------------------------------------------------------------ social
    def _social_item(self, source_id: str, post: Any, via: str) -> CrawledItem:
        return CrawledItem(
            source_id=source_id,
            url=canonicalize_url(post.url),
            title=post.title,
            text=post.text,
            channel=self.sources[source_id].channel,
            summary=None,
            published_at=post.published,
            author=post.author,
            genre=post.genre,
            discovered_via=via,
            fetched_url=post.url,
        )

    def parse_graph(self, response: Response) -> Iterator[Any]:
        source_id = response.meta["source"]
        self._page_fetched(response)
        try:
            posts, next_url = parse_graph_posts(response.body, self.sources[source_id].facebook_page_id or "")
            if response.status != 200:
                raise GraphError(f"Graph API answered HTTP {response.status}")
        except (GraphError, ValueError) as exc:
            self.stats_by_source[source_id].fatal = str(exc)
            self.record_error(source_id, str(exc))
            return
        since = self.options.since
        reached_old = False
        for post in posts:
            if since and post.published and post.published < since:
                self.stats_by_source[source_id].older_skipped += 1
                reached_old = True
                continue
            if canonicalize_url(post.url) in self.options.known:
                self.stats_by_source[source_id].known_skipped += 1
                continue
            yield self._social_item(source_id, post, "facebook")
        if next_url and not reached_old and self._budget_left(source_id):
            request = self._request(source_id, next_url, self.parse_graph, "facebook")
            request.headers["Authorization"] = response.request.headers.get("Authorization")
            request.meta.update(GRAPH_META)
            yield request


StartRequests = Callable[[SourcesSpider, SourceConfig], Iterator[Request]]
# A source's kind -> how its crawl starts; a kind not listed is crawled as web pages (SourcesSpider._web_start).
START_REQUESTS: dict[str, StartRequests] = {
    "youtube": SourcesSpider._youtube_start,
    "facebook": SourcesSpider._facebook_start,
}
