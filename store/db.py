"""Engines and sessions. The schema is brought to the newest migration the first time a process opens a database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlmodel import Session, create_engine

from gdnn_monitor.core.settings import get_settings

_engines: dict[str, Engine] = {}
# The web app runs sync routes on up to 40 worker threads; each holds one connection for its request. 10 kept open
# plus 20 on demand keeps most of them from queueing for a connection while staying far below PostgreSQL's default
# max_connections (100) with the scheduler and a crawl connected too.
POOL_SIZE, POOL_OVERFLOW = 10, 20
SQLITE_MMAP_BYTES = 256 * 1024 * 1024
_lock = threading.Lock()


class DatabaseError(RuntimeError):
    """The database cannot be opened or migrated; the message says which URL and why, without a traceback."""


def _enable_sqlite_wal(dbapi_connection, _record) -> None:
    """WAL + busy timeout let the crawler and the web app write to one SQLite file at once."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Readers of a 100,000-item file share the OS page cache through mmap instead of copying pages into each
    # connection's own cache; sorts of the queue stay in memory.
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def _create_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"GDNN_DATABASE_URL is not a database URL: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _private_sqlite_file(Path(parsed.database).expanduser())
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            pool_timeout=_pool_timeout(),
        )
        event.listen(engine, "connect", _enable_sqlite_wal)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = str(parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False))
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_timeout=_pool_timeout(),
        connect_args=_postgres_timeouts() if parsed.get_backend_name() == "postgresql" else {},
    )


def _pool_timeout() -> int:
    """How long a request waits for a free connection before the 'database unavailable' page: long enough to ride
    out a burst of officers, never the 30 s default that looked like a hang."""
    return max(get_settings().db_connect_timeout, 15)


def _postgres_timeouts() -> dict:
    """A server that accepts connections but never answers, or vanishes mid-query, ends in a clear error after these
    times instead of hanging `serve` and every command (GDNN_DB_CONNECT_TIMEOUT, GDNN_DB_STATEMENT_TIMEOUT)."""
    settings = get_settings()
    arguments = {
        "connect_timeout": settings.db_connect_timeout,
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
    }
    if settings.db_statement_timeout:
        arguments["options"] = f"-c statement_timeout={settings.db_statement_timeout * 1000}"
    return arguments


def _private_sqlite_file(path: Path) -> None:
    """The database holds password hashes: 0600 (SQLite gives its -wal/-shm files the same mode), in a 0700 folder
    when the folder is ours (the data folder, or one this call creates)."""
    from gdnn_monitor.core.files import private_dir, private_file

    ours = path.parent.resolve() == Path(get_settings().data_dir).expanduser().resolve()
    try:
        private_dir(path.parent, tighten_existing=ours)
        private_file(path)
    except OSError as exc:
        raise DatabaseError(
            f"cannot create the SQLite database {path}: {exc.strerror} (không tạo được tệp cơ sở dữ liệu)"
        ) from exc


def init_db(engine: Engine) -> None:
    """Apply pending alembic migrations."""
    from store.migrate import upgrade_to_head

    try:
        upgrade_to_head(engine)
    except OperationalError as exc:
        raise DatabaseError(
            f"cannot open the database {engine.url.render_as_string(hide_password=True)}: "
            f"{str(exc.orig).strip()} (không mở được cơ sở dữ liệu; chờ tối đa "
            f"{get_settings().db_connect_timeout} giây — GDNN_DB_CONNECT_TIMEOUT)"
        ) from exc


def get_engine(url: str | None = None) -> Engine:
    """One engine per URL per process, migrated on first use."""
    url = url or get_settings().database_url
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _create_engine(url)
            init_db(engine)
            _engines[url] = engine
        return engine


def reset_engines() -> None:
    """Forget cached engines (tests switch databases; a forked crawler child must not reuse the parent's pool)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = Session(get_engine(url), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
