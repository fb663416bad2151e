"""The data folder and everything secret in it are readable by the service's account only, whatever the umask
(issue 16 point 3): SQLite database (and its WAL files), session key, attachments, crawl logs."""

from __future__ import annotations

import io
import os
import stat
from datetime import date
from pathlib import Path

import pytest


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    previous = os.umask(0o022)  # the usual shell default, which made everything world-readable
    yield
    os.umask(previous)


def test_database_secret_and_attachments_are_private(settings_env, open_umask, monkeypatch):
    from gdnn_monitor.core.settings import get_settings
    from store.db import reset_engines, session_scope
    from store.manual import Attachment, ManualEntry, create_manual_entry
    from web.security import session_secret

    data = Path(settings_env.data_dir)
    monkeypatch.setenv("GDNN_DATABASE_URL", f"sqlite:///{data / 'gdnn.sqlite3'}")
    get_settings.cache_clear()
    reset_engines()
    with session_scope() as session:
        item = create_manual_entry(
            session,
            "lan",
            ManualEntry("Tờ rơi tuyển sinh", date(2024, 5, 1), "bao", "print"),
            Attachment("to-roi.pdf", io.BytesIO(b"%PDF-1.4 test")),
        )
        stored = item.attachment
    session_secret(get_settings())
    assert _mode(data) == 0o700
    for path in [
        data / "gdnn.sqlite3",
        data / "secret_key",
        data / "attachments" / stored,
        *data.glob("gdnn.sqlite3-*"),
    ]:
        assert _mode(path) == 0o600, path
    assert _mode(data / "attachments") == 0o700


def test_crawl_logs_are_private(settings_env, open_umask):
    from crawlers.engine.child import _log_file

    log = _log_file("run-test")
    assert _mode(log) == 0o600 and _mode(log.parent) == 0o700


def test_an_operators_own_folder_holding_the_database_is_left_as_it_is(settings_env, open_umask, tmp_path, monkeypatch):
    from gdnn_monitor.core.settings import get_settings
    from store.db import get_engine, reset_engines

    shared = tmp_path / "srv"
    shared.mkdir(mode=0o755)
    monkeypatch.setenv("GDNN_DATABASE_URL", f"sqlite:///{shared / 'gdnn.sqlite3'}")
    get_settings.cache_clear()
    reset_engines()
    get_engine()
    assert _mode(shared) == 0o755 and _mode(shared / "gdnn.sqlite3") == 0o600
