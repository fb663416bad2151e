"""The store works the same on SQLite and PostgreSQL: migrations, aware timestamps, unique URLs, counting rule."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from store.counting import counted_clause, is_counted
from store.db import DatabaseError, get_engine, session_scope
from store.migrate import alembic_config, current_revision
from store.models import Item, KpiTarget, Review, Source
from store.registry import parse_sources
from store.sources import sync_sources

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
EXPECTED_TABLES = {
    "source",
    "item",
    "classification",
    "review",
    "crawlrun",
    "crawlrunsource",
    "feedstate",
    "user",
    "kpitarget",
    "joblock",
    "alembic_version",
}


def _source(session, source_id: str = "bao-mau") -> None:
    session.add(Source(id=source_id, name="Báo Mẫu", kind="newspaper"))
    session.flush()


def test_migrations_create_every_table_and_match_the_models(database_url):
    engine = get_engine(database_url)
    assert set(inspect(engine).get_table_names()) >= EXPECTED_TABLES
    assert current_revision(engine) is not None
    command.check(alembic_config(engine))  # raises when models and migrations disagree


def test_migrating_twice_is_harmless(database_url):
    from store.migrate import upgrade_to_head

    engine = get_engine(database_url)
    revision = current_revision(engine)
    upgrade_to_head(engine)
    assert current_revision(engine) == revision


def test_upgrading_an_older_database_fills_the_search_titles_of_its_items(database_url):
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(url)
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO source (id, name, kind, enabled, consecutive_failures) "
                "VALUES ('bao-mau', 'Báo Mẫu', 'newspaper', true, 0)"
            )
        )
        for index, title in enumerate(["Trường Cao đẳng nghề Lạng Sơn tuyển sinh", "Hội nghị Đảng bộ tỉnh"]):
            connection.execute(
                text(
                    "INSERT INTO item (url, source_id, origin, title, fetched_at, genre, language, quantity) "
                    "VALUES (:url, 'bao-mau', 'crawl', :title, :at, 'article', 'vi', 1)"
                ),
                {"url": f"https://bao.vn/{index}", "title": title, "at": datetime(2024, 5, 1, tzinfo=UTC)},
            )
    engine.dispose()
    with session_scope(database_url) as session:
        folded = sorted(session.exec(select(Item.search_title)))
    assert folded == [
        "hội nghị đảng bộ tỉnh | hoi nghi dang bo tinh",
        "trường cao đẳng nghề lạng sơn tuyển sinh | truong cao dang nghe lang son tuyen sinh",
    ]


def _engine_at(database_url: str, revision: str):
    """A database migrated only up to an older revision, as a province's server would be before an upgrade."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(url)
    command.upgrade(alembic_config(engine), revision)
    return engine


def test_upgrading_a_0002_database_adds_the_tone_and_keeps_its_items_unassessed(database_url):
    from sqlalchemy import text

    engine = _engine_at(database_url, "0002")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO source (id, name, kind, enabled, consecutive_failures) "
                "VALUES ('bao-mau', 'Báo Mẫu', 'newspaper', true, 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO item (url, source_id, origin, title, fetched_at, genre, language, quantity, zone) "
                "VALUES ('https://bao.vn/1', 'bao-mau', 'crawl', 'Cảnh cáo hiệu trưởng trường nghề', :at, 'article', "
                "'vi', 1, 'accept')"
            ),
            {"at": datetime(2024, 5, 1, tzinfo=UTC)},
        )
    command.upgrade(alembic_config(engine), "head")
    columns = {column["name"] for column in inspect(engine).get_columns("item")}
    assert {"tone", "tone_phrases"} <= columns
    assert "tone" in {column["name"] for column in inspect(engine).get_columns("classification")}
    engine.dispose()
    with session_scope(database_url) as session:
        item = session.exec(select(Item)).one()
        assert (item.title, item.zone, item.tone, item.tone_phrases) == (
            "Cảnh cáo hiệu trưởng trường nghề",
            "accept",
            None,
            None,
        )
        item.tone, item.tone_phrases = "negative", '["Cảnh cáo"]'
    with session_scope(database_url) as session:
        assert session.exec(select(Item.tone)).one() == "negative"


def test_the_tone_migration_downgrades_to_0002_without_losing_items(database_url):
    engine = _engine_at(database_url, "head")
    with session_scope(database_url) as session:
        _source(session)
        session.add(Item(url="http://x/tone", source_id="bao-mau", title="Tin", tone="neutral"))
    command.downgrade(alembic_config(engine), "0002")
    assert "tone" not in {column["name"] for column in inspect(engine).get_columns("item")}
    from sqlalchemy import text

    with engine.connect() as connection:
        assert connection.execute(text("SELECT title FROM item")).scalars().all() == ["Tin"]
    engine.dispose()


