"""Resilience with the real crawler against a slow local farm: a crawl killed half way loses nothing and the next
run completes it; SIGTERM stops the scheduler cleanly; the scheduler, the web app and another writer share SQLite
safely; a second crawl is refused while one runs."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from sqlalchemy import text
from sqlmodel import select

from gdnn_monitor.pipeline import daily
from store.db import get_engine, session_scope
from store.locks import current_holder
from store.models import CrawlRun
from tests.pipeline.conftest import stored_urls, wait_until
from tests.processes import children_of


def _crawl_children_of(pid: int) -> list[int]:
    """The spawned crawler processes (not multiprocessing's resource tracker)."""
    found = []
    for child in children_of(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            found.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_crawl_killed_half_way_loses_nothing_and_the_next_run_completes_it(slow_farm_env):
    farm = slow_farm_env
    results = []
    runner = threading.Thread(target=lambda: results.append(daily.run_pipeline()), daemon=True)
    runner.start()
    assert wait_until(lambda: len(stored_urls()) >= 15, timeout=60), "the crawl did not start storing items"
    [child] = multiprocessing.active_children()
    os.kill(child.pid, signal.SIGKILL)
    runner.join(60)
    assert results and results[0].status == "failed" and "exit code -9" in results[0].error
    before_rerun = set(stored_urls())
    assert 15 <= len(before_rerun) < farm.articles, "killed half way"
    requests_before = Counter(farm.article_requests())

    assert daily.run_pipeline().status == "ok"
    after = stored_urls()
    assert len(after) == len(set(after)) == farm.articles
    assert set(after) == farm.article_urls()
    rerequested = [
        url
        for url in before_rerun
        if farm.article_requests()[url.removeprefix(farm.base)] > requests_before[url.removeprefix(farm.base)]
    ]
    assert rerequested == [], "articles stored before the kill are not fetched again"
    with session_scope() as session:
        runs = list(session.exec(select(CrawlRun).order_by(CrawlRun.id)))
    assert [run.status for run in runs] == ["failed", "ok"] and "exit code -9" in runs[0].error
    assert current_holder("crawl") is None


def test_sigterm_stops_the_scheduler_and_its_crawl_cleanly(slow_farm_env, tmp_path):
    command = [sys.executable, "-m", "gdnn_monitor.cli", "schedule"]
    log = (tmp_path / "scheduler.log").open("w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
    try:
        assert wait_until(lambda: len(stored_urls()) >= 5, timeout=60), "the catch-up run did not start"
        crawl_children = _crawl_children_of(process.pid)
        assert crawl_children, "the crawl runs in a child process"
        process.send_signal(signal.SIGTERM)
        assert process.wait(60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        log.close()
    output = (tmp_path / "scheduler.log").read_text()
    assert "stop requested" in output and "scheduler stopped" in output
    assert not any(_alive(pid) for pid in crawl_children), "no orphan crawler left behind"
    assert wait_until(lambda: not children_of(process.pid), timeout=10)
    with session_scope() as session:
        [run] = session.exec(select(CrawlRun)).all()
    assert run.status == "failed" and "SIGTERM" in run.error and run.finished_at is not None
    assert current_holder("crawl") is None
    assert len(stored_urls()) < slow_farm_env.articles


WEB_LIKE_WRITER = r"""
import sys, time
from sqlmodel import select
from store.db import session_scope
from store.models import Item, KpiTarget
errors, writes, deadline = 0, 0, time.monotonic() + float(sys.argv[1])
while time.monotonic() < deadline:
    try:
        with session_scope() as session:
            list(session.exec(select(Item).order_by(Item.id.desc()).limit(50)))
            target = session.exec(select(KpiTarget).where(KpiTarget.year == 2026)).first() or KpiTarget(
                year=2026, metric="tin_bai", target=0)
            target.target += 1
            session.add(target)
        writes += 1
    except Exception as exc:
        errors += 1
        print("ERROR", type(exc).__name__, exc, flush=True)
    time.sleep(0.02)
print("WRITES", writes, "ERRORS", errors, flush=True)
"""


class WebAppUser(threading.Thread):
    """An officer using the real web app (`gdnn-monitor serve`) the whole time: logs in, opens the queue and the
    dashboard again and again; every answer that is not 200 is kept."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base, self.stop, self.pages, self.failures = base, threading.Event(), 0, []

    def run(self) -> None:
        import re

        import httpx

        with httpx.Client(base_url=self.base, timeout=60) as client:
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
            client.post(
                "/login", data={"username": "can-bo", "password": "mat-khau-123", "csrf_token": token, "next": "/queue"}
            )
            while not self.stop.is_set():
                for path in ("/queue", "/"):
                    response = client.get(path, follow_redirects=False)
                    self.pages += 1
                    if response.status_code != 200:
                        self.failures.append((path, response.status_code))


def _serve_web_app() -> tuple[subprocess.Popen, str]:
    import socket

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "gdnn_monitor.cli", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ.copy(),
    )

    def answers() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    assert wait_until(answers, timeout=60, interval=0.3), "the web app did not start"
    return process, f"http://127.0.0.1:{port}"


def test_restarting_the_scheduler_while_the_web_app_is_used_keeps_sqlite_healthy(slow_farm_env, tmp_path):
    from store.users import create_user

    with session_scope() as session:
        create_user(session, "can-bo", "reviewer", "mat-khau-123")
    web, base = _serve_web_app()
    officer = WebAppUser(base)
    officer.start()
    writer = subprocess.Popen(
        [sys.executable, "-c", WEB_LIKE_WRITER, "40"], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    try:
        first = subprocess.Popen(
            [sys.executable, "-m", "gdnn_monitor.cli", "schedule", "--once"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=os.environ.copy(),
        )
        assert wait_until(lambda: len(stored_urls()) >= 10, timeout=60)
        for pid in [first.pid, *children_of(first.pid)]:
            os.kill(pid, signal.SIGKILL)  # a crash or `systemctl kill`: the hardest stop
        first.wait(30)
        again = subprocess.run(
            [sys.executable, "-m", "gdnn_monitor.cli", "schedule", "--once"],
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            timeout=180,
        )
        assert again.returncode == 0, again.stderr
        out, _ = writer.communicate(timeout=90)
    finally:
        officer.stop.set()
        officer.join(60)
        for process in (writer, web):
            if process.poll() is None:
                process.terminate()
                process.wait(20)
    assert officer.failures == [] and officer.pages > 20, (officer.pages, officer.failures[:5])
    assert "ERRORS 0" in out and "ERROR " not in out, out
    assert int(out.split("WRITES")[1].split()[0]) > 100
    with get_engine().connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    urls = stored_urls()
    assert len(urls) == len(set(urls)) == slow_farm_env.articles
    with session_scope() as session:
        statuses = [run.status for run in session.exec(select(CrawlRun).order_by(CrawlRun.id))]
    assert statuses == ["failed", "ok"], "the killed run is closed as failed by the next one"


def test_a_second_crawl_is_refused_while_one_runs_in_another_process(slow_farm_env):
    get_engine()
    first = subprocess.Popen(
        [sys.executable, "-m", "gdnn_monitor.cli", "crawl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert wait_until(lambda: len(stored_urls()) >= 3, timeout=60)
        for command in (["crawl"], ["schedule", "--once"]):
            second = subprocess.run(
                [sys.executable, "-m", "gdnn_monitor.cli", *command],
                capture_output=True,
                text=True,
                env=os.environ.copy(),
                timeout=120,
            )
            assert second.returncode == 9, second.stderr  # EXIT_BUSY: documented, distinct from a failure
            assert "một lần thu thập khác đang chạy" in second.stderr
        out, err = first.communicate(timeout=180)
        assert first.returncode == 0, out + err
    finally:
        if first.poll() is None:
            first.kill()
    urls = stored_urls()
    assert len(urls) == len(set(urls)) == slow_farm_env.articles
    with session_scope() as session:
        assert [run.trigger for run in session.exec(select(CrawlRun))] == ["cli"], "the refused ones never started"
