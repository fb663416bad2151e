"""Slows password guessing on a server reachable from the office network.

Two limits: a few wrong passwords for one account from one address lock that pair; many wrong passwords from one
address, whatever the user names, lock the address (guessing across accounts, or flooding the server with argon2
work). Memory is bounded (least recently used records are dropped beyond MAX_RECORDS, user names are cut to the
longest valid one) and locks are written to the database so a restart does not lift them."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

MAX_FAILURES = 5  # per address + user name
MAX_ADDRESS_FAILURES = 20  # per address, all user names together (an office behind one NAT still has room)
WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60
MAX_RECORDS = 10_000  # ~ a few MB at most, whatever an attacker sends
MAX_USERNAME_CHARS = 80  # the longest name an account can have (store.users)
ADDRESS_ONLY = "*"  # the user-name part of an address's own record

Key = tuple[str, str]
SaveLock = Callable[[Key, float], None]


@dataclass
class _Record:
    failures: list[float] = field(default_factory=list)
    locked_until: float = 0.0


class LoginThrottle:
    """Counts failed logins per (client address, user name) and per address; a success clears the pair's count."""

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window: float = WINDOW_SECONDS,
        lock: float = LOCK_SECONDS,
        clock: Callable[[], float] = time.time,
        max_address_failures: int = MAX_ADDRESS_FAILURES,
        max_records: int = MAX_RECORDS,
        save_lock: SaveLock | None = None,
    ) -> None:
        self.max_failures, self.window, self.lock, self.clock = max_failures, window, lock, clock
        self.max_address_failures, self.max_records, self.save_lock = max_address_failures, max_records, save_lock
        self._records: OrderedDict[Key, _Record] = OrderedDict()
        self._guard = threading.Lock()

    @staticmethod
    def key(address: str | None, username: str) -> Key:
        return (address or "?")[:64], username.strip().casefold()[:MAX_USERNAME_CHARS]

    def restore(self, locks: Iterable[tuple[Key, float]]) -> None:
        """Locks read back from the database at start-up (wall-clock times)."""
        with self._guard:
            for key, until in locks:
                record = self._record((key[0], key[1]))
                record.locked_until = max(until, record.locked_until)

    def seconds_locked(self, key: Key) -> float:
        """How long this pair (or its whole address) must still wait; 0 when it may try."""
        now = self.clock()
        with self._guard:
            waits = [
                record.locked_until - now
                for k in (key, (key[0], ADDRESS_ONLY))
                if (record := self._records.get(k)) is not None
            ]
        return max([0.0, *waits])

    def failed(self, key: Key) -> None:
        now = self.clock()
        new_locks = []
        with self._guard:
            for record_key, limit in ((key, self.max_failures), ((key[0], ADDRESS_ONLY), self.max_address_failures)):
                record = self._record(record_key)
                record.failures = [t for t in record.failures if now - t < self.window][-limit:] + [now]
                if len(record.failures) >= limit:
                    record.locked_until, record.failures = now + self.lock, []
                    new_locks.append((record_key, record.locked_until))
        for record_key, until in new_locks:
            if self.save_lock is not None:
                self.save_lock(record_key, until)

    def succeeded(self, key: Key) -> None:
        with self._guard:
            self._records.pop(key, None)

    def __len__(self) -> int:
        return len(self._records)

    def _record(self, key: Key) -> _Record:
        """The key's record, marked most recently used; the least recently used go when the cap is reached (a lock
        that is dropped early still lives in the database and in the address record of a flood)."""
        record = self._records.get(key)
        if record is None:
            record = self._records[key] = _Record()
            while len(self._records) > self.max_records:
                self._records.popitem(last=False)
        else:
            self._records.move_to_end(key)
        return record
