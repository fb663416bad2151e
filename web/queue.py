"""The review queue: which items, in which order (review zone first, most uncertain first), one page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from gdnn_monitor.core.dates import month_bounds, parse_month
from gdnn_monitor.core.errors import UserError
from gdnn_monitor.core.textnorm import search_words
from store.models import Item, Source
from store.search import title_conditions

PAGE_SIZE = 50
STATUSES = {
    "pending": "Chưa duyệt (mọi vùng)",
    "uncertain": "Cần xem xét (chưa duyệt)",
    "auto": "Tự chấp nhận (chưa duyệt)",
    "confirmed": "Đã xác nhận",
    "rejected": "Đã từ chối",
    "all": "Tất cả",
}
# Pages are counted up to here: past it the page says "more than 10,000" instead of counting a million rows.
COUNT_CAP = 10_000
ZONE_RANKS = {"review": 0, "accept": 1, "reject": 2}  # the whole part of store.models.QUEUE_ORDER_SQL
LIST_COLUMNS = (Item.id, Item.title, Item.source_id, Item.published_at, Item.fetched_at, Item.genre, Item.theme,
                Item.gdnn_score, Item.zone, Item.review, Item.reviewed_by, Item.story_id, Item.origin)


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

    @classmethod
    def from_query(cls, params) -> "QueueFilter":
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
        return cls(source=params.get("source") or None, kind=params.get("kind") or None, month=month,
                   theme=params.get("theme") or None, status=status if status in STATUSES else "pending", page=page,
                   text=" ".join((params.get("q") or "").split())[:200] or None)


def zone_range(zone: str) -> list:
    """Items of one zone as a range of queue_order (the zone is its whole part), so the queue index answers it."""
    rank = ZONE_RANKS[zone]
    return [Item.queue_order >= rank, Item.queue_order < rank + 1]


def _conditions(session: Session, chosen: QueueFilter, tz: tzinfo) -> list:
    conditions = []
    if chosen.status == "pending":
        conditions.append(Item.review.is_(None))
    elif chosen.status == "uncertain":
        conditions += [Item.review.is_(None), *zone_range("review")]
    elif chosen.status == "auto":
        conditions += [Item.review.is_(None), *zone_range("accept")]
    elif chosen.status in ("confirmed", "rejected"):
        conditions.append(Item.review == chosen.status)
    if chosen.source:
        conditions.append(Item.source_id == chosen.source)
    if chosen.kind:
        ids = list(session.exec(select(Source.id).where(Source.kind == chosen.kind)))
        conditions.append(Item.source_id.in_(ids))
    if chosen.theme:
        conditions.append(Item.theme == chosen.theme)
    if chosen.text:
        # every word of the search, in any order; see search_index for words typed without tone marks
        conditions += title_conditions(session, search_words(chosen.text))
    if chosen.month:
        start, end = month_bounds(*parse_month(chosen.month), tz)
        conditions.append(or_(and_(Item.published_at >= start, Item.published_at < end),
                              and_(Item.published_at.is_(None), Item.fetched_at >= start, Item.fetched_at < end)))
    return conditions


def _in_order(query, ascending: bool = True):
    """The queue order (see store.models.QUEUE_ORDER_SQL), newest first among equals; an index walk provides it."""
    if ascending:
        return query.order_by(Item.queue_order, Item.id.desc())
    return query.order_by(Item.queue_order.desc(), Item.id)


def capped_count(session: Session, conditions: list, cap: int = COUNT_CAP) -> int:
    """How many items match, counting no further than cap + 1 (the page then says "more than cap")."""
    matching = select(Item.id).where(*conditions).limit(cap + 1).subquery()
    return session.exec(select(func.count()).select_from(matching)).one()


def queue_page(session: Session, chosen: QueueFilter, tz: tzinfo) -> tuple[list, int]:
    """(rows of the requested page, matching items counted up to COUNT_CAP + 1)."""
    conditions = _conditions(session, chosen, tz)
    total = capped_count(session, conditions)
    # Order ids only along the queue index (it carries every filter column), then read the 50 rows.
    ids = list(session.exec(_in_order(select(Item.id).where(*conditions))
                            .offset((chosen.page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    rows = {row.id: row for row in session.exec(select(*LIST_COLUMNS).where(Item.id.in_(ids)))} if ids else {}
    return [rows[item_id] for item_id in ids if item_id in rows], total


def neighbour(session: Session, chosen: QueueFilter, item: Item, tz: tzinfo, forward: bool = True) -> int | None:
    """The id of the item after (or before) this one in the queue order, for j/k and 'next after a decision'.

    Two index seeks instead of one OR: first the items tied with this one, then the first item past it."""
    if item.queue_order is None:
        session.refresh(item, ["queue_order"])
    conditions = _conditions(session, chosen, tz)
    place = item.queue_order
    tied = Item.id < item.id if forward else Item.id > item.id
    past = Item.queue_order > place if forward else Item.queue_order < place
    for step in ((Item.queue_order == place, tied), (past,)):
        found = session.exec(_in_order(select(Item.id).where(*conditions, *step), forward).limit(1)).first()
        if found is not None:
            return found
    return None


def source_names(session: Session) -> dict[str, str]:
    return {row.id: row.name for row in session.exec(select(Source).order_by(Source.name))}


def syndicated_copies(session: Session, item: Item) -> list:
    """Other placements of the same story (same story_id), newest first."""
    if not item.story_id:
        return []
    query = (select(Item.id, Item.title, Item.source_id, Item.url, Item.published_at, Item.review, Item.zone)
             .where(Item.story_id == item.story_id, Item.id != item.id)
             .order_by(Item.published_at.desc()).limit(100))
    return list(session.exec(query))
