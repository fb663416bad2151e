"""The dashboard's yearly numbers, added up once and reused until an item changes: a year of a large archive takes
seconds to add up, a page view must not. Triggers of migration 0003 bump the items' change counter on every insert,
delete or change of a counted column (and of a source's kind); a cached summary is valid only for the counter value
it was computed at. PostgreSQL's counter is a sequence, which moves before the change commits: a summary computed in
between would carry the new value without the change, so there it is also trusted for CACHE_TTL at most."""

from __future__ import annotations

import dataclasses
import json
import logging
from datetime import timedelta, tzinfo

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from gdnn_monitor.core.dates import year_bounds
from store.models import SummaryCache
from store.reports import Summary, Tally, period_summary
from store.types import utcnow

CACHE_TTL = timedelta(minutes=10)
log = logging.getLogger(__name__)


def change_version(session: Session) -> int:
    """The items' change counter: a number that moves whenever what the dashboard counts may have changed."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        last, called = connection.exec_driver_sql("SELECT last_value, is_called FROM item_change_seq").one()
        return last if called else 0
    return connection.exec_driver_sql("SELECT version FROM itemchange WHERE id = 1").scalar_one()


def _encode(value):
    if isinstance(value, Tally):
        return {"t": [value.placements, value.counted, value.units, value.unique_stories]}
    if isinstance(value, dict):
        return {"d": [[list(key) if isinstance(key, tuple) else key, _encode(tally)] for key, tally in value.items()]}
    return value


def _decode(value):
    if isinstance(value, dict) and "t" in value:
        placements, counted, units, stories = value["t"]
        return Tally(placements, counted, units, solo=stories)  # the stories' count is all a page reads of them
    if isinstance(value, dict) and "d" in value:
        return {tuple(key) if isinstance(key, list) else key: _decode(tally) for key, tally in value["d"]}
    return value


def summary_to_json(summary: Summary) -> str:
    return json.dumps({field.name: _encode(getattr(summary, field.name)) for field in dataclasses.fields(summary)})


def summary_from_json(payload: str) -> Summary:
    values = json.loads(payload)
    return Summary(**{field.name: _decode(values[field.name]) for field in dataclasses.fields(Summary)})


def _store(session: Session, key: str, version: int, summary: Summary) -> None:
    """Upsert in its own transaction; two requests computing the same year at once both succeed."""
    values = {"key": key, "version": version, "payload": summary_to_json(summary), "computed_at": utcnow()}
    engine = session.get_bind()
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(SummaryCache).values(**values)
    changed = {name: statement.excluded[name] for name in values if name != "key"}
    statement = statement.on_conflict_do_update(index_elements=["key"], set_=changed)
    try:
        with engine.begin() as connection:
            connection.execute(statement)
    except SQLAlchemyError as exc:  # a cache that cannot be written only costs the next view the same work
        log.warning("summary cache not written: %s", exc)


def year_summary(session: Session, year: int, rule: str, tz: tzinfo) -> Summary:
    """period_summary of the year, from the cache while nothing counted has changed since it was computed."""
    key = f"{year}|{rule}|{tz}"
    version = change_version(session)
    row = session.get(SummaryCache, key)
    fresh = session.get_bind().dialect.name != "postgresql" or (row and utcnow() - row.computed_at < CACHE_TTL)
    if row is not None and row.version == version and fresh:
        return summary_from_json(row.payload)
    summary = period_summary(session, *year_bounds(year, tz), rule, tz)
    _store(session, key, version, summary)
    return summary
