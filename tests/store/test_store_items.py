"""Idempotent upsert keyed by canonical URL, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

import store.items as items_module
from store.db import session_scope
from store.items import known_urls, upsert_item
from store.models import Item, Source

WHEN = datetime(2024, 3, 24, 1, 15, tzinfo=UTC)


def values(**overrides):
    base = {
        "url": "https://bao.vn/tuyen-sinh-nghe-1234.html",
        "source_id": "bao",
        "title": "Tuyển sinh nghề",
        "text": "Nội dung bài.",
        "content_hash": "h1",
        "simhash": "0f",
        "channel": "bao",
    }
    return {**base, **overrides}


def add_source(session) -> None:
    session.add(Source(id="bao", name="Báo", kind="newspaper"))
    session.flush()


def test_the_same_url_twice_is_one_item_and_gaps_get_filled(db_env):
    with session_scope() as session:
        add_source(session)
        first = upsert_item(session, values(published_at=None))
        again = upsert_item(session, values(published_at=WHEN, title="Tiêu đề khác"))
    assert first.created and not again.created and again.updated
    with session_scope() as session:
        [item] = session.exec(select(Item)).all()
        assert item.title == "Tuyển sinh nghề" and item.published_at == WHEN
        assert known_urls(session, ["bao"]) == {item.url: WHEN}


def test_review_and_classification_are_never_overwritten(db_env):
    with session_scope() as session:
        add_source(session)
        item = upsert_item(session, values()).item
        item.review, item.gdnn_score = "confirmed", 0.91
        session.add(item)
    with session_scope() as session:
        result = upsert_item(session, values(text="Bản khác của bài."))
        assert not result.created and not result.updated
        assert (result.item.review, result.item.gdnn_score, result.item.text) == ("confirmed", 0.91, "Nội dung bài.")


def test_identical_content_from_the_same_source_under_another_url_is_not_a_new_item(db_env):
    with session_scope() as session:
        add_source(session)
        upsert_item(session, values())
        alias = upsert_item(session, values(url="https://bao.vn/giao-duc/1234-tuyen-sinh-nghe.html"))
    assert not alias.created
    with session_scope() as session:
        assert len(session.exec(select(Item)).all()) == 1


def test_a_concurrent_insert_of_the_same_url_becomes_already_stored(db_env, monkeypatch):
    with session_scope() as session:
        add_source(session)
        upsert_item(session, values())
    monkeypatch.setattr(items_module, "find_existing", lambda *args: None)  # as if another worker won the race
    with session_scope() as session:
        result = upsert_item(session, values(content_hash="h2"))
        assert not result.created and result.item.content_hash == "h1"
    with session_scope() as session:
        assert len(session.exec(select(Item)).all()) == 1
