"""Web-app speed as the archive grows: median response time of the queue, search, dashboard and item pages (target
<= 100 ms, title search <= 200 ms) and the time to export one month as XLSX (target <= 5 s), one client.

    python bench/bench_web.py [--items 100000] [--requests 40] [--folder DIR] [--fill-only]
    python bench/bench_web.py --items 5000000 --database-url postgresql://postgres@127.0.0.1/gdnn_bench_5m

SQLite: a throw-away file in a temporary folder, or kept in --folder and reused on the next run (a million items take
about half an hour to fill on a busy 2-core machine). PostgreSQL (--database-url): the database is created when
missing, filled once by COPY with short bodies (a page's cost must not depend on them) and reused while it holds
items. Before filling, the free disk is checked and the run says how much it needs.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
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
# Measured after a fill (database size / items), to tell the officer how much disk a run needs.
SQLITE_BYTES_PER_ITEM = 5_000
PG_BYTES_PER_ITEM = 1_500
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
    os.environ["GDNN_SECRET_KEY"] = secrets.token_urlsafe(48)  # the app refuses weak keys


def _rows(count: int, body_words: int, now: datetime):
    """count items over the current and the previous year, zones and reviews in realistic proportions."""
    from gdnn_monitor.core.textnorm import search_index

    rng = random.Random(5)
    start = datetime(now.year - 1, 1, 1, tzinfo=now.tzinfo)
    span = (now - start).total_seconds()
    for index in range(count):
        score = rng.random()
        zone = "accept" if score >= 0.8 else ("review" if score >= 0.35 else "reject")
        review = rng.choice(["confirmed", "rejected"]) if rng.random() < 0.1 else None
        title = " ".join(rng.choice(WORDS) for _ in range(12))
        yield {
            "url": f"http://127.0.0.1:9/{index}.html",
            "source_id": SOURCES[index % len(SOURCES)][0],
            "origin": "crawl",
            "title": title.capitalize(),
            "search_title": search_index(title),
            "summary": None,
            "text": " ".join(rng.choice(WORDS) for _ in range(body_words)),
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


def _fill_setup() -> None:
    from store.db import session_scope
    from store.registry import load_sources
    from store.sources import sync_sources
    from store.users import create_user

    with session_scope() as session:
        sync_sources(session, load_sources())
        create_user(session, "bench", "admin", "bench-password")


def _fill(count: int) -> None:
    """SQLite: ORM-free inserts of 5,000 rows at a time (bodies of 300 words, as crawled articles)."""
    from sqlalchemy import insert

    from store.db import session_scope
    from store.models import Item
    from store.types import utcnow

    _fill_setup()
    batch: list[dict] = []
    for row in _rows(count, 300, utcnow()):
        batch.append(row)
        if len(batch) == 5000:
            with session_scope() as session:
                session.execute(insert(Item), batch)
            batch = []
    if batch:
        with session_scope() as session:
            session.execute(insert(Item), batch)


def _fill_postgres(count: int) -> None:
    """PostgreSQL: one COPY with short bodies (a page's cost must not depend on them), secondary indexes dropped
    during the load and built again afterwards, then ANALYZE so the planner knows the table's size."""
    from sqlalchemy import text

    from store.db import get_engine
    from store.types import utcnow

    _fill_setup()
    engine = get_engine()
    columns = list(next(_rows(1, 1, utcnow())))
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'item' AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = 'item'::regclass)"
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        with cursor.copy(f"COPY item ({', '.join(columns)}) FROM STDIN") as copy:
            for number, row in enumerate(_rows(count, 20, utcnow()), 1):
                copy.write_row([row[name] for name in columns])
                if number % 500_000 == 0:
                    print(f"  copied {number:,} items", flush=True)
        raw.commit()
        for name, definition in indexes:
            began = time.perf_counter()
            cursor.execute(definition)
            raw.commit()
            print(f"  index {name}: {time.perf_counter() - began:.0f} s", flush=True)
    finally:
        raw.close()
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE item"))


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


def _need_disk(items: int, postgres: bool) -> None:
    """Say how much room the fill takes and stop before filling a disk that has not got it."""
    from sqlalchemy import text

    from store.db import get_engine

    per_item = PG_BYTES_PER_ITEM if postgres else SQLITE_BYTES_PER_ITEM
    if postgres:
        with get_engine().connect() as connection:
            where = Path(connection.execute(text("SHOW data_directory")).scalar_one())
    else:
        where = Path(os.environ["GDNN_DATA_DIR"]).parent
    free = shutil.disk_usage(where).free
    need = items * per_item
    print(f"the fill needs about {need / 2**30:.1f} GiB on {where} ({free / 2**30:.1f} GiB free)")
    if need > free * 0.9:
        raise SystemExit("not enough free disk for this many items: use fewer --items or free some space")


