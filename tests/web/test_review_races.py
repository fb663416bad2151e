"""Decisions and undos on one item serialise: simultaneous undos never undo one decision twice, concurrent writers
leave an audit trail that replays to the item's state, and reviewers undo only their own decisions (issue 16 points
9 and 10), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import random
import threading

import httpx
import pytest
from sqlmodel import select
from web_helpers import csrf_of, login, login_http, served

from store.db import session_scope
from store.models import Item, Review
from store.reviews import DecidedMeanwhile, Decision, ReviewError, UndoNotAllowed, decide, undo_last

FIELDS = ("review", "reviewed_by", "theme", "genre")


def _together(workers: list) -> list:
    """Run the callables at the same moment, one thread each; returns what each raised (None when it succeeded)."""
    barrier = threading.Barrier(len(workers))
    outcomes: list = [None] * len(workers)

    def run(index: int) -> None:
        barrier.wait()
        try:
            workers[index]()
        except Exception as exc:  # the outcome is what the test checks
            outcomes[index] = exc

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return outcomes


def replay(item_id: int, initial: dict) -> dict:
    """The item's review state rebuilt from its audit trail alone; each row's recorded 'before' must match."""
    state = dict(initial)
    with session_scope() as session:
        rows = list(session.exec(select(Review).where(Review.item_id == item_id).order_by(Review.id)))
    by_id = {row.id: row for row in rows}
    for row in rows:
        recorded = json.loads(row.corrected)
        assert {name: recorded["before"][name] for name in FIELDS} == state, (
            f"review {row.id} was made on a stale state"
        )
        if row.decision == "undo":
            state = {name: json.loads(by_id[row.undoes_id].corrected)["before"][name] for name in FIELDS}
        else:
            state.update(recorded["changes"])
            if row.decision != "corrected":  # a correction alone makes nobody the reviewer
                state["review"] = row.decision
                state["reviewed_by"] = row.user
    undone = [row.undoes_id for row in rows if row.undoes_id]
    assert len(undone) == len(set(undone)), "one decision was undone twice"
    return state


def _state(item_id: int) -> dict:
    with session_scope() as session:
        item = session.get(Item, item_id)
        return {name: getattr(item, name) for name in FIELDS}


def test_simultaneous_undos_undo_one_decision_once(web_db_env):
    items = list(web_db_env.values())[:6]
    initial = {item_id: _state(item_id) for item_id in items}
    for item_id in items:
        with session_scope() as session:
            decide(session, item_id, "reviewer1", Decision("rejected"))
        with session_scope() as session:
            decide(session, item_id, "reviewer1", Decision("confirmed", theme="tuyen_sinh"))

    def undo(item_id: int):
        def work() -> None:
            with session_scope() as session:
                undo_last(session, item_id, "reviewer1")

        return work

    for item_id in items:
        outcomes = _together([undo(item_id), undo(item_id)])
        # either one wins and the other is told someone else decided first, or they ran one after the other and
        # undid the two decisions in turn; never both the same one
        assert all(outcome is None or isinstance(outcome, DecidedMeanwhile) for outcome in outcomes), outcomes
        assert replay(item_id, initial[item_id]) == _state(item_id)
        expected = "rejected" if any(outcomes) else None
        assert _state(item_id)["review"] == expected


def test_concurrent_writers_leave_a_trail_that_replays_to_the_items_state(web_db_env):
    item_id = web_db_env["uncertain"]
    initial = _state(item_id)
    chooser = random.Random(16)
    plan = [
        [chooser.choice(["confirmed", "rejected", "corrected", "undo", "undo"]) for _ in range(12)] for _ in range(6)
    ]
    themes = ["co_so", "tuyen_sinh", "chinh_sach"]
    refused: list[Exception] = []

    def writer(index: int):
        def work() -> None:
            for step, action in enumerate(plan[index]):
                try:
                    with session_scope() as session:
                        if action == "undo":
                            undo_last(session, item_id, f"reviewer{index}", is_admin=True)
                        else:
                            decide(
                                session,
                                item_id,
                                f"reviewer{index}",
                                Decision(action, theme=themes[(index + step) % len(themes)]),
                            )
                except ReviewError as exc:  # someone else decided first, nothing to undo, nothing to correct
                    refused.append(exc)

        return work

    outcomes = _together([writer(index) for index in range(6)])
    assert outcomes == [None] * 6, outcomes
    assert replay(item_id, initial) == _state(item_id)
    with session_scope() as session:
        assert len(session.exec(select(Review).where(Review.item_id == item_id)).all()) > 6


def test_a_reviewer_undoes_only_their_own_decision_and_an_admin_any(web_db_env):
    item_id = web_db_env["uncertain"]
    with session_scope() as session:
        decide(session, item_id, "admin1", Decision("confirmed", theme="tuyen_sinh"))
    with pytest.raises(UndoNotAllowed), session_scope() as session:
        undo_last(session, item_id, "reviewer1")
    assert _state(item_id)["review"] == "confirmed"
    with session_scope() as session:
        decide(session, item_id, "reviewer1", Decision("rejected"))
    with session_scope() as session:
        undo_last(session, item_id, "reviewer1")
    with session_scope() as session:
        undo_last(session, item_id, "admin1", is_admin=True)
    assert _state(item_id)["review"] is None


def test_a_manual_entrys_confirmation_is_undone_only_by_its_author_or_an_admin(client, web_env):
    token = login(client, "admin")
    response = client.post(
        "/manual",
        data={
            "title": "Bài báo in về tuyển sinh",
            "day": "2024-05-01",
            "channel": "bao",
            "genre": "print",
            "theme": "tuyen_sinh",
            "quantity": "1",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    with session_scope() as session:
        item_id = session.exec(select(Item.id).where(Item.origin == "manual")).one()
    client.post("/logout", data={"csrf_token": token})
    token = login(client, "reviewer")
    page = client.get(f"/items/{item_id}").text
    assert 'id="btn-undo"' not in page and "admin1" in page
    response = client.post(f"/items/{item_id}/undo", data={"csrf_token": token}, follow_redirects=True)
    assert "Chỉ admin1" in response.text
    assert _state(item_id)["review"] == "confirmed"


def test_the_undo_button_says_whose_decision_it_undoes(client, web_env):
    token = login(client, "reviewer")
    client.post(
        f"/items/{web_env['uncertain']}/decision", data={"decision": "rejected", "csrf_token": token, "stay": "1"}
    )
    page = client.get(f"/items/{web_env['uncertain']}").text
    assert "Hoàn tác quyết định “Đã từ chối” của reviewer1" in page


def test_an_undo_from_a_stale_page_is_refused_with_someone_else_decided_first(web_env):
    item_id = web_env["uncertain"]
    with (
        served() as base,
        httpx.Client(base_url=base, follow_redirects=False) as first,
        httpx.Client(base_url=base, follow_redirects=False) as second,
    ):
        token_first = login_http(first, "admin")
        token_second = login_http(second, "admin")
        first.post(f"/items/{item_id}/decision", data={"decision": "rejected", "csrf_token": token_first, "stay": "1"})
        first.post(f"/items/{item_id}/decision", data={"decision": "confirmed", "csrf_token": token_first, "stay": "1"})
        pages = [first.get(f"/items/{item_id}").text, second.get(f"/items/{item_id}").text]
        versions = [csrf_of(page) and page.split('name="version" value="')[1].split('"')[0] for page in pages]
        results = _together(
            [
                lambda: first.post(f"/items/{item_id}/undo", data={"csrf_token": token_first, "version": versions[0]}),
                lambda: second.post(
                    f"/items/{item_id}/undo", data={"csrf_token": token_second, "version": versions[1]}
                ),
            ]
        )
        assert results == [None, None]
        messages = first.get(f"/items/{item_id}").text + second.get(f"/items/{item_id}").text
        assert "Người khác vừa quyết định" in messages
    assert _state(item_id)["review"] == "rejected"
    with session_scope() as session:
        assert len(session.exec(select(Review).where(Review.decision == "undo")).all()) == 1
