"""The web area's commands: users, targets, serve (port in use)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from click.testing import CliRunner
from sqlmodel import select
from web_helpers import PASSWORDS, csrf_of, served

from gdnn_monitor.cli import cli
from store.db import session_scope
from store.models import KpiTarget, User
from store.users import verify_login
from tests.cli_runner import run_cli


def test_users_add_with_a_password_creates_a_working_account(settings_env):
    result = run_cli("users", "add", "lan.nguyen", "--role", "reviewer", "--password", "mật-khẩu-dài")
    assert result.returncode == 0, result.stderr
    with session_scope() as session:
        assert verify_login(session, "lan.nguyen", "mật-khẩu-dài").role == "reviewer"
        assert verify_login(session, "lan.nguyen", "sai") is None
    again = run_cli("users", "add", "lan.nguyen", "--role", "admin", "--password", "khác-hẳn-123")
    assert again.returncode == 2 and "đã tồn tại" in again.stderr


def test_users_add_prompts_twice_with_hidden_input_on_a_terminal(settings_env, monkeypatch):
    monkeypatch.setattr("web.cli._interactive", lambda: True)
    result = CliRunner().invoke(
        cli, ["users", "add", "minh", "--role", "admin"], input="mat-khau-1\nmat-khau-2\nmat-khau-1\nmat-khau-1\n"
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("Mật khẩu (password)") == 2 and "mat-khau-1" not in result.output
    with session_scope() as session:
        assert verify_login(session, "minh", "mat-khau-1").role == "admin"


def test_users_add_refuses_a_short_password_and_a_bad_role(settings_env):
    short = run_cli("users", "add", "an", "--role", "viewer", "--password", "123")
    assert short.returncode == 2 and "ít nhất 8" in short.stderr
    role = run_cli("users", "add", "an", "--role", "boss", "--password", "12345678")
    assert role.returncode == 2
    with session_scope() as session:
        assert session.exec(select(User)).all() == []


def test_targets_set_then_list(settings_env):
    assert run_cli("targets", "set", "--year", "2024", "--metric", "tin_bai", "--target", "50").returncode == 0
    assert run_cli("targets", "set", "--year", "2024", "--metric", "tin_bai", "--target", "60").returncode == 0
    assert run_cli("targets", "set", "--year", "2024", "--metric", "san_pham", "--target", "1000").returncode == 0
    listed = run_cli("targets", "list")
    assert "tin_bai" in listed.stdout and "60" in listed.stdout and "1.000" in listed.stdout
    with session_scope() as session:
        assert len(session.exec(select(KpiTarget)).all()) == 2


def test_serve_on_a_port_in_use_says_so_with_exit_code_7(settings_env):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
    assert result.returncode == 7
    assert f"Cổng {port}" in result.stderr and "--port" in result.stderr and "Traceback" not in result.stderr


def test_session_secret_is_made_once_and_kept(settings_env):
    from web.security import session_secret

    first = session_secret(settings_env)
    assert first == session_secret(settings_env) and len(first) > 40
    assert (settings_env.data_dir / "secret_key").stat().st_mode & 0o077 == 0


def test_serve_starts_the_app_and_answers(settings_env):
    import time

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "gdnn_monitor.cli", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=False, timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, process.stderr.read().decode()
                time.sleep(0.2)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
        assert "Đăng nhập" in httpx.get(f"http://127.0.0.1:{port}/login").text
    finally:
        process.terminate()
        process.wait(timeout=20)


_served = served


def _login_from(base: str, address: str, password: str) -> int:
    import httpx

    with httpx.Client(base_url=base, headers={"X-Forwarded-For": address}) as browser:
        token = csrf_of(browser.get("/login").text)
        return browser.post(
            "/login", data={"username": "reviewer1", "password": password, "csrf_token": token}, follow_redirects=False
        ).status_code


def test_behind_a_trusted_proxy_the_login_lock_is_per_client_address(web_env):
    from web.throttle import MAX_FAILURES

    with _served({"GDNN_TRUSTED_PROXIES": "127.0.0.1"}) as base:
        for _ in range(MAX_FAILURES):
            assert _login_from(base, "10.0.0.7", "doan-mo") == 401
        assert _login_from(base, "10.0.0.7", PASSWORDS["reviewer"]) == 429
        assert _login_from(base, "10.0.0.8", PASSWORDS["reviewer"]) == 303  # the officer's own PC is not locked


def test_without_a_trusted_proxy_a_forged_forwarded_address_does_not_dodge_the_lock(web_env):
    from web.throttle import MAX_FAILURES

    with _served({}) as base:
        for attempt in range(MAX_FAILURES):
            assert _login_from(base, f"10.0.0.{attempt}", "doan-mo") == 401
        assert _login_from(base, "10.0.0.99", PASSWORDS["reviewer"]) == 429
