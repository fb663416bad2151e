"""Fixtures shared by every test area: an isolated settings environment and real databases (SQLite, PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from gdnn_monitor.core.settings import get_settings
from store.db import reset_engines

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"
POSTGRES_ADMIN_URL = os.environ.get("GDNN_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
UPDATE_SCREENSHOTS = os.environ.get("GDNN_TEST_UPDATE_SCREENSHOTS") == "1"


def _clear_gdnn_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("GDNN_"):
            monkeypatch.delenv(key)


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where browser tests save pictures: the README's docs/screenshots only with GDNN_TEST_UPDATE_SCREENSHOTS=1, so
    an ordinary test run leaves the working tree clean."""
    if UPDATE_SCREENSHOTS:
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return DOCS_SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def settings_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """GDNN_* settings pointing at a fresh SQLite file in tmp_path; nothing of the developer's setup leaks in."""
    _clear_gdnn_environment(monkeypatch)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GDNN_DATABASE_URL", f"sqlite:///{tmp_path / 'gdnn.sqlite3'}")
    monkeypatch.setenv("GDNN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GDNN_DOWNLOAD_DELAY", "0")
    get_settings.cache_clear()
    reset_engines()
    yield get_settings()
    get_settings.cache_clear()
    reset_engines()


def _postgres_available() -> str | None:
    """None when the server answers, else the reason to skip."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL.replace("postgresql+psycopg", "postgresql"), connect_timeout=3):
            return None
    except Exception as exc:  # any failure to connect means: skip these tests, saying why
        return f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL} ({exc.__class__.__name__}: {exc})"


@pytest.fixture(scope="session")
def postgres_server() -> str:
    reason = _postgres_available()
    if reason:
        pytest.skip(reason)
    return POSTGRES_ADMIN_URL


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A throw-away database on the local PostgreSQL server, dropped after the test (never the shared `test` db)."""
    import psycopg

    name = f"gdnn_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = postgres_server.rsplit("/", 1)[0]
    yield f"postgresql+psycopg://{base.split('://', 1)[1]}/{name}"
    reset_engines()
    with psycopg.connect(postgres_server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Runs a test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def db_env(settings_env, database_url: str, monkeypatch: pytest.MonkeyPatch):
    """settings_env, but with the database parametrised over SQLite and PostgreSQL."""
    monkeypatch.setenv("GDNN_DATABASE_URL", database_url)
    get_settings.cache_clear()
    reset_engines()
    return get_settings()