def test_published_time_keeps_its_instant_across_backends(database_url):
    published = datetime(2020, 3, 24, 8, 15, tzinfo=HCM)
    with session_scope(database_url) as session:
        _source(session)
        session.add(Item(url="http://127.0.0.2/a-1.html", source_id="bao-mau", title="Tin", published_at=published))
    with session_scope(database_url) as session:
        item = session.exec(select(Item)).one()
        assert item.published_at == published
        assert item.published_at.utcoffset() == timedelta(0)
        assert item.fetched_at.tzinfo is not None


def test_naive_datetimes_are_refused(database_url):
    with pytest.raises(Exception, match="naive datetime"), session_scope(database_url) as session:
        _source(session)
        session.add(Item(url="http://x/1", source_id="bao-mau", title="t", published_at=datetime(2020, 1, 1)))


def test_the_same_canonical_url_cannot_be_stored_twice(database_url):
    with pytest.raises(IntegrityError), session_scope(database_url) as session:
        _source(session)
        session.add(Item(url="http://127.0.0.2/a-1.html", source_id="bao-mau", title="A"))
        session.flush()
        session.add(Item(url="http://127.0.0.2/a-1.html", source_id="bao-mau", title="B"))
    with session_scope(database_url) as session:
        assert session.exec(select(Item)).all() == []  # the failed transaction left nothing behind


def test_vietnamese_text_round_trips_unchanged(database_url):
    text = "Trường Cao đẳng Lạng Sơn tuyển sinh trình độ trung cấp, cao đẳng năm 2025 — “Thực học – Thực hành”."
    with session_scope(database_url) as session:
        _source(session)
        session.add(Item(url="http://x/2", source_id="bao-mau", title=text, text=text * 200))
    with session_scope(database_url) as session:
        item = session.exec(select(Item)).one()
        assert item.title == text and item.text == text * 200


def test_counting_rule_confirmed_counts_rejection_wins_accept_zone_counts_unreviewed(database_url):
    cases = {
        "http://x/confirmed-review-zone": ("review", "confirmed", True),
        "http://x/accept-unreviewed": ("accept", None, True),
        "http://x/accept-rejected": ("accept", "rejected", False),
        "http://x/review-unreviewed": ("review", None, False),
        "http://x/reject-confirmed": ("reject", "confirmed", True),
        "http://x/unclassified": (None, None, False),
    }
    with session_scope(database_url) as session:
        _source(session)
        for url, (zone, review, _) in cases.items():
            session.add(Item(url=url, source_id="bao-mau", title=url, zone=zone, review=review))
    with session_scope(database_url) as session:
        counted_in_sql = set(session.exec(select(Item.url).where(counted_clause())).all())
        items = session.exec(select(Item)).all()
    assert counted_in_sql == {url for url, (_, _, counted) in cases.items() if counted}
    assert {item.url for item in items if is_counted(item)} == counted_in_sql


def test_reviews_are_an_append_only_trail_linked_to_items(database_url):
    with session_scope(database_url) as session:
        _source(session)
        item = Item(url="http://x/3", source_id="bao-mau", title="t")
        session.add(item)
        session.flush()
        first = Review(item_id=item.id, user="lan", decision="confirmed")
        session.add(first)
        session.flush()
        session.add(Review(item_id=item.id, user="lan", decision="undo", undoes_id=first.id))
    with session_scope(database_url) as session:
        rows = session.exec(select(Review).order_by(Review.id)).all()
        assert [r.decision for r in rows] == ["confirmed", "undo"]
        assert rows[1].undoes_id == rows[0].id and rows[0].at.tzinfo is not None


def test_kpi_target_is_unique_per_year_and_metric(database_url):
    with pytest.raises(IntegrityError), session_scope(database_url) as session:
        session.add(KpiTarget(year=2024, metric="tin_bai", target=50))
        session.flush()
        session.add(KpiTarget(year=2024, metric="tin_bai", target=60))


