"""Sessions end when they should and only a strong key signs them (issue 16 points 1, 2, 7), checked against the
real `serve` process."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest
from sqlmodel import select
from web_helpers import login_http, served

from store.db import session_scope
from store.models import Item, Review
from tests.cli_runner import run_cli


def _cookie(browser: httpx.Client) -> str:
    return browser.cookies["gdnn_session"]


def _with_cookie(base: str, cookie: str) -> httpx.Client:
    return httpx.Client(base_url=base, cookies={"gdnn_session": cookie}, follow_redirects=False)


def _still_in(base: str, cookie: str) -> bool:
    with _with_cookie(base, cookie) as copy:
        return copy.get("/queue").status_code == 200


def test_a_cookie_saved_before_logout_neither_reads_nor_decides_afterwards(web_env):
    with served() as base, httpx.Client(base_url=base, follow_redirects=False) as browser:
        token = login_http(browser, "reviewer")
        saved = _cookie(browser)
        assert _still_in(base, saved)
        assert browser.post("/logout", data={"csrf_token": token}).status_code == 303
        assert not _still_in(base, saved)
        with _with_cookie(base, saved) as copy:
            response = copy.post(
                f"/items/{web_env['uncertain']}/decision", data={"decision": "confirmed", "csrf_token": token}
            )
            assert response.status_code == 303 and response.headers["location"].startswith("/login")
    with session_scope() as session:
        assert session.exec(select(Review)).all() == []
        assert session.get(Item, web_env["uncertain"]).review is None


def test_a_password_change_ends_every_earlier_session(web_env):
    with served() as base, httpx.Client(base_url=base, follow_redirects=False) as browser:
        login_http(browser, "reviewer")
        saved = _cookie(browser)
        result = run_cli("users", "passwd", "reviewer1", stdin="mat-khau-moi-123\nmat-khau-moi-123\n")
        assert result.returncode == 0, result.stderr
        assert not _still_in(base, saved)
        with httpx.Client(base_url=base, follow_redirects=False) as again:
            login_http(again, "reviewer", "mat-khau-moi-123")
            assert _still_in(base, _cookie(again))


def test_deactivation_and_log_out_everywhere_end_the_sessions_of_that_account_only(web_env):
    with (
        served() as base,
        httpx.Client(base_url=base, follow_redirects=False) as admin,
        httpx.Client(base_url=base, follow_redirects=False) as reviewer,
        httpx.Client(base_url=base, follow_redirects=False) as viewer,
    ):
        token = login_http(admin, "admin")
        login_http(reviewer, "reviewer")
        login_http(viewer, "viewer")
        page = admin.get("/admin/users").text
        assert "Đăng xuất mọi nơi" in page
        assert admin.post("/admin/users/reviewer1/logout", data={"csrf_token": token}).status_code == 303
        assert not _still_in(base, _cookie(reviewer))
        assert _still_in(base, _cookie(viewer)) and _still_in(base, _cookie(admin))
        assert admin.post("/admin/users/viewer1/active", data={"csrf_token": token, "active": "0"}).status_code == 303
        assert admin.post("/admin/users/viewer1/active", data={"csrf_token": token, "active": "1"}).status_code == 303
        assert not _still_in(base, _cookie(viewer)), "re-activating must not revive the old session"


@pytest.mark.parametrize("key", ["a", "CHANGE-ME-TO-A-LONG-RANDOM-STRING", "x" * 64, "test-secret-key-for-sessions"])
def test_serve_refuses_a_weak_or_placeholder_secret_key_and_says_how_to_make_one(web_env, key):
    env = os.environ | {"GDNN_SECRET_KEY": key}
    result = subprocess.run(
        [sys.executable, "-m", "gdnn_monitor.cli", "serve", "--port", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 4, result.stderr
    assert "secrets.token_urlsafe(48)" in result.stderr and "Traceback" not in result.stderr


def test_the_example_environment_file_holds_no_usable_secret_key():
    from pathlib import Path

    from web.security import secret_key_problem

    example = Path(__file__).resolve().parents[2] / "docs" / "systemd" / "gdnn-monitor.env.example"
    values = [
        line.split("=", 1)[1].strip().strip('"')
        for line in example.read_text().splitlines()
        if line.startswith("GDNN_SECRET_KEY=")
    ]
    assert all(value == "" or secret_key_problem(value) for value in values)


def test_a_huge_title_never_makes_a_session_cookie_browsers_drop(web_env):
    with served() as base, httpx.Client(base_url=base, follow_redirects=False) as browser:
        token = login_http(browser, "admin")
        response = browser.post(
            "/manual",
            data={
                "title": "Tờ rơi tuyển sinh " * 6000,
                "day": "2024-05-01",
                "channel": "bao",
                "genre": "print",
                "theme": "tuyen_sinh",
                "quantity": "1",
                "csrf_token": token,
            },
        )
        assert response.status_code == 303
        assert len(response.headers["set-cookie"]) < 4000, len(response.headers["set-cookie"])
        assert "Đã lưu mục nhập tay" in browser.get("/manual").text
