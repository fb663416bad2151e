"""Odd input never reaches a traceback: every out-of-range or malformed value gets a 4xx page in Vietnamese
(issue 16 point 13, issue 14 point 6), on SQLite and on PostgreSQL."""

from __future__ import annotations

import io

import pytest
from web_helpers import csrf_of, login

ODD_PAGES = [
    "/queue?month=0000-01",
    "/queue?month=9999-12",
    "/queue?page=100000000000000000000",
    "/items/100000000000000000000",
    "/items/abc",
    "/reports/download?year=²",
    "/reports/download?year=99999",
    "/?year=abc",
    "/?year=%C2%B2",
    "/?year=0000",
    "/queue?q=%00",
    "/items/1%00",
    "/khong-co-trang-nay",
]


@pytest.fixture
def db_client(web_db_env):
    from fastapi.testclient import TestClient

    from web.app import create_app

    with TestClient(create_app(), base_url="http://127.0.0.1", raise_server_exceptions=False) as test_client:
        yield test_client


def _is_app_page(response) -> bool:
    """The app's own HTML page in Vietnamese, not FastAPI's JSON or Starlette's English text."""
    return (
        response.headers["content-type"].startswith("text/html")
        and 'lang="vi"' in response.text
        and "Not Found" not in response.text
        and '"detail"' not in response.text
    )


@pytest.mark.parametrize("path", ODD_PAGES)
def test_an_odd_query_or_path_gets_a_vietnamese_4xx_page(db_client, path):
    login(db_client, "admin")
    response = db_client.get(path, follow_redirects=False)
    assert 400 <= response.status_code < 500, (path, response.status_code)
    assert _is_app_page(response), response.text[:300]


@pytest.mark.parametrize("page", ["-3", "abc"])
def test_a_queue_page_that_is_not_a_page_number_is_named_and_page_one_shown(db_client, page):
    """Not out of any range, just not a page: the queue still answers and says what it left out (issue 14 point 19)."""
    login(db_client, "admin")
    response = db_client.get(f"/queue?page={page}")
    assert response.status_code == 200 and f"trang &#39;{page}&#39; không phải số trang hợp lệ" in response.text


def test_an_empty_year_shows_this_year_and_a_bad_one_says_what_is_wrong(db_client):
    login(db_client, "reviewer")
    assert db_client.get("/?year=").status_code == 200
    response = db_client.get("/?year=abc")
    assert response.status_code == 400 and "Năm không hợp lệ" in response.text


def test_a_reviewer_opening_the_admin_pages_is_told_not_permitted_not_not_found(db_client):
    login(db_client, "reviewer")
    for path in ("/targets", "/users", "/admin/targets"):
        response = db_client.get(path)
        assert response.status_code == 403 and "Không có quyền" in response.text, path


def test_odd_form_values_are_refused_with_a_message(db_client):
    token = login(db_client, "admin")
    cases = [
        ("/manual", {"title": "Bài in", "day": "0001-01-01", "channel": "bao", "genre": "print", "quantity": "1"}),
        ("/manual", {"title": "Bài in", "day": "9999-12-31", "channel": "bao", "genre": "print", "quantity": "1"}),
        ("/manual", {"title": "Bài\x00 in", "day": "2024-05-01", "channel": "bao", "genre": "print", "quantity": "1"}),
        ("/admin/targets", {"year": "2026", "metric": "tin_bai", "target": "1" + "0" * 30}),
        ("/admin/targets", {"year": "²", "metric": "tin_bai", "target": "5"}),
        ("/admin/users", {"username": "ab\x00c", "role": "viewer", "password": "mat-khau-dai-1"}),
    ]
    for path, data in cases:
        response = db_client.post(path, data={**data, "csrf_token": token})
        assert response.status_code < 500, (path, data, response.status_code)
        assert _is_app_page(response)
        assert response.status_code >= 400 or "flash error" in response.text, (path, data)


def test_a_very_long_attachment_name_is_refused_or_shortened_not_a_crash(db_client):
    token = login(db_client, "reviewer")
    name = "b" * 5000 + ".pdf"
    response = db_client.post(
        "/manual",
        data={
            "title": "Tờ rơi",
            "day": "2024-05-01",
            "channel": "bao",
            "genre": "print",
            "quantity": "1",
            "csrf_token": token,
        },
        files={"attachment": (name, io.BytesIO(b"%PDF-1.4 test"), "application/pdf")},
    )
    assert response.status_code < 500 and _is_app_page(response)


def test_a_nul_byte_in_the_login_form_is_refused_without_an_error(db_client):
    token = csrf_of(db_client.get("/login").text)
    response = db_client.post("/login", data={"username": "admin1\x00", "password": "x", "csrf_token": token})
    assert response.status_code == 400 and _is_app_page(response)
    assert "NUL" in response.text


def test_a_decision_with_a_huge_item_number_is_not_found(db_client):
    token = login(db_client, "reviewer")
    response = db_client.post(
        "/items/100000000000000000000/decision", data={"decision": "confirmed", "csrf_token": token}
    )
    assert response.status_code == 404 and _is_app_page(response)
