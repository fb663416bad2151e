"""Officers' decisions on items: confirm, reject, correct theme/genre, undo.

Every decision appends a Review row (the audit trail, never edited) and updates the Item's denormalised review
fields, which the queue, dashboard and counting rule read. The row keeps the state before the decision, so an
undo (itself a new row pointing at the one it undoes) can restore it exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlmodel import Session, select

from gdnn_monitor.core.errors import EXIT_USAGE, UserError
from gdnn_monitor.core.vocabulary import GENRES
from store.models import Item, Review
from store.types import utcnow

DECISIONS = ("confirmed", "rejected", "corrected")
UNDO = "undo"
MAX_NOTE = 2000
_STATE_FIELDS = ("review", "reviewed_by", "reviewed_at", "theme", "genre")


class ReviewError(UserError):
    """A decision that cannot be applied (unknown item, unknown value, nothing to undo)."""

    exit_code = EXIT_USAGE


@dataclass
class Decision:
    """What an officer chose: a verdict (or only a correction) with optional new theme/genre and a note."""

    decision: str
    theme: str | None = None
    genre: str | None = None
    note: str | None = None


def _state(item: Item) -> dict:
    state = {name: getattr(item, name) for name in _STATE_FIELDS}
    state["reviewed_at"] = item.reviewed_at.isoformat() if item.reviewed_at else None
    return state


def _restore(item: Item, state: dict) -> None:
    from datetime import datetime

    for name in _STATE_FIELDS:
        value = state.get(name)
        if name == "reviewed_at" and value:
            value = datetime.fromisoformat(value)
        setattr(item, name, value)


def _load_item(session: Session, item_id: int) -> Item:
    item = session.get(Item, item_id)
    if item is None:
        raise ReviewError(f"Không có tin/bài số {item_id} (no item {item_id})")
    return item


def _check(choice: Decision, themes: tuple[str, ...] | None) -> None:
    if choice.decision not in DECISIONS:
        raise ReviewError(f"Quyết định không hợp lệ: {choice.decision!r} (một trong: {', '.join(DECISIONS)})")
    if choice.genre is not None and choice.genre not in GENRES:
        raise ReviewError(f"Thể loại không hợp lệ: {choice.genre!r}")
    if choice.theme is not None and themes is not None and choice.theme not in themes:
        raise ReviewError(f"Chủ đề không hợp lệ: {choice.theme!r}")
    if choice.note is not None and len(choice.note) > MAX_NOTE:
        raise ReviewError(f"Ghi chú quá dài (tối đa {MAX_NOTE} ký tự)")


def decide(
    session: Session, item_id: int, user: str, choice: Decision, themes: tuple[str, ...] | None = None
) -> Review:
    """Apply one decision and record it; 'corrected' changes theme/genre without changing the verdict."""
    _check(choice, themes)
    item = _load_item(session, item_id)
    before = _state(item)
    changes: dict[str, str] = {}
    if choice.theme is not None and choice.theme != item.theme:
        changes["theme"] = choice.theme
    if choice.genre is not None and choice.genre != item.genre:
        changes["genre"] = choice.genre
    if choice.decision == "corrected" and not changes:
        raise ReviewError("Không có gì để sửa: chủ đề và thể loại không đổi (nothing to correct)")
    now = utcnow()
    for name, value in changes.items():
        setattr(item, name, value)
    if choice.decision != "corrected":
        item.review = choice.decision
    item.reviewed_by = user
    item.reviewed_at = now
    session.add(item)
    note = (choice.note or "").strip() or None
    review = Review(
        item_id=item.id,
        user=user,
        at=now,
        decision=choice.decision,
        note=note,
        corrected=json.dumps({"changes": changes, "before": before}, ensure_ascii=False),
    )
    session.add(review)
    session.flush()
    return review


def last_undoable(session: Session, item_id: int) -> Review | None:
    """The newest decision on the item that has not been undone yet (undo works like a stack)."""
    rows = list(session.exec(select(Review).where(Review.item_id == item_id).order_by(Review.id.desc())))
    undone = {row.undoes_id for row in rows if row.undoes_id is not None}
    for row in rows:
        if row.decision != UNDO and row.id not in undone:
            return row
    return None


def undo_last(session: Session, item_id: int, user: str) -> Review:
    """Restore the item as it was before its newest decision and record who undid it."""
    item = _load_item(session, item_id)
    target = last_undoable(session, item_id)
    if target is None:
        raise ReviewError("Không có quyết định nào để hoàn tác (nothing to undo)")
    before = json.loads(target.corrected or "{}").get("before", {})
    current = _state(item)
    _restore(item, before)
    session.add(item)
    review = Review(
        item_id=item.id,
        user=user,
        at=utcnow(),
        decision=UNDO,
        undoes_id=target.id,
        corrected=json.dumps({"changes": {}, "before": current}, ensure_ascii=False),
    )
    session.add(review)
    session.flush()
    return review


def history(session: Session, item_id: int) -> list[Review]:
    """The audit trail of one item, oldest first."""
    return list(session.exec(select(Review).where(Review.item_id == item_id).order_by(Review.id)))


def changes_of(review: Review) -> dict[str, str]:
    return json.loads(review.corrected or "{}").get("changes", {})
