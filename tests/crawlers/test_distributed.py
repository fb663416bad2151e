"""Scale-out: two crawler processes share one scrapy-redis frontier and one PostgreSQL database; every article of the
farm is fetched once and stored exactly once, none missing."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import text

from gdnn_monitor.core.settings import get_settings
from store.db import get_engine, reset_engines
from tests.pipeline.conftest import write_sources
from tests.pipeline.farm import Farm

REDIS_URL = os.environ.get("GDNN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture
def redis_prefix():
    """A key prefix of our own on the local Redis, deleted afterwards; skip when no Redis answers."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({exc})")
    prefix = f"gdnn-test-{uuid.uuid4().hex[:10]}"
    yield prefix
    leftovers = list(client.scan_iter(match=f"{prefix}:*"))
    if leftovers:
        client.delete(*leftovers)
    assert leftovers == [], f"a finished crawl leaves nothing in Redis, found {leftovers}"


@pytest.fixture
def distributed_env(settings_env, postgres_url, redis_prefix, tmp_path, monkeypatch):
    farm = Farm(host="127.0.0.41", articles=150, article_delay=0.2).start()
    sources = write_sources(tmp_path, farm.source_yaml(listing_depth=20, with_sitemap=True, with_feed=True))
    for key, value in {
        "DATABASE_URL": postgres_url,
        "REDIS_URL": REDIS_URL,
        "REDIS_PREFIX": redis_prefix,
        "SOURCES": str(sources),
        "CONCURRENT_REQUESTS": "2",
    }.items():
        monkeypatch.setenv(f"GDNN_{key}", value)
    get_settings.cache_clear()
    reset_engines()
    get_engine()  # migrate once, before the workers start
    yield farm
    farm.stop()


def _cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gdnn_monitor.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


def test_two_workers_store_every_article_exactly_once(distributed_env):
    farm = distributed_env
    worker = _cli("crawl", "--worker")
    starter = _cli("crawl")
    starter_out, starter_err = starter.communicate(timeout=300)
    worker_out, worker_err = worker.communicate(timeout=300)
    assert starter.returncode == 0, starter_out + starter_err
    assert worker.returncode == 0, worker_out + worker_err

    with get_engine().connect() as connection:
        rows = connection.execute(text("SELECT url, source_id FROM item")).all()
        runs = dict(connection.execute(text("SELECT trigger, new_items FROM crawlrun")).all())
    urls = [url for url, _source in rows]
    assert len(urls) == len(set(urls)), "no article stored twice"
    assert set(urls) == farm.article_urls(), "no article missing"
    requests = farm.article_requests()
    assert set(requests.values()) == {1}, "each article fetched by one worker only"
    assert runs["cli"] > 0 and runs["worker"] > 0, f"both processes did part of the work: {runs}"
    assert runs["cli"] + runs["worker"] == farm.articles


def test_a_worker_without_a_crawl_to_join_says_so(distributed_env, monkeypatch):
    from crawlers.engine.distributed import join_crawl
    from crawlers.engine.run import run_crawl

    assert join_crawl(wait_seconds=0.5, crawl=run_crawl) is None


def test_a_worker_refuses_to_run_on_sqlite(settings_env, monkeypatch):
    from crawlers.engine.distributed import join_crawl
    from crawlers.engine.run import run_crawl
    from gdnn_monitor.core.errors import ConfigError

    monkeypatch.setenv("GDNN_REDIS_URL", REDIS_URL)
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match="PostgreSQL"):
        join_crawl(wait_seconds=0, crawl=run_crawl)


class _Signals:
    def connect(self, *args, **kwargs) -> None:
        pass


def test_the_crawl_ends_when_the_queue_is_empty_and_live_workers_are_idle_ignoring_dead_ones(redis_prefix):
    from types import SimpleNamespace

    import redis

    from crawlers.engine.distributed import Frontier, WorkerCoordination

    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    frontier = Frontier(redis_prefix, "crawl-1")
    me = WorkerCoordination(SimpleNamespace(signals=_Signals()), frontier, client)
    client.sadd(frontier.workers_key, me.worker, "other:1", "dead:2")
    client.set(frontier.alive_key(me.worker), "1")
    client.set(frontier.alive_key("other:1"), "1")
    client.set(frontier.idle_key(me.worker), "1")
    assert not me.crawl_finished(), "the other live worker is busy"
    client.set(frontier.idle_key("other:1"), "1")
    client.zadd(frontier.queue_key, {"request": 0})
    assert not me.crawl_finished(), "a request still waits in the shared queue"
    client.delete(frontier.queue_key)
    assert me.crawl_finished(), "the dead worker (no heartbeat) is not waited for"
    assert client.smembers(frontier.workers_key) == {me.worker, "other:1"}
    client.delete(*client.scan_iter(match=f"{redis_prefix}:*"))
