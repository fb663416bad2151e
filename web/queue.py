"""The review queue: which items, in which order (review zone first, most uncertain first), one page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, select

from gdnn_monitor.core.dates import month_bounds, parse_month
from gdnn_monitor.core.errors import UserError
from gdnn_monitor.core.textnorm import search_words
from store.models import Item, Source

PAGE_SIZE = 50
STATUSES = {
    "pending": "Chưa duyệt (mọi vùng)",
    "uncertain": "Cần xem xét (chưa duyệt)",
    "auto": "Tự chấp nhận (chưa duyệt)",
    "confirmed": "Đã xác nhận",
    "rejected": "Đã từ chối",
    "all": "Tất cả",
}
ZONE_RANK = case((Item.zone == "review", 0), (Item.zone == "accept", 1), (Item.zone == "reject", 2), else_=3)
UNCERTAINTY = func.abs(func.coalesce(Item.gdnn_score, 0.5) - 0.5)
LIST_COLUMNS = (
    Item.id,
    Item.title,
    Item.source_id,
    Item.published_at,
    Item.fetched_at,
    Item.genre,
    Item.theme,
    Item.gdnn_score,
    Item.zone,
    Item.review,
    Item.reviewed_by,
    Item.story_id,
    Item.origin,
    Item.tone,
    Item.tone_phrases,
)
TONES = {"negative": "Chỉ tin tiêu cực (sai phạm, kỷ luật, gian lận, bằng giả, giải thể…)"}


@dataclass
class QueueFilter:
    """The filters of the queue page, parsed from the query string (unknown values are ignored, not errors)."""

    source: str | None = None
    kind: str | None = None
    month: str | None = None
    theme: str | None = None
    status: str = "pending"
    page: int = 1
    text: str | None = None
    tone: str | None = None

    @classmethod
    def from_query(cls, params) -> QueueFilter:
        status = params.get("status") or "pending"
        try:
            page = max(int(params.get("page") or 1), 1)
        except ValueError:
            page = 1
        month = (params.get("month") or "").strip() or None
        if month:
            try:
                parse_month(month)
            except UserError:
                month = None
        return cls(
            source=params.get("source") or None,
            kind=params.get("kind") or None,
            month=month,
            theme=params.get("theme") or None,
            status=status if status in STATUSES else "pending",
            page=page,
            text=" ".join((params.get("q") or "").split())[:200] or None,
            tone=params.get("tone") if params.get("tone") in TONES else None,
        )


def _conditions(session: Session, chosen: QueueFilter, tz: tzinfo) -> list:
    conditions = []
    if chosen.status == "pending":
        conditions.append(Item.review.is_(None))
    elif chosen.status == "uncertain":
        conditions += [Item.review.is_(None), Item.zone == "review"]
    elif chosen.status == "auto":
        conditions += [Item.review.is_(None), Item.zone == "accept"]
    elif chosen.status in ("confirmed", "rejected"):
        conditions.append(Item.review == chosen.status)
    if chosen.source:
        conditions.append(Item.source_id == chosen.source)
    if chosen.kind:
        ids = list(session.exec(select(Source.id).where(Source.kind == chosen.kind)))
        conditions.append(Item.source_id.in_(ids))
    if chosen.theme:
        conditions.append(Item.theme == chosen.theme)
    if chosen.tone:
        conditions.append(Item.tone == chosen.tone)
    if chosen.text:
        # every word of the search, in any order; see search_index for words typed without tone marks
        conditions += [Item.search_title.like(f"%{word}%") for word in search_words(chosen.text)]
    if chosen.month:
        start, end = month_bounds(*parse_month(chosen.month), tz)
        conditions.append(
            or_(
                and_(Item.published_at >= start, Item.published_at < end),
                and_(Item.published_at.is_(None), Item.fetched_at >= start, Item.fetched_at < end),
            )
        )
    return conditions


def queue_page(session: Session, chosen: QueueFilter, tz: tzinfo) -> tuple[list, int]:
    """(rows of the requested page, total matching items)."""
    conditions = _conditions(session, chosen, tz)
    total = session.exec(select(func.count()).select_from(Item).where(*conditions)).one()
    # Order ids only (the queue index covers every filter column), then read the 50 rows: sorting full rows of
    # 100,000 articles would drag their text through the sorter.
    ids = list(
        session.exec(
            select(Item.id)
            .where(*conditions)
            .order_by(ZONE_RANK, UNCERTAINTY, Item.id.desc())
            .offset((chosen.page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    )
    rows = {row.id: row for row in session.exec(select(*LIST_COLUMNS).where(Item.id.in_(ids)))} if ids else {}
    return [rows[item_id] for item_id in ids if item_id in rows], total


def neighbour(session: Session, chosen: QueueFilter, item: Item, tz: tzinfo, forward: bool = True) -> int | None:
    """The id of the item after (or before) this one in the queue order, for j/k and 'next after a decision'."""
    rank = {"review": 0, "accept": 1, "reject": 2}.get(item.zone or "", 3)
    doubt = abs((item.gdnn_score if item.gdnn_score is not None else 0.5) - 0.5)
    if forward:
        after = or_(
            rank < ZONE_RANK,
            and_(rank == ZONE_RANK, doubt < UNCERTAINTY),
            and_(rank == ZONE_RANK, doubt == UNCERTAINTY, Item.id < item.id),
        )
        order = (ZONE_RANK, UNCERTAINTY, Item.id.desc())
    else:
        after = or_(
            rank > ZONE_RANK,
            and_(rank == ZONE_RANK, doubt > UNCERTAINTY),
            and_(rank == ZONE_RANK, doubt == UNCERTAINTY, Item.id > item.id),
        )
        order = (ZONE_RANK.desc(), UNCERTAINTY.desc(), Item.id)
    query = select(Item.id).where(*_conditions(session, chosen, tz), after, Item.id != item.id).order_by(*order)
    return session.exec(query.limit(1)).first()


def source_names(session: Session) -> dict[str, str]:
    return {row.id: row.name for row in session.exec(select(Source).order_by(Source.name))}


def syndicated_copies(session: Session, item: Item) -> list:
    """Other placements of the same story (same story_id), newest first."""
    if not item.story_id:
        return []
    query = (
        select(Item.id, Item.title, Item.source_id, Item.url, Item.published_at, Item.review, Item.zone)
        .where(Item.story_id == item.story_id, Item.id != item.id)
        .order_by(Item.published_at.desc())
        .limit(100)
    )
    return list(session.exec(query))
