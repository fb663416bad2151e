"""Slows password guessing on a server reachable from the office network: after a few wrong passwords for one account
from one address, that pair is refused for a while. Kept in memory: `serve` runs one process, and a restart forgets."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60


@dataclass
class _Record:
    failures: list[float] = field(default_factory=list)
    locked_until: float = 0.0


class LoginThrottle:
    """Counts failed logins per (client address, user name); a success clears the count."""

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window: float = WINDOW_SECONDS,
        lock: float = LOCK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures, self.window, self.lock, self.clock = max_failures, window, lock, clock
        self._records: dict[tuple[str, str], _Record] = {}
        self._guard = threading.Lock()

    @staticmethod
    def key(address: str | None, username: str) -> tuple[str, str]:
        return address or "?", username.strip().casefold()

    def seconds_locked(self, key: tuple[str, str]) -> float:
        """How long this pair must still wait; 0 when it may try."""
        with self._guard:
            record = self._records.get(key)
            return max(record.locked_until - self.clock(), 0.0) if record else 0.0

    def failed(self, key: tuple[str, str]) -> None:
        now = self.clock()
        with self._guard:
            record = self._records.setdefault(key, _Record())
            record.failures = [t for t in record.failures if now - t < self.window] + [now]
            if len(record.failures) >= self.max_failures:
                record.locked_until, record.failures = now + self.lock, []
            self._forget_stale(now)

    def succeeded(self, key: tuple[str, str]) -> None:
        with self._guard:
            self._records.pop(key, None)

    def _forget_stale(self, now: float) -> None:
        """Keep memory bounded when many names are tried: drop pairs with nothing recent and no lock."""
        if len(self._records) < 1000:
            return
        for key in [
            k
            for k, r in self._records.items()
            if r.locked_until <= now and all(now - t >= self.window for t in r.failures)
        ]:
            del self._records[key]