def _postgres_database(url: str) -> bool:
    """Create the bench database if it does not exist; True when it already holds items (reused, not refilled)."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{parsed.database}"')
            return False
    target = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(target) as connection:
        table = connection.execute("SELECT to_regclass('item')").fetchone()[0]
        return bool(table) and connection.execute("SELECT EXISTS (SELECT 1 FROM item)").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--database-url", help="a PostgreSQL URL: the database is created, filled once and kept")
    parser.add_argument("--folder", type=Path, help="keep (and reuse) the SQLite database in this folder")
    parser.add_argument("--fill-only", action="store_true", help="fill (or reuse) the database, measure nothing")
    parser.add_argument("--annual", action="store_true", help="also export a whole year (always up to 200,000 items)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gdnn-bench-") as tmp:
        folder = args.folder or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        postgres = bool(args.database_url and args.database_url.startswith("postgresql"))
        if postgres:
            reuse = _postgres_database(args.database_url)
        else:
            reuse = args.folder is not None and (folder / "bench.sqlite3").is_file() and not args.database_url
        _environment(args, folder)
        import httpx

        from gdnn_monitor.core.settings import get_settings
        from web.report_files import Period

        began = time.perf_counter()
        if reuse:
            print(f"reusing {get_settings().database_url}")
        else:
            _need_disk(args.items, postgres)
            (_fill_postgres if postgres else _fill)(args.items)
            print(
                f"filled {args.items:,} items in {time.perf_counter() - began:.1f} s "
                f"({get_settings().database_url.split(':')[0]})"
            )
        if args.fill_only:
            return
        base, server = _serve()
        with httpx.Client(base_url=base, timeout=60) as client:
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
            client.post("/login", data={"username": "bench", "password": "bench-password", "csrf_token": token})
            year = datetime.now().year
            print(f"{'dashboard (first view: adds up)':<34} once   {_first_dashboard_ms(client):7.1f} ms")
            for label, path in [
                ("queue (default, page 1)", "/queue"),
                ("queue (review zone, page 20)", "/queue?status=uncertain&page=20"),
                ("queue (month + source filter)", f"/queue?month={year}-03&source=bao-01&status=all"),
                ("queue (title search, 4 words)", "/queue?q=cao+dang+hoc+nghe&status=all"),
                ("dashboard (current year)", "/"),
                ("item view", f"/items/{min(12345, max(args.items // 2, 1))}"),
            ]:
                print(
                    f"{label:<34} median {_median_ms(client, path, args.requests):7.1f} ms "
                    f"over {args.requests} requests"
                )
        server.should_exit = True
        _export(Period(datetime.now().year - 1, 5), "monthly")
        if args.annual or args.items <= 200_000:
            _export(Period(datetime.now().year - 1), "annual")


def _first_dashboard_ms(client) -> float:
    """The dashboard right after its cached summary went stale (an item or a review changed): it adds the year up."""
    from sqlalchemy import text

    from store.db import session_scope

    with session_scope() as session:
        session.execute(text("DELETE FROM summarycache"))
    began = time.perf_counter()
    if client.get("/").status_code != 200:
        raise RuntimeError("/: the dashboard failed")
    return (time.perf_counter() - began) * 1000


def _export(period, label: str) -> None:
    """One report as XLSX, the database part and the spreadsheet part timed apart."""
    from gdnn_monitor.core.settings import get_settings
    from store.db import session_scope
    from web.report_files import build_report, render_report

    settings = get_settings()
    began = time.perf_counter()
    with session_scope() as session:
        data = build_report(session, period, settings.count_syndicated, settings.tz)
    read = time.perf_counter() - began
    content = render_report(data, "xlsx", settings.tz)
    total = time.perf_counter() - began
    print(
        f"{label} XLSX export ({period.title}, {len(data.rows):,} counted items, {len(content) / 1024:.0f} KiB): "
        f"{total:.2f} s (reading {read:.2f} s, writing the file {total - read:.2f} s)"
    )


if __name__ == "__main__":
    main()
