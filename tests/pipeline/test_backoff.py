"""A source that keeps failing waits longer and longer (1 h, 2 h, 4 h … from its second failure in a row, capped at
7 days) and comes back after a success."""

from __future__ import annotations

import itertools
from datetime import timedelta

from gdnn_monitor.pipeline.backoff import MAX_DELAY, backoff_delay, due_source_ids, update_backoff
from store.db import session_scope
from store.models import Source
from store.types import utcnow


def test_the_wait_doubles_with_each_failure_and_is_capped():
    waits = [backoff_delay(n) for n in range(12)]
    assert waits[:6] == [
        timedelta(0),
        timedelta(0),
        timedelta(hours=1),
        timedelta(hours=2),
        timedelta(hours=4),
        timedelta(hours=8),
    ]
    assert all(later >= earlier for earlier, later in itertools.pairwise(waits))
    assert waits[-1] == MAX_DELAY == timedelta(days=7)
    assert backoff_delay(10_000) == MAX_DELAY


def test_backoff_until_follows_the_failures_and_clears_after_a_success(db_env):
    now = utcnow()
    with session_scope() as session:
        session.add(Source(id="chet", name="Trang chết", kind="school", consecutive_failures=5, last_failure_at=now))
        session.add(Source(id="tot", name="Trang tốt", kind="school", consecutive_failures=0))
        session.add(
            Source(
                id="cu", name="Lỗi cũ", kind="school", consecutive_failures=2, last_failure_at=now - timedelta(hours=2)
            )
        )
        session.add(
            Source(id="mot-lan", name="Lỗi một lần", kind="school", consecutive_failures=1, last_failure_at=now)
        )
        session.flush()
        backed_off = update_backoff(session, now)
        assert backed_off == {"chet": now + timedelta(hours=8)}
        assert due_source_ids(session, ["chet", "tot", "cu", "mot-lan"], now) == ["tot", "cu", "mot-lan"]
        later = now + timedelta(hours=8, seconds=1)
        assert due_source_ids(session, ["chet", "tot", "cu"], later) == ["chet", "tot", "cu"]
        dead = session.get(Source, "chet")
        dead.consecutive_failures = 0
        session.add(dead)
        update_backoff(session, now)
        assert session.get(Source, "chet").backoff_until is None


def test_a_backed_off_source_is_flagged_down_for_the_dashboard(db_env):
    from gdnn_monitor.pipeline.health import SourceHealth
    from store.registry import SourceConfig

    config = SourceConfig(id="chet", name="Trang chết", kind="school", homepage="http://127.0.0.9/")
    now = utcnow()
    row = Source(
        id="chet", name="Trang chết", kind="school", consecutive_failures=1, last_crawl_at=now, last_failure_at=now
    )
    with session_scope() as session:
        session.add(row)
        session.flush()
        update_backoff(session, now)
        assert SourceHealth(config, row).status == "failing", "one failure is not yet a pattern"
        row.consecutive_failures = 2
        session.add(row)
        update_backoff(session, now)
        assert SourceHealth(config, row).status == "down"
