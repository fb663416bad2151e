"""Politeness components plugged into Scrapy: retries with exponential backoff, and per-site minimum delays
(robots.txt Crawl-delay, a source's own download_delay) that AutoThrottle may never undercut."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

logger = logging.getLogger(__name__)


def backoff_delay(retry_times: int, base: float, cap: float) -> float:
    """base, 2·base, 4·base, … seconds before the n-th retry, capped."""
    return min(cap, base * (2 ** max(retry_times - 1, 0)))


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry of 5xx/timeouts, waiting longer before each new attempt so a struggling site can recover."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 0.5)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)

    async def _wait(self, retry: Request | None) -> None:
        if retry is None or self.backoff_base <= 0:
            return
        delay = backoff_delay(retry.meta.get("retry_times", 1), self.backoff_base, self.backoff_max)
        await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._wait(result)
        return result

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:  # type: ignore[override]
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._wait(result)
        return result


class CrawlDelayExtension:
    """Honours robots.txt Crawl-delay and per-source delays as a floor on the host's download slot.

    Scrapy parses robots.txt but does not apply Crawl-delay; AutoThrottle would also lower a slot's delay to the
    global minimum. We keep a floor per host and put it back after every response.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.floors: dict[str, float] = {
            host: float(slot.get("delay", 0.0)) for host, slot in crawler.settings.getdict("DOWNLOAD_SLOTS").items()
        }
        self.agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get("USER_AGENT")
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlDelayExtension:
        return cls(crawler)

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        delay = robotparser.crawl_delay(self.agent) if hasattr(robotparser, "crawl_delay") else None
        if not delay:
            return
        host = request.meta.get("download_slot") or _host(request.url)
        self.floors[host] = max(float(delay), self.floors.get(host, 0.0))
        logger.info("robots.txt of %s asks for Crawl-delay %.2fs", host, delay)
        downloader = self.crawler.engine.downloader
        downloader.per_slot_settings.setdefault(host, {}).update(
            {"delay": self.floors[host], "concurrency": 1, "jitter": 0}
        )
        slot = downloader.slots.get(host)
        if slot is not None:
            self._apply(slot, host)

    def response_downloaded(self, response: Response, request: Request) -> None:
        host = request.meta.get("download_slot")
        if host in self.floors:
            slot = self.crawler.engine.downloader.slots.get(host)
            if slot is not None:
                self._apply(slot, host)

    def _apply(self, slot: Any, host: str) -> None:
        slot.delay = max(slot.delay, self.floors[host])
        slot.jitter = 0
        if (
            host in self.crawler.engine.downloader.per_slot_settings
            and "concurrency" in self.crawler.engine.downloader.per_slot_settings[host]
        ):
            slot.concurrency = 1


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""
