"""The scheduler service: the job survives a crash, a missed run is caught up once, a bad cron is a clear error."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger

import scheduler
from gdnn_monitor.core.settings import get_settings
from store.db import session_scope
from store.models import CrawlRun
from store.types import utcnow
from tests.pipeline.conftest import aware
from tests.pipeline.fakes import RecordingCrawl


def test_the_scheduled_job_survives_a_crash_and_runs_again(pipeline_env):
    service = scheduler.PipelineService(get_settings(), RecordingCrawl(fail_with=ValueError("bad page")))
    service.run_job()
    service.crawl = RecordingCrawl()
    service.run_job()
    assert [r.status for r in service.results] == ["failed", "ok"]


HCM_0530 = "30 5 * * *"


@pytest.mark.parametrize(
    "last_success, now, expected",
    [
        (None, aware(2026, 11, 23, 2, 0), True),
        (aware(2026, 11, 21, 22, 30), aware(2026, 11, 23, 2, 0), True),  # ran 22/11 05:30 local, 23/11 05:30 missed
        (aware(2026, 11, 22, 22, 30), aware(2026, 11, 23, 2, 0), False),  # ran 23/11 05:30 local
        (aware(2026, 11, 21, 22, 30), aware(2026, 11, 22, 22, 0), False),  # down, but the next run is not due yet
    ],
)
def test_a_run_missed_while_the_scheduler_was_down_is_detected(last_success, now, expected):
    trigger = CronTrigger.from_crontab(HCM_0530, timezone="Asia/Ho_Chi_Minh")
    assert scheduler.missed_run(trigger, last_success, now) is expected


def test_the_scheduler_catches_up_a_missed_run_once_then_waits_for_the_cron(pipeline_env):
    with session_scope() as session:
        session.add(
            CrawlRun(
                run_id="three-days-ago",
                trigger="schedule",
                status="ok",
                started_at=utcnow() - timedelta(days=3),
                finished_at=utcnow() - timedelta(days=3),
            )
        )
    crawl = RecordingCrawl()
    service = scheduler.PipelineService(get_settings(), crawl)
    thread = threading.Thread(target=service.start, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not service.results and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)
    service.stop()
    thread.join(30)
    assert not thread.is_alive()
    assert len(crawl.calls) == 1, "three missed days are coalesced into one run"


def test_a_scheduler_started_after_todays_run_does_not_crawl_again(pipeline_env):
    with session_scope() as session:
        session.add(
            CrawlRun(run_id="just-now", trigger="schedule", status="ok", started_at=utcnow(), finished_at=utcnow())
        )
    crawl = RecordingCrawl()
    service = scheduler.PipelineService(get_settings(), crawl)
    thread = threading.Thread(target=service.start, daemon=True)
    thread.start()
    time.sleep(1.5)
    service.stop()
    thread.join(30)
    assert crawl.calls == []


def test_a_bad_cron_expression_is_a_clear_configuration_error(pipeline_env, monkeypatch):
    import os
    import subprocess
    import sys

    monkeypatch.setenv("GDNN_SCHEDULE_CRON", "30 5 * *")
    result = subprocess.run(
        [sys.executable, "-m", "gdnn_monitor.cli", "schedule"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )
    assert result.returncode == 4 and "GDNN_SCHEDULE_CRON='30 5 * *'" in result.stderr
    assert "Traceback" not in result.stderr
