"""A database that goes away or never answers gives a Vietnamese 503 page and a clear CLI error, never a bare
"Internal Server Error" or a hang (issue 16 point 12)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import httpx
import psycopg
from web_helpers import login_http, served

from gdnn_monitor.core.errors import EXIT_DATABASE


def _database_name(url: str) -> str:
    return url.rsplit("/", 1)[1]


def _block(admin_url: str, name: str, allowed: bool) -> None:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS {str(allowed).lower()}')
        if not allowed:
            connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))


def test_postgresql_going_away_gives_a_vietnamese_503_page_and_the_app_recovers(
    web_env, postgres_url, postgres_server, monkeypatch
):
    from web_helpers import seed_accounts, seed_items

    from gdnn_monitor.core.settings import get_settings
    from store.db import reset_engines

    monkeypatch.setenv("GDNN_DATABASE_URL", postgres_url)
    get_settings.cache_clear()
    reset_engines()
    seed_accounts()
    seed_items()
    reset_engines()
    name = _database_name(postgres_url)
    with (
        served({"GDNN_DB_CONNECT_TIMEOUT": "3"}) as base,
        httpx.Client(base_url=base, follow_redirects=False) as browser,
    ):
        login_http(browser, "reviewer")
        assert browser.get("/queue").status_code == 200
        _block(postgres_server, name, allowed=False)
        try:
            for path in ("/queue", "/", "/reports"):
                response = browser.get(path)
                assert response.status_code == 503, (path, response.status_code, response.text[:200])
                assert "Cơ sở dữ liệu tạm thời không truy cập được" in response.text
            with httpx.Client(base_url=base, follow_redirects=False) as stranger:
                page = stranger.get("/login")
                token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
                response = stranger.post("/login", data={"username": "reviewer1", "password": "x", "csrf_token": token})
                assert response.status_code == 503 and 'lang="vi"' in response.text
        finally:
            _block(postgres_server, name, allowed=True)
        deadline = time.monotonic() + 20
        while browser.get("/queue").status_code != 200:
            assert time.monotonic() < deadline, "the app did not recover once the database was back"
            time.sleep(0.5)


def _silent_server() -> tuple[socket.socket, int]:
    """Accepts TCP connections and never says a word (a hung database server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    return listener, listener.getsockname()[1]


def test_a_database_that_never_answers_ends_in_a_clear_error_not_a_hang(settings_env):
    listener, port = _silent_server()
    try:
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "gdnn_monitor.cli", "users", "list"],
            capture_output=True,
            text=True,
            timeout=90,
            env=os.environ
            | {"GDNN_DATABASE_URL": f"postgresql://gdnn@127.0.0.1:{port}/gdnn", "GDNN_DB_CONNECT_TIMEOUT": "2"},
        )
    finally:
        listener.close()
    assert result.returncode == EXIT_DATABASE, result.stderr
    assert "GDNN_DB_CONNECT_TIMEOUT" in result.stderr and "Traceback" not in result.stderr
    assert time.monotonic() - started < 60
