"""The queue at scale: counts stop at a cap ("Hơn …"), title searches list newest first and j/k walks the same order,
ties in the queue order keep newest first, on SQLite (FTS5) and PostgreSQL (pg_trgm)."""

from __future__ import annotations

from sqlmodel import select

from gdnn_monitor.core.settings import get_settings
from store.db import session_scope
from store.models import Item
from web.queue import QueueFilter, neighbour, queue_page


def _add(titles: list[str], score: float = 0.55) -> list[int]:
    with session_scope() as session:
        for index, title in enumerate(titles):
            session.add(
                Item(
                    url=f"http://127.0.0.1:9/scale/{index}-{abs(hash(title))}",
                    source_id="bao-tinh",
                    title=title,
                    zone="review",
                    gdnn_score=score,
                )
            )
    with session_scope() as session:
        return list(session.exec(select(Item.id).where(Item.url.like("http://127.0.0.1:9/scale/%")).order_by(Item.id)))


def _walk(session, chosen: QueueFilter, start: Item, forward: bool) -> list[int]:
    tz = get_settings().tz
    ids, item = [], start
    while (next_id := neighbour(session, chosen, item, tz, forward)) is not None:
        ids.append(next_id)
        item = session.get(Item, next_id)
    return ids


def test_a_title_search_lists_newest_first_and_next_previous_follow_it(web_db_env):
    ids = _add([f"Tuyển sinh học nghề hàn điện đợt {n}" for n in range(5)] + ["Hội nghị tỉnh ủy"])
    chosen = QueueFilter(status="all", text="han dien")
    with session_scope() as session:
        rows, total = queue_page(session, chosen, get_settings().tz)
        assert [row.id for row in rows] == ids[4::-1] and total == 5
        newest = session.get(Item, ids[4])
        assert _walk(session, chosen, newest, forward=True) == ids[3::-1]
        assert _walk(session, chosen, session.get(Item, ids[0]), forward=False) == ids[1:5]


def test_equal_places_in_the_queue_keep_newest_first_and_the_walk_visits_each_once(web_db_env):
    ids = _add([f"Tin ngang điểm {n}" for n in range(4)], score=0.5)
    chosen = QueueFilter(status="uncertain")
    with session_scope() as session:
        rows, _ = queue_page(session, chosen, get_settings().tz)
        assert [row.id for row in rows][:4] == ids[::-1]
        first = session.get(Item, rows[0].id)
        walked = _walk(session, chosen, first, forward=True)
        assert [first.id, *walked] == [row.id for row in rows]
        assert _walk(session, chosen, session.get(Item, rows[-1].id), forward=False) == [row.id for row in rows][-2::-1]


def test_the_queue_says_more_than_the_cap_instead_of_counting_everything(client, web_env, monkeypatch):
    from web_helpers import login

    import web.queue

    login(client, "reviewer")
    monkeypatch.setattr(web.queue, "COUNT_CAP", 3)
    monkeypatch.setattr(web.queue, "PAGE_SIZE", 2)
    monkeypatch.setattr("web.routes.queue.PAGE_SIZE", 2)
    page = client.get("/queue?status=all").text
    assert "Hơn 3 tin/bài" in page and "Trang 1 / 2+" in page and 'rel="next"' in page
    exact = client.get("/queue?status=all&q=han+dien").text
    assert "Hơn" not in exact
