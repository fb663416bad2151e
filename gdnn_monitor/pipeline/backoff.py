"""Back off from a source that keeps failing: from its second failure in a row the wait grows exponentially (1 h,
2 h, 4 h, … capped at 7 days), so a dead site is not hammered every run, and it comes back by itself when it
recovers. A single failure is not backed off: it may be a blip, or the crawler itself having been killed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlmodel import Session, select

from store.models import Source
from store.types import utcnow

BASE_DELAY = timedelta(hours=1)
MAX_DELAY = timedelta(days=7)
FIRST_BACKED_OFF_FAILURE = 2


def backoff_delay(consecutive_failures: int, base: timedelta = BASE_DELAY, cap: timedelta = MAX_DELAY) -> timedelta:
    """No wait after a success or a single failure; base·2^(n-2) after n ≥ 2 failures in a row, never more than cap."""
    if consecutive_failures < FIRST_BACKED_OFF_FAILURE:
        return timedelta(0)
    exponent = min(consecutive_failures - FIRST_BACKED_OFF_FAILURE, 32)
    return min(base * (2**exponent), cap)


def update_backoff(session: Session, now: datetime | None = None) -> dict[str, datetime]:
    """Set Source.backoff_until from each source's failure count; returns the sources now backed off."""
    now = now or utcnow()
    backed_off: dict[str, datetime] = {}
    for source in session.exec(select(Source)):
        delay = backoff_delay(source.consecutive_failures)
        until = (source.last_failure_at or now) + delay if delay else None
        if until is not None and until > now:
            backed_off[source.id] = until
        if source.backoff_until != until:
            source.backoff_until = until
            session.add(source)
    session.flush()
    return backed_off


def due_source_ids(session: Session, candidates: Iterable[str], now: datetime | None = None) -> list[str]:
    """The candidates whose back-off has passed (or that never failed), in the given order."""
    now = now or utcnow()
    waiting = {source.id for source in session.exec(select(Source).where(Source.backoff_until > now))}
    return [source_id for source_id in candidates if source_id not in waiting]
