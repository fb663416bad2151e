"""Scrapy settings derived from our one Settings object: politeness, limits, retries, and the frontier engine.

Everything a crawl needs to behave (robots.txt, delays, retries, sizes) is configured here, so no code path can
fetch around it. The frontier is Scrapy's own in-memory scheduler by default; `distributed=True` (with
GDNN_REDIS_URL set) swaps in scrapy-redis so several worker processes share one queue and one duplicate filter.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from gdnn_monitor import __version__
from gdnn_monitor.core.errors import ConfigError
from gdnn_monitor.core.settings import Settings
from store.registry import SourceConfig

RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_TIMES = 2
RETRY_BACKOFF_BASE = 0.5
RETRY_BACKOFF_MAX = 30.0


def user_agent(settings: Settings) -> str:
    """Identifies the crawler and where a webmaster can reach us (robots.txt rules match the 'gdnn-monitor' token)."""
    return f"gdnn-monitor/{__version__} (+{settings.user_agent_contact})"


def source_hosts(source: SourceConfig) -> set[str]:
    """Host names a source is fetched from (its download slots)."""
    urls = [source.homepage or "", *source.feeds, *source.sitemaps, *source.listings]
    return {urlsplit(url).hostname or "" for url in urls if url} - {""}


def per_site_slots(settings: Settings, sources: list[SourceConfig]) -> dict[str, dict[str, Any]]:
    """DOWNLOAD_SLOTS entries for sources that ask for their own delay (a slot is one host); the delay is a floor,
    so no random jitter below it."""
    slots: dict[str, dict[str, Any]] = {}
    for source in sources:
        if source.download_delay is None:
            continue
        for host in source_hosts(source):
            slots[host] = {"delay": max(source.download_delay, slots.get(host, {}).get("delay", 0.0)), "jitter": 0}
    return slots


def frontier_settings(settings: Settings, distributed: bool) -> dict[str, Any]:
    """Scheduler and duplicate filter: in-process by default, shared in Redis for several workers."""
    if not distributed:
        return {}
    if not settings.redis_url:
        raise ConfigError("a distributed crawl needs GDNN_REDIS_URL (example: redis://127.0.0.1:6379/0)")
    from crawlers.engine.distributed import (
        frontier_overrides,  # the crawl's own Redis namespace and worker coordination
    )

    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_IDLE_BEFORE_CLOSE": 5,
        "REDIS_URL": settings.redis_url,
        **frontier_overrides(settings),
    }


def scrapy_settings(
    settings: Settings, sources: list[SourceConfig], *, distributed: bool = False, log_level: str = "WARNING"
) -> dict[str, Any]:
    """The full Scrapy settings dict for one crawl of `sources`."""
    return {
        "BOT_NAME": "gdnn-monitor",
        "USER_AGENT": user_agent(settings),
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_USER_AGENT": "gdnn-monitor",
        "DOWNLOAD_DELAY": settings.download_delay,
        "DOWNLOAD_SLOTS": per_site_slots(settings, sources),
        "CONCURRENT_REQUESTS": settings.concurrent_requests * 2,
        "CONCURRENT_REQUESTS_PER_DOMAIN": settings.concurrent_requests,
        "DOWNLOAD_TIMEOUT": settings.page_timeout,
        "DOWNLOAD_MAXSIZE": settings.max_page_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": RETRY_TIMES,
        "RETRY_HTTP_CODES": RETRY_HTTP_CODES,
        "RETRY_BACKOFF_BASE": RETRY_BACKOFF_BASE,
        "RETRY_BACKOFF_MAX": RETRY_BACKOFF_MAX,
        "AUTOTHROTTLE_ENABLED": settings.download_delay > 0,
        "AUTOTHROTTLE_START_DELAY": max(settings.download_delay, 0.1),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 2.0,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": log_level,
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawlers.engine.middlewares.BackoffRetryMiddleware": 550,
        },
        "EXTENSIONS": {"crawlers.engine.middlewares.CrawlDelayExtension": 500},
        "ITEM_PIPELINES": {"crawlers.engine.pipelines.StorePipeline": 300},
        **frontier_settings(settings, distributed),
    }
