"""Reviewing: queue order and filters, decisions with their audit trail, undo, overturning auto-accepted items."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlencode

import pytest
from sqlmodel import select
from web_helpers import login

from gdnn_monitor.core.settings import get_settings
from store.counting import is_counted
from store.db import session_scope
from store.models import Item, Review
from store.reviews import Decision, ReviewError, decide, history, undo_last
from web.queue import QueueFilter, queue_page


def _queue_ids(client, query: str = "") -> list[int]:
    page = client.get("/queue" + query).text
    return [int(i) for i in re.findall(r'<tr class="queue-row[^"]*" data-href="/items/(\d+)', page)]


def test_queue_puts_the_review_zone_first_most_uncertain_first(client, web_env):
    login(client, "reviewer")
    ids = _queue_ids(client)
    # review zone by |score - 0.5|: 0.52, 0.47, 0.60; then the accept zone: 0.81, 0.93, 0.97; then the reject zone
    assert ids == [
        web_env[key] for key in ("uncertain", "script", "uncertain2", "copy", "auto", "june", "false-friend")
    ]


def test_queue_filters_by_source_kind_month_theme_and_status(client, web_env):
    login(client, "reviewer")
    assert _queue_ids(client, "?source=fb-truong") == [web_env["uncertain2"]]
    assert _queue_ids(client, "?kind=tv") == [web_env["auto"]]
    assert _queue_ids(client, "?month=2024-06") == [web_env["june"]]
    assert set(_queue_ids(client, "?theme=ky_nang")) == {web_env["script"], web_env["june"]}
    assert set(_queue_ids(client, "?status=auto")) == {web_env["copy"], web_env["auto"], web_env["june"]}
    assert _queue_ids(client, "?month=5/2024&status=confirmed") == []


def test_queue_search_finds_title_words_in_any_order_with_or_without_diacritics(client, web_env):
    login(client, "reviewer")
    both_copies = {web_env["uncertain"], web_env["copy"]}  # "Tư vấn tuyển sinh - hướng nghiệp … huyện Cao Lộc"
    for query in (
        "cao lộc hướng nghiệp",
        "CAO LỘC HƯỚNG NGHIỆP",
        "cao loc huong nghiep",
        "Hướng nghiệp, Cao Lộc!",
        unicodedata.normalize("NFD", "cao lộc hướng nghiệp"),
    ):
        assert set(_queue_ids(client, "?status=all&" + urlencode({"q": query}))) == both_copies, query
    assert set(_queue_ids(client, "?status=all&q=tuyen+sinh")) == both_copies | {web_env["uncertain2"]}
    # typed with tone marks a word matches only itself; typed without, every marked form of it
    assert _queue_ids(client, "?status=all&" + urlencode({"q": "làng nghề"})) == [web_env["false-friend"]]
    assert set(_queue_ids(client, "?status=all&q=lang+nghe")) == {web_env["false-friend"], web_env["auto"]}
    page = client.get("/queue?" + urlencode({"q": "Cao Lộc đào tạo"})).text
    assert "Không có tin/bài nào khớp bộ lọc." in page
    assert 'value="Cao Lộc đào tạo"' in page  # the search stays in its box


def test_a_search_keeps_the_other_filters_and_a_new_item_is_found_at_once(client, web_env):
    login(client, "reviewer")
    with session_scope() as session:
        session.add(
            Item(
                url="http://127.0.0.1:9/moi.html",
                source_id="bao-tinh",
                zone="review",
                gdnn_score=0.55,
                title="Khai giảng lớp sơ cấp nghề hàn điện cho lao động nông thôn",
            )
        )
    with session_scope() as session:
        new_id = session.exec(select(Item.id).where(Item.url == "http://127.0.0.1:9/moi.html")).one()
    assert _queue_ids(client, "?q=han+dien") == [new_id]
    assert _queue_ids(client, "?q=han+dien&status=confirmed") == []
    assert _queue_ids(client, "?q=han+dien&source=fb-truong") == []


def test_queue_pages_hold_fifty_items(web_env):
    with session_scope() as session:
        for index in range(120):
            session.add(
                Item(
                    url=f"http://127.0.0.1:9/extra/{index}",
                    source_id="bao-tinh",
                    title=f"Tin {index}",
                    zone="review",
                    gdnn_score=0.5 + index / 1000,
                )
            )
    with session_scope() as session:
        first, total = queue_page(session, QueueFilter(status="uncertain"), get_settings().tz)
        third, _ = queue_page(session, QueueFilter(status="uncertain", page=3), get_settings().tz)
    assert total == 123 and len(first) == 50 and len(third) == 23
    assert first[0].title == "Tin 0"


def test_confirm_from_the_item_page_counts_it_and_records_who_and_when(client, web_env):
    token = login(client, "reviewer")
    item_id = web_env["uncertain"]
    response = client.post(
        f"/items/{item_id}/decision",
        data={
            "decision": "confirmed",
            "note": "đúng chủ đề",
            "theme": "tuyen_sinh",
            "genre": "article",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    with session_scope() as session:
        item = session.get(Item, item_id)
        trail = history(session, item_id)
    assert item.review == "confirmed" and item.reviewed_by == "reviewer1" and is_counted(item)
    assert [(r.decision, r.user, r.note) for r in trail] == [("confirmed", "reviewer1", "đúng chủ đề")]
    assert trail[0].at.tzinfo is not None
    page = client.get(f"/items/{item_id}").text
    assert "Đã xác nhận" in page and "reviewer1" in page and "đúng chủ đề" in page
    client.post(f"/items/{item_id}/decision", data={"decision": "corrected", "genre": "photo", "csrf_token": token})
    assert "Thể loại → Ảnh, phóng sự ảnh" in client.get(f"/items/{item_id}").text


def test_undo_restores_the_state_before_the_decision_and_is_audited(client, web_env):
    token = login(client, "reviewer")
    item_id = web_env["auto"]
    client.post(f"/items/{item_id}/decision", data={"decision": "rejected", "genre": "broadcast", "csrf_token": token})
    with session_scope() as session:
        item = session.get(Item, item_id)
        assert item.review == "rejected" and item.genre == "broadcast" and not is_counted(item)
    client.post(f"/items/{item_id}/undo", data={"csrf_token": token})
    with session_scope() as session:
        item = session.get(Item, item_id)
        trail = history(session, item_id)
    assert item.review is None and item.genre == "video" and item.reviewed_by is None and is_counted(item)
    assert [r.decision for r in trail] == ["rejected", "undo"] and trail[1].undoes_id == trail[0].id


def test_rejecting_an_auto_accepted_item_takes_it_out_of_the_count(web_env):
    with session_scope() as session:
        before = session.get(Item, web_env["june"])
        assert before.zone == "accept" and is_counted(before)
        decide(session, web_env["june"], "admin1", Decision("rejected", note="trùng"))
    with session_scope() as session:
        assert not is_counted(session.get(Item, web_env["june"]))


def test_correcting_theme_and_genre_keeps_the_verdict(web_env):
    with session_scope() as session:
        decide(session, web_env["uncertain"], "reviewer1", Decision("confirmed"))
        decide(session, web_env["uncertain"], "admin1", Decision("corrected", theme="co_so", genre="photo"))
        item = session.get(Item, web_env["uncertain"])
        assert (item.review, item.theme, item.genre, item.reviewed_by) == ("confirmed", "co_so", "photo", "admin1")
        undo_last(session, web_env["uncertain"], "admin1")
        item = session.get(Item, web_env["uncertain"])
        assert (item.review, item.theme, item.genre, item.reviewed_by) == (
            "confirmed",
            "tuyen_sinh",
            "article",
            "reviewer1",
        )


def test_undo_works_like_a_stack_and_stops_when_nothing_is_left(web_env):
    with session_scope() as session:
        decide(session, web_env["uncertain"], "reviewer1", Decision("confirmed"))
        decide(session, web_env["uncertain"], "reviewer1", Decision("rejected"))
        undo_last(session, web_env["uncertain"], "reviewer1")
        assert session.get(Item, web_env["uncertain"]).review == "confirmed"
        undo_last(session, web_env["uncertain"], "reviewer1")
        assert session.get(Item, web_env["uncertain"]).review is None
        with pytest.raises(ReviewError):
            undo_last(session, web_env["uncertain"], "reviewer1")
        assert len(session.exec(select(Review)).all()) == 4


def test_a_bad_decision_is_refused_with_a_message_and_changes_nothing(client, web_env):
    token = login(client, "reviewer")
    response = client.post(
        f"/items/{web_env['uncertain']}/decision", data={"decision": "corrected", "csrf_token": token}
    )
    assert "Không có gì để sửa" in response.text
    with session_scope() as session:
        assert session.exec(select(Review)).all() == []
    assert client.get("/items/999999").status_code == 404


def test_item_page_shows_copies_highlights_score_and_a_safe_link(client, web_env):
    login(client, "reviewer")
    page = client.get(f"/items/{web_env['uncertain']}").text
    assert "Bản đăng lại cùng câu chuyện (1)" in page and f'/items/{web_env["copy"]}' in page
    assert "<mark>tư vấn tuyển sinh</mark>" in page and "<mark>học nghề</mark>" in page
    assert "Từ ngữ nghiêng về GDNN" in page
    assert "0.520" in page and 'rel="noopener noreferrer"' in page
    rejected = client.get(f"/items/{web_env['false-friend']}").text
    assert "Từ ngữ khiến mô hình loại" in rejected and "<mark>làng nghề</mark>" in rejected.lower()


def _add_negative_item(web_env) -> int:
    """A review-zone item the classifier flagged as bad news about a vocational school."""
    with session_scope() as session:
        item = Item(
            url="http://127.0.0.1:9/bao-tinh/canh-cao.html",
            source_id="bao-tinh",
            title="Cảnh cáo hiệu trưởng Trường Cao đẳng nghề vì sai phạm tài chính",
            text="Thanh tra tỉnh kết luận nhiều sai phạm; hiệu trưởng bị kỷ luật cảnh cáo.",
            gdnn_score=0.97,
            gdnn=True,
            zone="review",
            theme="co_so",
            model_version="test",
            explanation='["Trường Cao đẳng nghề"]',
            tone="negative",
            tone_phrases='["Cảnh cáo", "sai phạm"]',
        )
        session.add(item)
        session.flush()
        return item.id


def test_negative_items_carry_a_badge_in_the_queue_and_have_their_own_filter(client, web_env):
    negative = _add_negative_item(web_env)
    login(client, "reviewer")
    page = client.get("/queue").text
    row = page[page.index(f'data-href="/items/{negative}') :]
    row = row[: row.index("</tr>")]
    assert '<span class="badge negative"' in row and "Tiêu cực" in row and "Cảnh cáo, sai phạm" in row
    assert page.count('class="badge negative"') == 1  # only the flagged item
    assert "Tin tiêu cực" in page and "Chỉ tin tiêu cực" in page
    assert _queue_ids(client, "?tone=negative") == [negative]
    assert _queue_ids(client, "?tone=negative&theme=ky_nang") == []
    assert len(_queue_ids(client, "?tone=nonsense")) == len(_queue_ids(client))  # unknown value: no filter


def test_item_page_explains_why_an_item_is_flagged_negative(client, web_env):
    negative = _add_negative_item(web_env)
    login(client, "reviewer")
    page = client.get(f"/items/{negative}").text
    assert 'id="tone-negative"' in page and "cán bộ quyết định có tính vào kế hoạch" in page
    assert "<mark>Cảnh cáo</mark>" in page and "<mark>sai phạm</mark>" in page
    assert 'id="tone-negative"' not in client.get(f"/items/{web_env['uncertain']}").text
