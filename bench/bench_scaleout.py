"""Time a full crawl of a 2,000-article local farm with 1 and with 2 crawler processes sharing one scrapy-redis
frontier and one PostgreSQL database (needs the local PostgreSQL and Redis; creates and drops its own database).

    python bench/bench_scaleout.py [--articles 2000] [--delay 0.0] [--concurrency 8] [--repeat 1]

--delay adds a server response time per article page (a slow provincial site); with 0 the crawl is bound by the
crawler's own CPU (download handling, extraction, database writes), which is what a second process adds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pipeline.farm import Farm  # noqa: E402  (the same generated CMS-like site the tests use)

POSTGRES = os.environ.get("GDNN_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("GDNN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _database(action: str, name: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        if action == "create":
            connection.execute(f'CREATE DATABASE "{name}"')
        else:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _count_items(url: str) -> tuple[int, int]:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as connection:
        return connection.execute("SELECT count(*), count(DISTINCT url) FROM item").fetchone()


def crawl_with(workers: int, farm: Farm, sources: Path, concurrency: int, workdir: Path) -> dict:
    """One full crawl into a fresh database; returns wall time and what was stored."""
    name = f"gdnn_bench_{uuid.uuid4().hex[:10]}"
    _database("create", name)
    database_url = f"postgresql+psycopg://{POSTGRES.split('://', 1)[1].rsplit('/', 1)[0]}/{name}"
    env = os.environ | {
        "GDNN_DATABASE_URL": database_url,
        "GDNN_REDIS_URL": REDIS,
        "GDNN_REDIS_PREFIX": f"gdnn-bench-{name}",
        "GDNN_SOURCES": str(sources),
        "GDNN_DOWNLOAD_DELAY": "0",
        "GDNN_CONCURRENT_REQUESTS": str(concurrency),
        "GDNN_DATA_DIR": str(workdir / name),
        "PYTHONPATH": str(ROOT),
    }
    try:
        subprocess.run([sys.executable, "-c", "from store.db import get_engine; get_engine()"], env=env, check=True)
        farm.requests.clear()
        started = time.perf_counter()
        command = [sys.executable, "-m", "gdnn_monitor.cli", "crawl"]
        helpers = [
            subprocess.Popen(command + ["--worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(workers - 1)
        ]
        starter = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for helper in helpers:
            helper.wait()
        seconds = time.perf_counter() - started
        if starter.returncode != 0:
            raise SystemExit(f"crawl failed ({starter.returncode}): {starter.stderr[-2000:]}")
        stored, distinct = _count_items(database_url)
        fetched = farm.article_requests()
        return {
            "seconds": seconds,
            "stored": stored,
            "distinct": distinct,
            "fetched_twice": sum(1 for count in fetched.values() if count > 1),
            "pages": sum(farm.requests.values()),
        }
    finally:
        _database("drop", name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds per article page served")
    parser.add_argument("--concurrency", type=int, default=8, help="GDNN_CONCURRENT_REQUESTS of each process")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="rounds; each round runs every --workers count once")
    args = parser.parse_args()
    times: dict[int, list[float]] = {workers: [] for workers in args.workers}
    with (
        Farm(host="127.0.0.51", articles=args.articles, article_delay=args.delay) as farm,
        tempfile.TemporaryDirectory() as tmp,
    ):
        sources = Path(tmp) / "sources.yaml"
        sources.write_text(
            "sources:\n" + farm.source_yaml(listing_depth=args.articles, with_sitemap=True, with_feed=True),
            encoding="utf-8",
        )
        print(
            f"farm: {args.articles} articles + {farm.pages} listing pages, {args.delay:.3f} s per article page; "
            f"GDNN_CONCURRENT_REQUESTS={args.concurrency}; CPUs: {os.cpu_count()}",
            flush=True,
        )
        for round_number in range(args.repeat):
            order = args.workers if round_number % 2 == 0 else list(reversed(args.workers))
            for workers in order:
                result = crawl_with(workers, farm, sources, args.concurrency, Path(tmp))
                times[workers].append(result["seconds"])
                print(
                    f"{workers} worker(s): {result['seconds']:.1f} s for {result['pages']} requests, "
                    f"{result['stored']} items stored ({result['distinct']} distinct, "
                    f"{result['fetched_twice']} articles fetched twice)",
                    flush=True,
                )
    medians = {workers: statistics.median(values) for workers, values in times.items()}
    base = medians.get(1)
    for workers, median in medians.items():
        ratio = f", speed-up x{base / median:.2f} over 1 worker" if base else ""
        print(f"median over {len(times[workers])} run(s), {workers} worker(s): {median:.1f} s{ratio}")


if __name__ == "__main__":
    main()
