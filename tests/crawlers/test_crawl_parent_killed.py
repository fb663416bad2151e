"""`kill -9` of the `crawl` command takes its Scrapy child down with it, and what the child stored before is classified
by the next crawl or `classify` (issue 16 point 11)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import func, select

from store.db import session_scope
from store.models import Item
from tests.crawlers.conftest import isolated_env
from tests.processes import children_of

SITES = ["farm-bao-cu", "farm-cao-dang"]


@pytest.fixture
def env(farm, tmp_path, monkeypatch):
    farm.clear_hits()
    return isolated_env(monkeypatch, tmp_path, farm, GDNN_DOWNLOAD_DELAY="0.2")


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped counts as dead)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _stored() -> int:
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(Item)).one()


def _unclassified() -> int:
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(Item).where(Item.model_version.is_(None))).one()


def test_killing_the_crawl_command_kills_its_crawler_and_the_next_crawl_classifies_what_it_stored(env):
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from gdnn_monitor.cli import main; main()",
            "crawl",
            *[arg for site in SITES for arg in ("--source", site)],
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while _stored() < 5:
            assert time.monotonic() < deadline and parent.poll() is None, "the crawl stored nothing"
            time.sleep(0.2)
        children = [pid for pid in children_of(parent.pid) if _alive(pid)]
        assert children, "the crawl runs Scrapy in a child process"
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in children), "the crawler child outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
        for pid in children_of(parent.pid):
            os.kill(pid, signal.SIGKILL)
    left = _unclassified()
    assert left > 0  # the killed run never classified what it stored
    settled = _stored()
    time.sleep(1.5)
    assert _stored() == settled, "nothing keeps storing after the parent died"

    again = subprocess.run(
        [sys.executable, "-c", "from gdnn_monitor.cli import main; main()", "crawl", "--source", SITES[0]],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode in (0, 1), again.stdout + again.stderr
    assert _unclassified() == 0, "the next crawl classifies what the killed one stored"
