"""Crawl logs do not fill a provincial server's disk: each crawl deletes its predecessors' logs past the retention."""

from __future__ import annotations

import os
import time

from gdnn_monitor.core.settings import get_settings


def test_starting_a_crawl_log_deletes_crawl_logs_older_than_the_retention(settings_env, monkeypatch):
    from crawlers.engine.child import _log_file

    monkeypatch.setenv("GDNN_CRAWL_LOG_DAYS", "30")
    get_settings.cache_clear()
    folder = get_settings().data_dir / "logs"
    folder.mkdir(parents=True)
    old, recent, other = folder / "crawl-old.log", folder / "crawl-recent.log", folder / "ghi-chu.txt"
    for path in (old, recent, other):
        path.write_text("...", encoding="utf-8")
    forty_days_ago = time.time() - 40 * 86400
    for path in (old, other):
        os.utime(path, (forty_days_ago, forty_days_ago))
    os.utime(recent, (time.time() - 20 * 86400,) * 2)

    new = _log_file("run-now")

    assert new.parent == folder and new.name == "crawl-run-now.log"
    assert not old.exists()
    assert recent.exists() and other.exists()  # within the retention, and not a crawl log
