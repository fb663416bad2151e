"""Story assignment speed with 100,000 stored items, and near-duplicate recall / false merges on real articles.

Run: python bench/bench_dedup.py [--stored 100000] [--database-url URL]
Real texts come from ../shared/data/raw/vntc_10topics (skipped when absent): each original is stored, then a
"portal repost" (intro line + 'Nguồn: Báo …' + a retouched title) and an unrelated article are assigned.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from crawlers.identity.dedup import assign_story_id, new_story_id  # noqa: E402
from store.db import get_engine  # noqa: E402
from store.models import Item, Source  # noqa: E402

VNTC = ROOT.parent / "shared" / "data" / "raw" / "vntc_10topics" / "vntc_subset.jsonl"
START = datetime(2024, 1, 1, tzinfo=UTC)


def fill(session: Session, count: int, rng: random.Random) -> None:
    """Stored items spread over a year, with random fingerprints (what matters for lookup cost is how many rows the
    ±30-day window and the simhash bands let through)."""
    session.add(Source(id="filler", name="filler", kind="newspaper"))
    session.add(Source(id="paper", name="paper", kind="newspaper"))
    session.add(Source(id="portal", name="portal", kind="portal"))
    session.flush()
    rows = []
    for index in range(count):
        fingerprint = f"{rng.getrandbits(64):016x}"
        rows.append(
            {
                "url": f"https://filler.vn/{index}",
                "source_id": "filler",
                "title": f"Tin số {index}",
                "text": "Nội dung.",
                "published_at": START + timedelta(minutes=rng.randrange(365 * 24 * 60)),
                "fetched_at": START,
                "content_hash": f"{rng.getrandbits(256):064x}",
                "simhash": fingerprint,
                "story_id": f"s{index}",
                "origin": "crawl",
                "genre": "article",
                "language": "vi",
                "quantity": 1,
            }
        )
        if len(rows) == 5000:
            session.execute(insert(Item), rows)
            rows = []
    if rows:
        session.execute(insert(Item), rows)
    session.commit()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE item"))  # what autovacuum does after a bulk load; the planner needs it
        session.commit()


def real_articles(limit: int) -> list[dict]:
    if not VNTC.exists():
        return []
    documents = []
    with VNTC.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if 60 <= len(record["text"].split()) <= 1500 and 10 <= len(record["title"]) <= 200:
                documents.append(record)
            if len(documents) >= limit:
                break
    return documents


def timed_assign(session: Session, item: Item, timings: list[float]) -> str:
    started = time.perf_counter()
    story = assign_story_id(session, item)
    timings.append(time.perf_counter() - started)
    session.add(item)
    session.flush()
    return story


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        engine = get_engine(url)
        with Session(engine) as session:
            started = time.perf_counter()
            fill(session, args.stored, rng)
            print(
                f"stored {args.stored} items in {time.perf_counter() - started:.1f} s ({engine.url.get_backend_name()})"
            )
            documents = real_articles(args.pairs * 2)
            if not documents:
                print("real corpus not found: only timing filler lookups")
                documents = [
                    {"title": f"Bài {i}", "text": " ".join(f"từ{rng.randrange(5000)}" for _ in range(300))}
                    for i in range(args.pairs * 2)
                ]
            originals, unrelated = documents[: len(documents) // 2], documents[len(documents) // 2 :]
            timings: list[float] = []
            found = false_merges = 0
            for index, (original, other) in enumerate(zip(originals, unrelated)):
                when = START + timedelta(days=rng.randrange(300))
                first = Item(
                    url=f"https://paper.vn/{index}",
                    source_id="paper",
                    title=original["title"],
                    text=original["text"],
                    published_at=when,
                )
                story = timed_assign(session, first, timings)
                repost_text = (
                    "(GDNN) - Cổng thông tin giới thiệu bài viết của báo bạn.\n"
                    + original["text"]
                    + "\nNguồn: Báo Lạng Sơn"
                )
                repost = Item(
                    url=f"https://portal.vn/{index}",
                    source_id="portal",
                    title=original["title"] + " (tin bài)",
                    text=repost_text,
                    published_at=when + timedelta(days=2),
                )
                found += timed_assign(session, repost, timings) == story
                stranger = Item(
                    url=f"https://portal.vn/other-{index}",
                    source_id="portal",
                    title=other["title"],
                    text=other["text"],
                    published_at=when + timedelta(days=1),
                )
                stranger_story = timed_assign(session, stranger, timings)
                false_merges += stranger_story != new_story_id(stranger.content_hash)
            session.rollback()
        pairs = len(originals)
        print(f"repost joined the original's story: {found}/{pairs} ({100 * found / max(pairs, 1):.1f} %)")
        print(f"unrelated article merged into another story: {false_merges}/{pairs}")
        print(
            f"assign_story_id: median {1000 * statistics.median(timings):.1f} ms, "
            f"p95 {1000 * sorted(timings)[int(0.95 * len(timings))]:.1f} ms over {len(timings)} calls"
        )


if __name__ == "__main__":
    main()
