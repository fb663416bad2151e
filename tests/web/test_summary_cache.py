"""The dashboard's yearly summary is added up once and reused, and a decision, a new item or a source's new kind makes
the next view add up again, on SQLite and PostgreSQL (the change counter is kept by triggers of migration 0003)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from gdnn_monitor.core.dates import year_bounds
from gdnn_monitor.core.settings import get_settings
from store.db import session_scope
from store.models import Item, Source, SummaryCache
from store.reports import period_summary
from store.reviews import Decision, decide
from store.summaries import change_version, summary_to_json, year_summary


def _fresh(session, rule: str = "distinct_outlets"):
    tz = get_settings().tz
    return period_summary(session, *year_bounds(2024, tz), rule, tz)


def _comparable(summary) -> str:
    """A summary as the dashboard reads it: every tally's placements, counted, units and unique stories."""
    return summary_to_json(summary)


def test_the_cached_year_summary_equals_the_computed_one_and_follows_each_change(web_db_env, monkeypatch):
    import store.summaries

    tz = get_settings().tz
    with session_scope() as session:
        for rule in ("distinct_outlets", "every_placement", "unique_stories"):
            assert _comparable(year_summary(session, 2024, rule, tz)) == _comparable(_fresh(session, rule))
        with monkeypatch.context() as patched:
            patched.setattr(store.summaries, "period_summary", None)  # the second view must not add up again
            for rule in ("distinct_outlets", "every_placement", "unique_stories"):
                assert _comparable(year_summary(session, 2024, rule, tz)) == _comparable(_fresh(session, rule))
        assert len(session.exec(select(SummaryCache)).all()) == 3
        before = year_summary(session, 2024, "distinct_outlets", tz)
        version = change_version(session)
    with session_scope() as session:
        session.get(Item, web_db_env["uncertain"]).note = "ghi chú không đổi số liệu"
    with session_scope() as session:
        assert change_version(session) == version  # a note is not counted: the cache stays valid
        decide(session, web_db_env["uncertain"], "reviewer1", Decision("confirmed"))
    with session_scope() as session:
        assert change_version(session) != version
        after = year_summary(session, 2024, "distinct_outlets", tz)
        assert _comparable(after) == _comparable(_fresh(session))
        assert after.total.placements == before.total.placements + 1
        version = change_version(session)
        session.add(
            Item(
                url="http://127.0.0.1:9/moi-2024",
                source_id="bao-tinh",
                title="Tuyển sinh học nghề",
                published_at=datetime(2024, 9, 1, tzinfo=UTC),
                zone="accept",
                gdnn_score=0.9,
            )
        )
    with session_scope() as session:
        assert change_version(session) != version
        assert year_summary(session, 2024, "distinct_outlets", tz).total.placements == after.total.placements + 1
        version = change_version(session)
        session.get(Source, "bao-tinh").kind = "tv"
    with session_scope() as session:
        assert change_version(session) != version
        assert _comparable(year_summary(session, 2024, "distinct_outlets", tz)) == _comparable(_fresh(session))


def test_the_dashboard_shows_a_confirmation_at_once(client, web_env):
    from web_helpers import csrf_of, login

    token = login(client, "reviewer")
    first = client.get("/?year=2024").text
    client.post(
        f"/items/{web_env['uncertain']}/decision",
        data={"decision": "confirmed", "theme": "tuyen_sinh", "csrf_token": token},
    )
    with session_scope() as session:
        expected = _fresh(session).by_metric["tin_bai"].placements
    again = client.get("/?year=2024").text
    assert f"Tin/bài {expected} lượt đăng" in again and first != again
    assert csrf_of(again)
