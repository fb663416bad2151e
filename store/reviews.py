"""Officers' decisions on items: confirm, reject, correct theme/genre/activity group, undo.

Every decision appends a Review row (the audit trail, never edited) and updates the Item's denormalised review
fields, which the queue, dashboard and counting rule read. The row keeps the state before the decision, so an
undo (itself a new row pointing at the one it undoes) can restore it exactly.

Decisions on one item serialise by compare-and-set on item.review_version: the item is updated only if nobody
changed its review since it was read, else the officer is told someone else decided first. So two simultaneous
undos can never both undo the same decision, and replaying the trail always gives the item's state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, select

from gdnn_monitor.core.errors import EXIT_USAGE, UserError
from gdnn_monitor.core.vocabulary import GENRES
from store.models import Item, Review
from store.types import utcnow

DECISIONS = ("confirmed", "rejected", "corrected")
UNDO = "undo"
MAX_NOTE = 2000
_STATE_FIELDS = ("review", "reviewed_by", "reviewed_at", "theme", "genre", "activity_group")
ACTIVITY_GROUPS = range(1, 9)


class ReviewError(UserError):
    """A decision that cannot be applied (unknown item, unknown value, nothing to undo)."""

    exit_code = EXIT_USAGE


class DecidedMeanwhile(ReviewError):
    """Someone else decided on (or undid a decision of) the item between reading it and this decision."""

    def __init__(self, item_id: int) -> None:
        super().__init__(
            f"Người khác vừa quyết định trên tin/bài số {item_id} trước bạn; quyết định của bạn chưa được "
            "lưu. Hãy xem lại tình trạng mới nhất rồi quyết định lại (someone else decided first)."
        )


class UndoNotAllowed(ReviewError):
    """Reviewers undo their own decisions only; admins may undo anyone's."""


@dataclass
class Decision:
    """What an officer chose: a verdict (or only a correction) with optional new theme/genre/activity group and a
    note."""

    decision: str
    theme: str | None = None
    genre: str | None = None
    note: str | None = None
    activity_group: int | None = None


def _state(item: Item) -> dict:
    state = {name: getattr(item, name) for name in _STATE_FIELDS}
    state["reviewed_at"] = item.reviewed_at.isoformat() if item.reviewed_at else None
    return state


def _restored_values(state: dict) -> dict:
    """The item's review fields as a decision's 'before' recorded them."""
    from datetime import datetime

    values = {}
    for name in _STATE_FIELDS:
        if name not in state:  # a decision recorded before the field existed left it unchanged
            continue
        value = state[name]
        if name == "reviewed_at" and value:
            value = datetime.fromisoformat(value)
        values[name] = value
    return values


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
    if choice.activity_group is not None and choice.activity_group not in ACTIVITY_GROUPS:
        raise ReviewError(f"Nhóm hoạt động không hợp lệ: {choice.activity_group!r} (từ 1 đến 8)")
    if choice.note is not None and len(choice.note) > MAX_NOTE:
        raise ReviewError(f"Ghi chú quá dài (tối đa {MAX_NOTE} ký tự)")


def _apply(session: Session, item: Item, expected_version: int | None, values: dict) -> None:
    """Write the item's new review state only if its version is still the one read (compare-and-set), bumping it.

    expected_version is what the officer's page showed (None: the version read just now)."""
    version = item.review_version if expected_version is None else expected_version
    result = session.execute(
        update(Item)
        .where(Item.id == item.id, Item.review_version == version)
        .values(**values, review_version=version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise DecidedMeanwhile(item.id)
    for name, value in values.items():
        setattr(item, name, value)
    item.review_version = version + 1
    session.expire(item)  # the row was written directly; read it again on next use


def decide(
    session: Session,
    item_id: int,
    user: str,
    choice: Decision,
    themes: tuple[str, ...] | None = None,
    expected_version: int | None = None,
) -> Review:
    """Apply one decision and record it; 'corrected' changes theme/genre/activity group without changing the verdict
    (and without making the officer its reviewer: only a verdict has one). Confirming needs a theme, so every counted
    item has one in the reports."""
    _check(choice, themes)
    item = _load_item(session, item_id)
    before = _state(item)
    changes: dict[str, str | int] = {}
    for name in ("theme", "genre", "activity_group"):
        value = getattr(choice, name)
        if value is not None and value != getattr(item, name):
            changes[name] = value
    if choice.decision == "corrected" and not changes:
        raise ReviewError("Không có gì để sửa: chủ đề, thể loại và nhóm hoạt động không đổi (nothing to correct)")
    if choice.decision == "confirmed" and not (choice.theme or item.theme) and item.origin != "manual":
        raise ReviewError(
            "Chọn chủ đề trước khi xác nhận: tin/bài được tính vào báo cáo theo chủ đề (a theme is needed to confirm)"
        )
    now = utcnow()
    values: dict = dict(changes)  # a correction alone makes nobody the reviewer: only a verdict has one
    if choice.decision != "corrected":
        values.update(review=choice.decision, reviewed_by=user, reviewed_at=now)
    _apply(session, item, expected_version, values)
    note = (choice.note or "").strip() or None
    review = Review(
        item_id=item_id,
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


def may_undo(target: Review, user: str, is_admin: bool) -> bool:
    """Own decisions (a manual entry's automatic confirmation belongs to whoever entered it); admins any."""
    return is_admin or target.user == user


def undo_last(
    session: Session, item_id: int, user: str, is_admin: bool = False, expected_version: int | None = None
) -> Review:
    """Restore the item as it was before its newest decision and record who undid it."""
    item = _load_item(session, item_id)
    version = item.review_version if expected_version is None else expected_version
    target = last_undoable(session, item_id)
    if target is None:
        raise ReviewError("Không có quyết định nào để hoàn tác (nothing to undo)")
    if not may_undo(target, user, is_admin):
        raise UndoNotAllowed(
            f"Chỉ {target.user} (người ra quyết định) hoặc quản trị viên mới hoàn tác được quyết định "
            f"này (only the decision's author or an admin may undo it)."
        )
    before = json.loads(target.corrected or "{}").get("before", {})
    current = _state(item)
    _apply(session, item, version, _restored_values(before))
    review = Review(
        item_id=item_id,
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