def test_sync_sources_adds_updates_and_disables_but_never_deletes(database_url, tmp_path):
    first = parse_sources(
        "sources:\n  - {id: a, name: A, kind: tv, homepage: 'http://127.0.0.2/'}\n"
        "  - {id: b, name: B, kind: school, homepage: 'http://127.0.0.3/'}\n",
        tmp_path / "s.yaml",
    )
    second = parse_sources(
        "sources:\n  - {id: a, name: A mới, kind: tv, homepage: 'http://127.0.0.2/'}\n", tmp_path / "s.yaml"
    )
    with session_scope(database_url) as session:
        assert sync_sources(session, first) == {"added": 2, "updated": 0, "disabled": 0}
    with session_scope(database_url) as session:
        assert sync_sources(session, second) == {"added": 0, "updated": 1, "disabled": 1}
    with session_scope(database_url) as session:
        rows = {s.id: s for s in session.exec(select(Source))}
    assert rows["a"].name == "A mới" and rows["b"].enabled is False


def test_sqlite_uses_wal_so_a_reader_and_a_writer_work_at_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'wal.sqlite3'}"
    engine = get_engine(url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    with session_scope(url) as session:
        _source(session)
    errors: list[BaseException] = []

    def write(start: int) -> None:
        try:
            for n in range(start, start + 50):
                with session_scope(url) as session:
                    session.add(Item(url=f"http://x/{n}", source_id="bao-mau", title=str(n)))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(k * 100,)) for k in range(3)]
    for thread in threads:
        thread.start()
    with session_scope(url) as session:
        for _ in range(20):
            session.exec(select(Item)).all()
    for thread in threads:
        thread.join()
    assert errors == []
    with session_scope(url) as session:
        assert len(session.exec(select(Item)).all()) == 150


def test_unreachable_database_gives_a_clear_error():
    with pytest.raises(DatabaseError, match="cannot open the database postgresql"):
        get_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_not_a_database_url_gives_a_clear_error():
    with pytest.raises(DatabaseError, match="not a database URL"):
        get_engine("localhost:5432")


def test_upgrading_a_0002_database_keeps_its_items_and_indexes_them_for_the_queue_and_search(database_url):
    from zoneinfo import ZoneInfo

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from gdnn_monitor.core.textnorm import search_index
    from web.queue import QueueFilter, queue_page

    url = make_url(database_url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(url)
    command.upgrade(alembic_config(engine), "0002")
    titles = {
        "https://bao.vn/0": ("Trường Cao đẳng nghề Lạng Sơn tuyển sinh", "review", 0.55, None),
        "https://bao.vn/1": ("Hội nghị Đảng bộ tỉnh", "reject", 0.1, "rejected"),
        "https://bao.vn/2": ("Làng nghề gốm tuyển thợ học việc", "accept", 0.9, None),
    }
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO source (id, name, kind, enabled, consecutive_failures) "
                "VALUES ('bao-mau', 'Báo Mẫu', 'newspaper', true, 0)"
            )
        )
        for link, (title, zone, score, review) in titles.items():
            connection.execute(
                text(
                    "INSERT INTO item (url, source_id, origin, title, search_title, fetched_at, genre, language, "
                    "quantity, zone, gdnn_score, review) VALUES (:url, 'bao-mau', 'crawl', :title, :folded, :at, "
                    "'article', 'vi', 1, :zone, :score, :review)"
                ),
                {
                    "url": link,
                    "title": title,
                    "folded": search_index(title),
                    "zone": zone,
                    "score": score,
                    "review": review,
                    "at": datetime(2024, 5, 1, tzinfo=UTC),
                },
            )
    engine.dispose()
    head = get_engine(database_url)
    assert current_revision(head) == ScriptDirectory.from_config(alembic_config(head)).get_current_head()
    command.check(alembic_config(head))
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    with session_scope(database_url) as session:
        stored = {
            item.url: (item.title, item.zone, item.gdnn_score, item.review, item.queue_order)
            for item in session.exec(select(Item))
        }
        assert {link: values[:4] for link, values in stored.items()} == titles
        assert [round(stored[link][4], 6) for link in sorted(stored)] == [0.05, 2.4, 1.4]
        found, total = queue_page(session, QueueFilter(status="all", text="tuyen sinh"), tz)
        assert total == 1 and found[0].title == titles["https://bao.vn/0"][0]
        found, total = queue_page(session, QueueFilter(status="all", text="làng nghề"), tz)
        assert [row.title for row in found] == [titles["https://bao.vn/2"][0]]
        queue, total = queue_page(session, QueueFilter(status="all"), tz)
        assert total == 3 and [row.zone for row in queue] == ["review", "accept", "reject"]
    with head.connect() as connection:
        if head.dialect.name == "sqlite":  # the search above went through the FTS5 table, filled by the migration
            assert connection.exec_driver_sql("SELECT rowid FROM item_search WHERE item_search MATCH '\"tuy\"'").all()
        else:
            assert connection.exec_driver_sql("SELECT 1 FROM pg_indexes WHERE indexname = 'ix_item_search_trgm'").all()
