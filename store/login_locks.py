"""The login throttle's locks, kept in the database so restarting `serve` does not give a guesser a fresh start."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import delete, select

from store.db import session_scope
from store.models import LoginLock
from store.types import utcnow

SEPARATOR = "\x1f"  # never in an address or a valid user name


def save_lock(key: tuple[str, str], until: float) -> None:
    """Record (or extend) one lock; expired rows are pruned on the way."""
    name = SEPARATOR.join(key)[:200]
    with session_scope() as session:
        session.exec(delete(LoginLock).where(LoginLock.locked_until < utcnow()))
        row = session.get(LoginLock, name) or LoginLock(key=name, locked_until=utcnow())
        row.locked_until = datetime.fromtimestamp(until, UTC)
        session.add(row)


def active_locks() -> list[tuple[tuple[str, str], float]]:
    """(key, locked-until as a Unix time) of every lock still in force."""
    with session_scope() as session:
        rows = session.exec(select(LoginLock).where(LoginLock.locked_until > utcnow())).all()
    return [(tuple(row.key.split(SEPARATOR, 1)), row.locked_until.timestamp()) for row in rows]
