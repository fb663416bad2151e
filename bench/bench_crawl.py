"""Crawl throughput on a local farm of ≥ 1,000 pages: pages/s, ms/page of extraction, peak memory of the crawler.

    python bench/bench_crawl.py [--scale 9] [--delay 0]

Builds the test farm (five CMS families, YouTube feed, Graph API) scaled up, crawls it once with `run_crawl` into a
fresh SQLite database, and prints the numbers plus the collection quality against what the farm served. The farm's
servers run in this process, so on a small machine they compete with the crawler for CPU.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=9, help="multiplies the farm's article counts (9 → ~1,100 pages)")
    parser.add_argument("--delay", type=float, default=0.0, help="GDNN_DOWNLOAD_DELAY for the run")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    for key in [key for key in os.environ if key.startswith("GDNN_")]:
        del os.environ[key]
    os.environ.update(
        {
            "GDNN_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "GDNN_DATA_DIR": str(folder / "data"),
            "GDNN_DOWNLOAD_DELAY": str(args.delay),
            "GDNN_LISTING_DEPTH": "1000",
            "GDNN_MAX_PAGES_PER_SOURCE": "100000",
        }
    )
    from gdnn_monitor.demo.farm.sites import GraphApi
    from tests.crawlers.farm.build import build_sites, start_farm

    farm = start_farm(build_sites(scale=args.scale))
    os.environ["GDNN_SOURCES"] = str(farm.write_sources(folder / "sources.yaml", with_down=False))
    os.environ["GDNN_FACEBOOK_GRAPH_URL"] = farm.site(GraphApi.source_id).base + "/v19.0"
    os.environ["GDNN_FACEBOOK_TOKEN"] = GraphApi.TOKEN

    from sqlmodel import select

    from crawlers.engine.run import run_crawl
    from store.db import session_scope
    from store.models import Item
    from tests.crawlers.quality import compare

    started = time.perf_counter()
    summary = run_crawl(trigger="bench")  # the engine's crawl: no classification, as before
    seconds = time.perf_counter() - started
    requests = sum(len(site.hits) for site in farm.sites)
    with session_scope() as session:
        items = list(session.exec(select(Item)))
    quality = compare(items, farm.expected())
    farm.stop()

    print(f"farm: {len(farm.expected())} items served, {requests} HTTP requests answered (incl. robots.txt, retries)")
    print(
        f"crawl: {summary.pages} pages in {seconds:.1f} s wall (incl. ~2-3 s to spawn the crawler) "
        f"= {summary.pages / seconds:.1f} pages/s; crawler child alone {summary.seconds:.1f} s"
    )
    print(f"extraction: {summary.extract_ms_per_page:.1f} ms/page over {summary.extract_count} article pages")
    per_item_ms = 1000 * summary.store_seconds / max(summary.new_items, 1)
    print(f"storing (fingerprint, story id, upsert, commit): {per_item_ms:.1f} ms/item")
    print(f"peak memory (RSS) of the crawler process: {summary.peak_rss_bytes / 2**20:.0f} MiB")
    print(f"new items: {summary.new_items}, errors: {summary.errors}, exit code {summary.exit_code}")
    print("quality:", quality.line())


if __name__ == "__main__":
    main()
