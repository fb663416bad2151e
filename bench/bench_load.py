"""Concurrent load on a real `gdnn-monitor serve` with 100,000 items: N clients for T seconds, each logged in, each
requesting a mix of pages (queue views, item pages, dashboard, reports page) and title searches; prints p50/p95 per
page, for the mixed pages together and for search (goal of issue 16 point 8 on a 2-core machine with 20 clients:
mixed p95 <= 500 ms, search <= 1 s).

    python bench/bench_load.py [--clients 20] [--seconds 30] [--items 100000] [--database-url URL] [--folder DIR]

Bounded and local: at most 64 clients and 300 s, the server listens on 127.0.0.1 only. Uses a throw-away SQLite file
unless --database-url is given (its tables get filled!); --folder keeps and reuses the SQLite file.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

MAX_CLIENTS, MAX_SECONDS = 64, 300
SEARCHES = ["cao dang hoc nghe", "tuyen sinh", "doanh nghiệp lao động", "kỹ năng tay nghề nông thôn", "du lich"]


def pages(items: int, year: int) -> list[tuple[str, str]]:
    """(label, path) of the mixed pages an officer opens during a review session."""
    rng = random.Random()
    return [
        ("queue default", "/queue"),
        ("queue review zone p5", "/queue?status=uncertain&page=5"),
        ("queue month+source", f"/queue?month={year}-03&source=bao-01&status=all"),
        ("item view", f"/items/{rng.randint(1, items)}"),
        ("dashboard", "/"),
        ("reports page", "/reports"),
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_serve(port: int) -> subprocess.Popen:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gdnn_monitor.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    import httpx

    deadline = time.monotonic() + 120
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
            return process
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"serve did not start: {process.stderr.read().decode()[-2000:]}") from None
            time.sleep(0.3)


def _client(base: str, stop: float, items: int, timings: dict, errors: list, seed: int) -> None:
    import httpx

    rng = random.Random(seed)
    year = datetime.now().year
    with httpx.Client(base_url=base, timeout=120) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
        client.post("/login", data={"username": "bench", "password": "bench-password", "csrf_token": token})
        while time.monotonic() < stop:
            if rng.random() < 0.2:
                label, path = "title search", f"/queue?q={rng.choice(SEARCHES)}&status=all"
            else:
                label, path = rng.choice(pages(items, year))
            began = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - began) * 1000
            if response.status_code != 200:
                errors.append(f"{path}: HTTP {response.status_code}")
                continue
            timings[label].append(elapsed)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)]


def report(timings: dict, seconds: float) -> None:
    total = sum(len(values) for values in timings.values())
    print(f"{'page':<24} {'n':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for label in sorted(timings):
        values = timings[label]
        print(f"{label:<24} {len(values):>6} {statistics.median(values):>8.0f} {_percentile(values, 0.95):>8.0f}")
    mixed = [v for label, values in timings.items() if label != "title search" for v in values]
    search = timings.get("title search", [])
    if mixed:
        print(
            f"{'ALL MIXED PAGES':<24} {len(mixed):>6} {statistics.median(mixed):>8.0f} {_percentile(mixed, 0.95):>8.0f}"
        )
    if search:
        print(
            f"{'ALL TITLE SEARCH':<24} {len(search):>6} {statistics.median(search):>8.0f} "
            f"{_percentile(search, 0.95):>8.0f}"
        )
    print(f"throughput: {total / seconds:.1f} requests/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--database-url")
    parser.add_argument("--folder", type=Path, help="keep (and reuse) the SQLite database in this folder")
    parser.add_argument("--reuse", action="store_true", help="the --database-url is already filled by this bench")
    args = parser.parse_args()
    clients, seconds = min(max(args.clients, 1), MAX_CLIENTS), min(max(args.seconds, 1), MAX_SECONDS)
    from bench_web import _environment, _fill

    with tempfile.TemporaryDirectory(prefix="gdnn-load-") as tmp:
        folder = args.folder or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        reuse = args.reuse or (
            args.folder is not None and (folder / "bench.sqlite3").is_file() and not args.database_url
        )
        _environment(args, folder)
        if not reuse:
            began = time.perf_counter()
            _fill(args.items)
            print(f"filled {args.items:,} items in {time.perf_counter() - began:.0f} s")
        from store.db import reset_engines

        reset_engines()
        port = _free_port()
        server = _start_serve(port)
        try:
            timings: dict = defaultdict(list)
            errors: list = []
            stop = time.monotonic() + seconds
            threads = [
                threading.Thread(
                    target=_client, args=(f"http://127.0.0.1:{port}", stop, args.items, timings, errors, index)
                )
                for index in range(clients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            server.terminate()
            server.wait(30)
        backend = os.environ["GDNN_DATABASE_URL"].split(":")[0]
        print(f"{clients} clients for {seconds:.0f} s against serve on {backend}, {args.items:,} items")
        report(timings, seconds)
        if errors:
            print(f"{len(errors)} errors, e.g. {errors[:3]}")


if __name__ == "__main__":
    main()
