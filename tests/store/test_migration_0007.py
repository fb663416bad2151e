"""Migration 0007 (issue 12) from a 0002 database: items gain feed_only (false for what was stored before),
attachment_url and publisher, sources gain crawl_note; existing rows keep everything; the downgrade removes them."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from store.migrate import alembic_config


def _engine(database_url: str):
    url = make_url(database_url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return create_engine(url)


def test_upgrading_a_0002_database_adds_the_real_web_fields_and_keeps_the_items(database_url):
    engine = _engine(database_url)
    config = alembic_config(engine)
    command.upgrade(config, "0002")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO source (id, name, kind, enabled, consecutive_failures) "
                "VALUES ('bao-mau', 'Báo Mẫu', 'newspaper', true, 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO item (url, source_id, origin, title, fetched_at, genre, language, quantity) "
                "VALUES ('https://bao.vn/1', 'bao-mau', 'crawl', 'Tuyển sinh học nghề', :at, 'article', 'vi', 1)"
            ),
            {"at": datetime(2026, 5, 1, tzinfo=UTC)},
        )
    assert "feed_only" not in {c["name"] for c in inspect(engine).get_columns("item")}
    command.upgrade(config, "0007")
    columns = {c["name"] for c in inspect(engine).get_columns("item")}
    assert {"feed_only", "attachment_url", "publisher"} <= columns
    assert "crawl_note" in {c["name"] for c in inspect(engine).get_columns("source")}
    with engine.begin() as connection:
        row = connection.execute(text("SELECT title, feed_only, attachment_url, publisher FROM item")).one()
    assert (row.title, bool(row.feed_only), row.attachment_url, row.publisher) == (
        "Tuyển sinh học nghề",
        False,
        None,
        None,
    )
    command.downgrade(config, "0002")
    assert "feed_only" not in {c["name"] for c in inspect(engine).get_columns("item")}
    command.upgrade(config, "head")
    engine.dispose()
