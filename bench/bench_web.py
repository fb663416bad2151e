"""Web-app speed with 100,000 items: median response time of the queue and dashboard pages (target < 200 ms) and
the time to export one month as XLSX (target < 5 s).

    python bench/bench_web.py [--items 100000] [--requests 40] [--database-url URL] [--folder DIR]

Uses a throw-away SQLite file in a temporary folder unless --database-url is given (its tables get filled!);
--folder keeps the SQLite file there and reuses it on the next run (filling takes about a minute).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gdnn_monitor.core.vocabulary import THEMES as VOCABULARY_THEMES

SOURCES = (
    [(f"bao-{i:02d}", "newspaper") for i in range(8)]
    + [(f"tv-{i:02d}", "tv") for i in range(3)]
    + [(f"truong-{i:02d}", "school") for i in range(6)]
    + [(f"cong-{i:02d}", "government") for i in range(4)]
)
THEMES = list(VOCABULARY_THEMES)
WORDS = (
    "giáo dục nghề nghiệp tuyển sinh trung cấp cao đẳng học nghề kỹ năng tay nghề doanh nghiệp "
    "lao động nông thôn trường hướng nghiệp tỉnh huyện xã hội nghị sản xuất nông nghiệp du lịch"
).split()


def _environment(args: argparse.Namespace, folder: Path) -> None:
    sources = folder / "sources.yaml"
    lines = ["sources:"]
    for source_id, kind in SOURCES:
        lines += [
            f"  - id: {source_id}",
            f"    name: Nguồn {source_id}",
            f"    kind: {kind}",
            f"    homepage: http://127.0.0.1:9/{source_id}",
        ]
    sources.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.environ["GDNN_DATABASE_URL"] = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["GDNN_DATA_DIR"] = str(folder / "data")
    os.environ["GDNN_SOURCES"] = str(sources)
    os.environ["GDNN_SECRET_KEY"] = "bench-secret"


def _fill(count: int) -> None:
    """count items over the current and the previous year, zones and reviews in realistic proportions."""
    from sqlalchemy import insert

    from gdnn_monitor.core.textnorm import search_index
    from store.db import session_scope
    from store.models import Item
    from store.registry import load_sources
    from store.sources import sync_sources
    from store.types import utcnow
    from store.users import create_user

    rng = random.Random(5)
    now = utcnow()
    start = datetime(now.year - 1, 1, 1, tzinfo=now.tzinfo)
    span = (now - start).total_seconds()
    with session_scope() as session:
        sync_sources(session, load_sources())
        create_user(session, "bench", "admin", "bench-password")
    batch: list[dict] = []
    for index in range(count):
        score = rng.random()
        zone = "accept" if score >= 0.8 else ("review" if score >= 0.35 else "reject")
        review = rng.choice(["confirmed", "rejected"]) if rng.random() < 0.1 else None
        title = " ".join(rng.choice(WORDS) for _ in range(12))
        batch.append(
            {
                "url": f"http://127.0.0.1:9/{index}.html",
                "source_id": SOURCES[index % len(SOURCES)][0],
                "origin": "crawl",
                "title": title.capitalize(),
                "search_title": search_index(title),
                "summary": None,
                "text": " ".join(rng.choice(WORDS) for _ in range(300)),
                "published_at": start + timedelta(seconds=rng.random() * span),
                "fetched_at": now,
                "genre": "article",
                "language": "vi",
                "quantity": 1,
                "story_id": f"s{index // 3}" if (index // 3) % 4 == 0 else None,
                "gdnn_score": score,
                "gdnn": score >= 0.5,
                "theme": rng.choice(THEMES) if score >= 0.5 else None,
                "zone": zone,
                "explanation": '["tuyển sinh", "học nghề"]',
                "model_version": "bench",
                "review": review,
                "reviewed_by": "bench" if review else None,
                "reviewed_at": now if review else None,
            }
        )
        if len(batch) == 5000:
            with session_scope() as session:
                session.execute(insert(Item), batch)
            batch = []
    if batch:
        with session_scope() as session:
            session.execute(insert(Item), batch)


def _serve() -> tuple[str, object]:
    import uvicorn

    from web.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def _median_ms(client, path: str, requests: int) -> float:
    client.get(path)
    timings = []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--database-url")
    parser.add_argument("--folder", type=Path, help="keep (and reuse) the SQLite database in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gdnn-bench-") as tmp:
        folder = args.folder or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        reuse = args.folder is not None and (folder / "bench.sqlite3").is_file() and not args.database_url
        _environment(args, folder)
        import httpx

        from gdnn_monitor.core.settings import get_settings
        from store.db import session_scope
        from web.report_files import Period, build_report, render_report

        began = time.perf_counter()
        if reuse:
            print(f"reusing {folder / 'bench.sqlite3'}")
        else:
            _fill(args.items)
            print(
                f"filled {args.items:,} items in {time.perf_counter() - began:.1f} s "
                f"({get_settings().database_url.split(':')[0]})"
            )
        base, server = _serve()
        with httpx.Client(base_url=base, timeout=60) as client:
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
            client.post("/login", data={"username": "bench", "password": "bench-password", "csrf_token": token})
            year = datetime.now().year
            for label, path in [
                ("queue (default, page 1)", "/queue"),
                ("queue (review zone, page 20)", "/queue?status=uncertain&page=20"),
                ("queue (month + source filter)", f"/queue?month={year}-03&source=bao-01&status=all"),
                ("queue (title search, 4 words)", "/queue?q=cao+dang+hoc+nghe&status=all"),
                ("dashboard (current year)", "/"),
                ("item view", "/items/12345"),
            ]:
                print(
                    f"{label:<34} median {_median_ms(client, path, args.requests):7.1f} ms "
                    f"over {args.requests} requests"
                )
        server.should_exit = True
        settings = get_settings()
        busiest = Period(datetime.now().year - 1, 5)
        began = time.perf_counter()
        with session_scope() as session:
            data = build_report(session, busiest, settings.count_syndicated, settings.tz)
        content = render_report(data, "xlsx", settings.tz)
        print(
            f"monthly XLSX export ({busiest.title}, {len(data.rows):,} counted items, {len(content) / 1024:.0f} KiB): "
            f"{time.perf_counter() - began:.2f} s"
        )
        began = time.perf_counter()
        with session_scope() as session:
            data = build_report(session, Period(datetime.now().year - 1), settings.count_syndicated, settings.tz)
        content = render_report(data, "xlsx", settings.tz)
        print(f"annual XLSX export ({len(data.rows):,} counted items): {time.perf_counter() - began:.2f} s")


if __name__ == "__main__":
    main()
