"""Web-app fixtures: a seeded SQLite database, an in-process client, and a live server for the browser tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from web_helpers import FIXTURES, seed_accounts, seed_items


@pytest.fixture
def web_env(settings_env, monkeypatch: pytest.MonkeyPatch):
    """settings_env with the web fixtures' sources file, accounts for each role and the fixture items."""
    from gdnn_monitor.core.settings import get_settings

    monkeypatch.setenv("GDNN_SOURCES", str(FIXTURES / "sources.yaml"))
    monkeypatch.setenv("GDNN_SECRET_KEY", "test-secret-key-for-sessions")
    get_settings.cache_clear()
    seed_accounts()
    ids = seed_items()
    return ids


@pytest.fixture
def web_db_env(db_env, monkeypatch: pytest.MonkeyPatch):
    """web_env on SQLite and on PostgreSQL (the production path)."""
    from gdnn_monitor.core.settings import get_settings

    monkeypatch.setenv("GDNN_SOURCES", str(FIXTURES / "sources.yaml"))
    get_settings.cache_clear()
    seed_accounts()
    return seed_items()


@pytest.fixture
def client(web_env):
    from fastapi.testclient import TestClient

    from web.app import create_app

    with TestClient(create_app(), base_url="http://127.0.0.1") as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def live_server(web_env) -> Iterator[str]:
    """The real app under uvicorn on a free 127.0.0.1 port, in a thread, against the seeded database."""
    import uvicorn

    from web.app import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the web app did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
