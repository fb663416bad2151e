"""Security of the web app: login everywhere, roles on the server, CSRF on every form, untrusted text escaped."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select
from web_helpers import PASSWORDS, csrf_of, login

from store.db import session_scope
from store.models import Item, KpiTarget, Review, User


def _app_routes():
    """Every route of every router module the app includes (read from the modules, whatever FastAPI's wrapping)."""
    from fastapi.routing import APIRoute

    from web.routes import admin, auth, dashboard, items, manual, queue, reports

    routers = (auth, dashboard, queue, items, manual, reports, admin)
    return [route for module in routers for route in module.router.routes if isinstance(route, APIRoute)]


def _concrete(path: str, item_id: int) -> str:
    return re.sub(
        r"\{[^}]+\}",
        lambda m: "viewer1" if "username" in m.group(0) else ("x.pdf" if "name" in m.group(0) else str(item_id)),
        path,
    )


def test_every_page_and_action_redirects_to_login_without_a_session(client, web_env):
    item_id = web_env["uncertain"]
    checked = 0
    for route in _app_routes():
        if route.path in ("/login",):
            continue
        path = _concrete(route.path, item_id)
        for method in route.methods - {"HEAD"}:
            response = client.request(method, path, follow_redirects=False)
            assert response.status_code in (303, 403), (method, path, response.status_code)
            if method == "GET":
                assert response.headers["location"].startswith("/login?next="), path
            checked += 1
    assert checked >= 15
    with session_scope() as session:
        assert session.exec(select(Review)).all() == []


def test_a_post_with_the_session_token_but_no_login_changes_nothing(client, web_env):
    token = csrf_of(client.get("/login").text)
    response = client.post(
        f"/items/{web_env['uncertain']}/decision",
        data={"decision": "confirmed", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    with session_scope() as session:
        assert session.get(Item, web_env["uncertain"]).review is None


def test_every_form_action_refuses_a_post_without_the_csrf_token(client, web_env):
    login(client, "admin")
    for route in _app_routes():
        if "POST" not in route.methods:
            continue
        path = _concrete(route.path, web_env["uncertain"])
        response = client.post(
            path,
            data={"decision": "confirmed", "year": "2024", "metric": "tin_bai", "target": "5"},
            follow_redirects=False,
        )
        assert response.status_code == 403, (path, response.status_code)
        assert "CSRF" in response.text
    wrong = client.post(
        f"/items/{web_env['uncertain']}/decision",
        data={"decision": "confirmed", "csrf_token": "forged"},
        follow_redirects=False,
    )
    assert wrong.status_code == 403
    with session_scope() as session:
        assert session.get(Item, web_env["uncertain"]).review is None
        assert session.exec(select(KpiTarget)).all() == []


def test_a_viewer_can_read_but_cannot_review_enter_or_administer(client, web_env):
    token = login(client, "viewer")
    assert client.get("/queue").status_code == 200
    page = client.get(f"/items/{web_env['uncertain']}")
    assert page.status_code == 200 and 'id="decision-form"' not in page.text
    for path, data in [
        (f"/items/{web_env['uncertain']}/decision", {"decision": "confirmed"}),
        (f"/items/{web_env['uncertain']}/undo", {}),
        ("/manual", {"title": "Bài báo in", "day": "2024-05-02", "channel": "bao", "genre": "print"}),
        ("/admin/targets", {"year": "2024", "metric": "tin_bai", "target": "50"}),
        ("/admin/users", {"username": "intruder", "role": "admin", "password": "12345678x"}),
    ]:
        response = client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 403, path
    assert client.get("/admin/users").status_code == 403
    with session_scope() as session:
        assert session.get(Item, web_env["uncertain"]).review is None
        assert session.exec(select(User).where(User.username == "intruder")).first() is None
        assert session.exec(select(KpiTarget)).all() == []


def test_a_reviewer_cannot_reach_the_admin_pages(client, web_env):
    token = login(client, "reviewer")
    assert client.get("/admin/targets").status_code == 403
    response = client.post(
        "/admin/targets",
        data={"year": "2024", "metric": "tin_bai", "target": "50", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 403


def test_article_text_with_script_is_shown_as_text(client, web_env):
    login(client, "reviewer")
    page = client.get(f"/items/{web_env['script']}").text
    assert "<script>alert" not in page and "<script>document" not in page
    assert "&lt;<mark>script</mark>&gt;document" in page  # 'script' is an explaining word: marked, still text
    page = page.replace("<mark>", "").replace("</mark>", "")
    assert "&lt;script&gt;document.body.dataset.pwned" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=" in page
    assert "Kết thúc tốt đẹp &amp; trao giải" in page
    assert 'href="javascript:' not in page
    queue = client.get("/queue").text
    assert "<script>alert" not in queue and "&lt;script&gt;alert" in queue


def test_highlighting_escapes_before_marking():
    from web.templating import highlight

    html = str(
        highlight(
            "Học nghề <b>miễn phí</b> & tuyển sinh trung cấp\n\nĐoạn hai", ["học nghề", "<b>", "amp", "trung cấp"]
        )
    )
    assert "<mark>Học nghề</mark>" in html and "<mark>trung cấp</mark>" in html
    assert "<b>" not in html and "&lt;<mark>" not in html
    assert "&amp;" in html and "<mark>amp</mark>" not in html
    assert html.count("<p>") == 2


def test_wrong_password_and_disabled_account_cannot_log_in(client, web_env):
    from store.users import set_active

    token = csrf_of(client.get("/login").text)
    wrong = client.post("/login", data={"username": "admin1", "password": "nope", "csrf_token": token})
    assert wrong.status_code == 401 and "Sai tên đăng nhập" in wrong.text
    with session_scope() as session:
        set_active(session, "reviewer1", False)
    refused = client.post(
        "/login", data={"username": "reviewer1", "password": PASSWORDS["reviewer"], "csrf_token": token}
    )
    assert refused.status_code == 401


def _try_login(client, username: str, password: str):
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}, follow_redirects=False
    )


def test_repeated_wrong_passwords_lock_that_account_for_a_while_but_not_others(client, web_env):
    from web.throttle import MAX_FAILURES

    for _ in range(MAX_FAILURES):
        assert _try_login(client, "reviewer1", "doan-mo").status_code == 401
    locked = _try_login(client, "Reviewer1 ", PASSWORDS["reviewer"])  # even the right password, any spelling
    assert locked.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in locked.text and "15 phút" in locked.text
    assert _try_login(client, "admin1", PASSWORDS["admin"]).status_code == 303


def test_a_login_lock_expires_and_a_success_clears_earlier_failures():
    from web.throttle import LoginThrottle

    now = [1000.0]
    throttle = LoginThrottle(max_failures=3, window=60, lock=300, clock=lambda: now[0])
    key = throttle.key("10.0.0.7", "lan")
    throttle.failed(key)
    throttle.failed(key)
    throttle.succeeded(key)
    throttle.failed(key)
    throttle.failed(key)
    assert throttle.seconds_locked(key) == 0  # the success reset the count: two failures since
    now[0] += 61  # failures older than the window are forgotten
    throttle.failed(key)
    throttle.failed(key)
    assert throttle.seconds_locked(key) == 0
    throttle.failed(key)
    assert throttle.seconds_locked(key) == 300
    assert throttle.seconds_locked(throttle.key("10.0.0.8", "lan")) == 0
    now[0] += 300
    assert throttle.seconds_locked(key) == 0


def test_a_deactivated_user_is_logged_out_at_the_next_request(client, web_env):
    from store.users import set_active

    login(client, "reviewer")
    with session_scope() as session:
        set_active(session, "reviewer1", False)
    response = client.get("/queue", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


@pytest.mark.parametrize("target", ["//evil.example/x", "http://evil.example/", "/\\evil.example"])
def test_login_never_redirects_off_site(client, web_env, target):
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": "admin1", "password": PASSWORDS["admin"], "csrf_token": token, "next": target},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_passwords_are_stored_as_argon2_hashes(web_env):
    with session_scope() as session:
        user = session.exec(select(User).where(User.username == "admin1")).one()
    assert user.password_hash.startswith("$argon2") and PASSWORDS["admin"] not in user.password_hash
