"""Scale-out: several crawler processes (on several machines) share one crawl frontier and one duplicate filter in
Redis through scrapy-redis, and write to one PostgreSQL database.

One distributed crawl has its own Redis namespace `<prefix>:frontier:<crawl id>` (request queue, duplicate filter,
the crawl's job, the workers' liveness), so yesterday's duplicate filter never hides today's listing pages. The
process that starts a crawl (`gdnn-monitor crawl`, the scheduler) publishes the namespace as current; `gdnn-monitor
crawl --worker` waits for a current crawl and joins it. Every process fetches the few start URLs itself (they are
`dont_filter` requests); every other request goes through the shared queue and filter, so each article is fetched by
one worker only. A worker stops when the shared queue is empty and every live worker is idle.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gdnn_monitor.core.errors import ConfigError
from gdnn_monitor.core.settings import Settings, get_settings

logger = logging.getLogger(__name__)

CRAWL_TTL_SECONDS = 2 * 24 * 3600
ALIVE_TTL_SECONDS = 30
HEARTBEAT_SECONDS = 5.0
WORKER_TRIGGER = "worker"


def distributed_enabled(settings: Settings | None = None) -> bool:
    """Scale-out is on when Redis is configured and the database can be shared between machines (PostgreSQL)."""
    settings = settings or get_settings()
    return bool(settings.redis_url) and settings.database_url.startswith("postgresql")


def redis_client(settings: Settings | None = None):
    import redis

    settings = settings or get_settings()
    if not settings.redis_url:
        raise ConfigError("a distributed crawl needs GDNN_REDIS_URL (example: redis://127.0.0.1:6379/0)")
    return redis.Redis.from_url(settings.redis_url, decode_responses=True, socket_timeout=30, socket_connect_timeout=10)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Frontier:
    """Key names of one distributed crawl."""

    prefix: str
    crawl_id: str

    @staticmethod
    def current_key(prefix: str) -> str:
        return f"{prefix}:frontier:current"

    @property
    def namespace(self) -> str:
        return f"{self.prefix}:frontier:{self.crawl_id}"

    @property
    def queue_key(self) -> str:
        return f"{self.namespace}:requests"

    @property
    def dupefilter_key(self) -> str:
        return f"{self.namespace}:dupefilter"

    @property
    def job_key(self) -> str:
        return f"{self.namespace}:job"

    @property
    def workers_key(self) -> str:
        return f"{self.namespace}:workers"

    def alive_key(self, worker: str) -> str:
        return f"{self.namespace}:alive:{worker}"

    def idle_key(self, worker: str) -> str:
        return f"{self.namespace}:idle:{worker}"


def open_crawl(client, prefix: str, job: dict[str, Any]) -> Frontier:
    """Start a new distributed crawl: its job (sources, since) is stored and it becomes the one workers join."""
    frontier = Frontier(prefix, f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:8]}")
    client.set(frontier.job_key, json.dumps(job), ex=CRAWL_TTL_SECONDS)
    client.set(Frontier.current_key(prefix), frontier.crawl_id, ex=CRAWL_TTL_SECONDS)
    logger.info("distributed crawl %s opened in Redis namespace %s", frontier.crawl_id, frontier.namespace)
    return frontier


def current_crawl(client, prefix: str) -> Frontier | None:
    crawl_id = client.get(Frontier.current_key(prefix))
    return Frontier(prefix, crawl_id) if crawl_id else None


def crawl_job(client, frontier: Frontier) -> dict[str, Any] | None:
    raw = client.get(frontier.job_key)
    return json.loads(raw) if raw else None


def wait_for_crawl(client, prefix: str, timeout: float, poll: float = 1.0) -> Frontier | None:
    """The current crawl, waiting up to `timeout` seconds for one to start (0: do not wait)."""
    deadline = time.monotonic() + timeout
    while True:
        frontier = current_crawl(client, prefix)
        if frontier is not None and crawl_job(client, frontier) is not None:
            return frontier
        if time.monotonic() >= deadline:
            return None
        time.sleep(min(poll, max(deadline - time.monotonic(), 0.01)))


def close_crawl(client, frontier: Frontier) -> None:
    """Forget a finished crawl: it stops being current and its keys are deleted."""
    pipe = client.pipeline()
    pipe.watch(Frontier.current_key(frontier.prefix))
    if pipe.get(Frontier.current_key(frontier.prefix)) == frontier.crawl_id:
        pipe.multi()
        pipe.delete(Frontier.current_key(frontier.prefix))
        pipe.execute()
    pipe.reset()
    keys = list(client.scan_iter(match=f"{frontier.namespace}:*", count=500))
    if keys:
        client.delete(*keys)
    logger.info("distributed crawl %s closed", frontier.crawl_id)


def frontier_overrides(settings: Settings) -> dict[str, Any]:
    """Scrapy settings that point scrapy-redis at the current crawl's namespace and keep a worker alive until the
    whole crawl is done. Read inside the crawler child, after the crawl was opened or joined."""
    frontier = current_crawl(redis_client(settings), settings.redis_prefix)
    if frontier is None:
        raise ConfigError("no distributed crawl is open in Redis (start one with `gdnn-monitor crawl`)")
    return {
        "SCHEDULER_QUEUE_KEY": frontier.queue_key,
        "SCHEDULER_DUPEFILTER_KEY": frontier.dupefilter_key,
        "SCHEDULER_PERSIST": True,
        "SCHEDULER": "crawlers.engine.distributed.SharedFrontierScheduler",
        "GDNN_FRONTIER_PREFIX": frontier.prefix,
        "GDNN_FRONTIER_CRAWL": frontier.crawl_id,
    }


def _scrapy_redis_scheduler():
    from scrapy_redis.scheduler import Scheduler

    return Scheduler


class WorkerCoordination:
    """Keeps a worker's spider open while other workers may still add requests, and lets it close once the shared
    queue is empty and every live worker is idle; a worker that died (no heartbeat) is not waited for."""

    def __init__(self, crawler, frontier: Frontier, client) -> None:
        from scrapy import signals

        self.crawler, self.frontier, self.client = crawler, frontier, client
        self.worker = worker_id()
        self.idle = False
        self.heartbeat_loop: Any = None  # a twisted LoopingCall once the spider opened
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.busy, signal=signals.request_reached_downloader)

    @classmethod
    def from_crawler(cls, crawler) -> WorkerCoordination:
        import redis

        crawl_id = crawler.settings.get("GDNN_FRONTIER_CRAWL")
        if not crawl_id:
            raise ConfigError(
                "SharedFrontierScheduler needs the settings from crawlers.engine.distributed.frontier_overrides"
            )
        client = redis.Redis.from_url(crawler.settings.get("REDIS_URL"), decode_responses=True, socket_timeout=30)
        return cls(crawler, Frontier(crawler.settings.get("GDNN_FRONTIER_PREFIX"), crawl_id), client)

    def spider_opened(self, spider) -> None:
        from twisted.internet import task

        self.client.sadd(self.frontier.workers_key, self.worker)
        self.client.expire(self.frontier.workers_key, CRAWL_TTL_SECONDS)
        self.heartbeat_loop = task.LoopingCall(self.heartbeat)
        self.heartbeat_loop.start(HEARTBEAT_SECONDS, now=True)
        logger.info("worker %s joined distributed crawl %s", self.worker, self.frontier.crawl_id)

    def heartbeat(self) -> None:
        try:
            self.client.set(self.frontier.alive_key(self.worker), "1", ex=ALIVE_TTL_SECONDS)
            if self.idle:
                self.client.set(self.frontier.idle_key(self.worker), "1", ex=ALIVE_TTL_SECONDS)
        except Exception as exc:  # Redis hiccup: the next beat tries again
            logger.warning("heartbeat to Redis failed: %s", exc)

    def busy(self, request, spider) -> None:
        if self.idle:
            self.idle = False
            self.client.delete(self.frontier.idle_key(self.worker))

    def crawl_finished(self) -> bool:
        """No request waiting in the shared queue and no live worker working."""
        if self.client.zcard(self.frontier.queue_key) > 0:
            return False
        for worker in self.client.smembers(self.frontier.workers_key):
            if not self.client.exists(self.frontier.alive_key(worker)):
                self.client.srem(self.frontier.workers_key, worker)
                continue
            if not self.client.exists(self.frontier.idle_key(worker)):
                return False
        return True

    def spider_idle(self, spider) -> None:
        from scrapy.exceptions import DontCloseSpider

        self.idle = True
        self.client.set(self.frontier.idle_key(self.worker), "1", ex=ALIVE_TTL_SECONDS)
        if not self.crawl_finished():
            raise DontCloseSpider

    def spider_closed(self, spider, reason: str) -> None:
        if self.heartbeat_loop is not None and self.heartbeat_loop.running:
            self.heartbeat_loop.stop()
        self.client.srem(self.frontier.workers_key, self.worker)
        self.client.delete(self.frontier.alive_key(self.worker), self.frontier.idle_key(self.worker))
        logger.info("worker %s left distributed crawl %s (%s)", self.worker, self.frontier.crawl_id, reason)


class SharedFrontierScheduler(_scrapy_redis_scheduler()):
    """scrapy-redis's scheduler (shared queue and duplicate filter), plus the coordination that tells a worker when
    the whole distributed crawl — not just its own share — is finished.

    A source's start URLs (requests marked `root`) stay in this worker's own queue: every worker fetches them, so each
    worker's per-source health (were the feeds, sitemaps, listings reachable?) is about what it fetched itself.
    Everything found from them (articles, next listing pages) goes through the shared queue and filter."""

    @classmethod
    def from_crawler(cls, crawler):
        instance = super().from_crawler(crawler)
        instance.coordination = WorkerCoordination.from_crawler(crawler)
        instance.local_roots = deque()
        instance.stats = None  # scrapy-redis 0.9 counts with a call Scrapy 2.13+ deprecates; Scrapy's own stats stay
        return instance

    def __len__(self) -> int:
        return len(self.local_roots) + super().__len__()

    def enqueue_request(self, request) -> bool:
        if request.meta.get("root"):
            self.local_roots.append(request)
            return True
        return super().enqueue_request(request)

    def next_request(self):
        if self.local_roots:
            return self.local_roots.popleft()
        return super().next_request()

    def has_pending_requests(self) -> bool:
        return bool(self.local_roots) or super().has_pending_requests()


CrawlFunction = Callable[..., Any]


def run_distributed_crawl(
    source_ids: list[str] | tuple[str, ...] | None = None,
    since: Any = None,
    trigger: str = "cli",
    progress: Any = None,
    *,
    crawl: CrawlFunction,
) -> Any:
    """Start a distributed crawl that workers can join, take part in it through `crawl` (the engine's run_crawl or
    the pipeline's, which also classifies), and clean it up when it is done."""
    settings = get_settings()
    client = redis_client(settings)
    job = {"source_ids": list(source_ids) if source_ids else None, "since": str(since) if since else None}
    frontier = open_crawl(client, settings.redis_prefix, job)
    try:
        return crawl(source_ids=source_ids, since=since, trigger=trigger, progress=progress, distributed=True)
    finally:
        close_crawl(client, frontier)


def join_crawl(wait_seconds: float = 3600, progress: Any = None, *, crawl: CrawlFunction) -> Any | None:
    """`crawl --worker`: wait for a distributed crawl to start, take part in it until it is done; None if none came."""
    settings = get_settings()
    if not distributed_enabled(settings):
        raise ConfigError(
            "a crawl worker needs GDNN_REDIS_URL and a PostgreSQL GDNN_DATABASE_URL shared by all workers"
        )
    client = redis_client(settings)
    frontier = wait_for_crawl(client, settings.redis_prefix, wait_seconds)
    if frontier is None:
        return None
    job = crawl_job(client, frontier) or {}
    logger.info("joining distributed crawl %s", frontier.crawl_id)
    return crawl(
        source_ids=job.get("source_ids"),
        since=job.get("since"),
        trigger=WORKER_TRIGGER,
        progress=progress,
        distributed=True,
    )
