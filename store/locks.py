"""A named lock in the database (table joblock), so two crawls never run at once, even from different processes or
machines. Acquiring is one atomic statement on SQLite and PostgreSQL; a lock whose holder died expires by itself."""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from store.db import get_engine
from store.models import JobLock
from store.types import utcnow

CRAWL_LOCK = "crawl"
DEFAULT_TTL = timedelta(minutes=2)

_table = JobLock.__table__


class LockBusy(RuntimeError):
    """Another process holds the lock; the message says who and since when."""

    def __init__(self, name: str, holder: str | None, since: datetime | None) -> None:
        when = since.isoformat(timespec="seconds") if since else "?"
        super().__init__(f"lock {name!r} is held by {holder or '?'} since {when}")
        self.name, self.holder, self.since = name, holder, since


def new_holder_id() -> str:
    """host:pid:random, so an operator can see which process holds a lock and two threads never share one."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def try_acquire(name: str, holder: str, ttl: timedelta = DEFAULT_TTL, url: str | None = None) -> bool:
    """Take the lock if it is free, expired, or already ours; True when we hold it afterwards."""
    now = utcnow()
    engine = get_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(insert(_table).values(name=name, holder=holder, acquired_at=now, expires_at=now + ttl))
        return True
    except IntegrityError:
        pass
    with engine.begin() as connection:
        taken = connection.execute(
            update(_table)
            .where(_table.c.name == name, (_table.c.expires_at < now) | (_table.c.holder == holder))
            .values(holder=holder, acquired_at=now, expires_at=now + ttl)
        )
        if taken.rowcount == 1:
            return True
    return _take_over_from_dead_local_holder(name, holder, ttl, url)


def _holder_is_dead_here(holder: str) -> bool:
    """True when the holder was a process of this machine that no longer exists (killed without releasing)."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _take_over_from_dead_local_holder(name: str, holder: str, ttl: timedelta, url: str | None) -> bool:
    """A lock held by a dead process of this machine need not wait for its expiry."""
    current = current_holder(name, url)
    if current is None or not _holder_is_dead_here(current[0]):
        return False
    now = utcnow()
    with get_engine(url).begin() as connection:
        taken = connection.execute(
            update(_table)
            .where(_table.c.name == name, _table.c.holder == current[0])
            .values(holder=holder, acquired_at=now, expires_at=now + ttl)
        )
        return taken.rowcount == 1


def refresh(name: str, holder: str, ttl: timedelta = DEFAULT_TTL, url: str | None = None) -> bool:
    """Push the expiry forward while work goes on; False when the lock was lost (expired and taken by another)."""
    with get_engine(url).begin() as connection:
        result = connection.execute(
            update(_table).where(_table.c.name == name, _table.c.holder == holder).values(expires_at=utcnow() + ttl)
        )
        return result.rowcount == 1


def release(name: str, holder: str, url: str | None = None) -> None:
    """Give the lock back; releasing a lock we no longer hold is harmless."""
    with get_engine(url).begin() as connection:
        connection.execute(delete(_table).where(_table.c.name == name, _table.c.holder == holder))


def current_holder(name: str, url: str | None = None) -> tuple[str, datetime, datetime] | None:
    """(holder, acquired_at, expires_at) of a lock, or None when nobody holds it."""
    with get_engine(url).connect() as connection:
        row = connection.execute(
            select(_table.c.holder, _table.c.acquired_at, _table.c.expires_at).where(_table.c.name == name)
        ).first()
    return tuple(row) if row else None


@dataclass
class HeldLock:
    """A lock this process holds, kept alive by a heartbeat thread until released."""

    name: str
    holder: str
    ttl: timedelta
    url: str | None = None
    lost: bool = False

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._heartbeat, name=f"lock-{self.name}", daemon=True)
        self._thread.start()

    def _heartbeat(self) -> None:
        interval = max(self.ttl.total_seconds() / 3, 0.05)
        while not self._stop.wait(interval):
            try:
                if not refresh(self.name, self.holder, self.ttl, self.url):
                    self.lost = True
                    return
            except Exception:  # a database hiccup: keep trying until the lock expires
                continue

    def release(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        release(self.name, self.holder, self.url)


@contextmanager
def hold_lock(
    name: str = CRAWL_LOCK, ttl: timedelta = DEFAULT_TTL, holder: str | None = None, url: str | None = None
) -> Iterator[HeldLock]:
    """Hold the named lock for the block, or raise LockBusy at once; a heartbeat keeps it while the block runs."""
    holder = holder or new_holder_id()
    if not try_acquire(name, holder, ttl, url):
        current = current_holder(name, url)
        raise LockBusy(name, current[0] if current else None, current[1] if current else None)
    held = HeldLock(name, holder, ttl, url)
    try:
        yield held
    finally:
        held.release()
