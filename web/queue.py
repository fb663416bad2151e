"""The review queue: which items, in which order (review zone first, most uncertain first), one page at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import tzinfo

from sqlalchemy import and_, func, or_
from sqlalchemy.sql import Select
from sqlmodel import Session, select

from gdnn_monitor.core.dates import MAX_YEAR, MIN_YEAR, month_bounds, parse_month
from gdnn_monitor.core.errors import UserError
from gdnn_monitor.core.textnorm import search_words
from store.counting import waiting_clause
from store.models import Item, Source, zone_range
from store.search import search_titles

PAGE_SIZE = 50
DEFAULT_STATUS = "uncertain"
MAX_PAGE = 100_000  # 5 million rows: beyond any queue; keeps OFFSET inside the database's integer
STATUSES = {
    "uncertain": "Chờ duyệt (chưa duyệt, mô hình còn phân vân)",
    "pending": "Chưa duyệt (mọi vùng, kể cả tự chấp nhận/tự loại)",
    "auto": "Tự chấp nhận (chưa duyệt)",
    "confirmed": "Đã xác nhận",
    "rejected": "Đã từ chối",
    "all": "Tất cả",
}
# Pages are counted up to here: past it the page says "more than 1,000" (20 pages) instead of counting a million
# rows; the dashboard counts pending items further (one dense index range).
COUNT_CAP = 1_000
PENDING_CAP = 10_000
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
    Item.feed_only,
    Item.attachment_url,
    Item.publisher,
    Item.tone,
    Item.tone_phrases,
)
TONES = {"negative": "Chỉ tin tiêu cực (sai phạm, kỷ luật, gian lận, bằng giả, giải thể…)"}


@dataclass
class QueueFilter:
    """The filters of the queue page, parsed from the query string; a value that cannot be used is ignored and named
    in `ignored`, so the page can say what it did not apply instead of silently showing everything."""

    source: str | None = None
    kind: str | None = None
    month: str | None = None
    theme: str | None = None
    status: str = DEFAULT_STATUS
    page: int = 1
    text: str | None = None
    ignored: list[str] = field(default_factory=list)
    tone: str | None = None

    @classmethod
    def from_query(cls, params, strict: bool = False) -> QueueFilter:
        """A value the queue cannot use is named in `ignored` and left out. strict (the queue page itself): a page or
        a year beyond what the app handles is a UserError (a 400 page) instead; lenient (the filter remembered in an
        item page's 'back' link): everything odd falls back to the defaults."""
        ignored: list[str] = []
        status = params.get("status") or DEFAULT_STATUS
        if status not in STATUSES:
            ignored.append(f"trạng thái {status!r} không có, đang hiện “{STATUSES[DEFAULT_STATUS]}”")
            status = DEFAULT_STATUS
        raw_page = (params.get("page") or "").strip()
        page = int(raw_page) if re.fullmatch(r"[0-9]{1,7}", raw_page) else None
        if strict and (re.fullmatch(r"[0-9]{8,}", raw_page) or (page is not None and page > MAX_PAGE)):
            raise UserError(f"Số trang quá lớn: {raw_page[:30]!r} (số nguyên từ 1 đến {MAX_PAGE:,})".replace(",", "."))
        if page is None or not 1 <= page <= MAX_PAGE:
            if raw_page:
                ignored.append(f"trang {raw_page[:30]!r} không phải số trang hợp lệ, đang hiện trang 1")
            page = 1
        month = (params.get("month") or "").strip() or None
        if month:
            try:
                parse_month(month)
            except UserError:
                if strict and _year_out_of_range(month):
                    raise
                ignored.append(f"tháng {month!r} không hợp lệ (dạng YYYY-MM, tháng 01–12), đã bỏ lọc theo tháng")
                month = None
        return cls(
            source=params.get("source") or None,
            kind=params.get("kind") or None,
            month=month,
            theme=params.get("theme") or None,
            status=status,
            page=page,
            text=" ".join((params.get("q") or "").split())[:200] or None,
            ignored=ignored,
            tone=params.get("tone") if params.get("tone") in TONES else None,
        )


def _year_out_of_range(month: str) -> bool:
    """'0000-01' or '9999-12': a month in the right form but of a year the app cannot report on (a 400, not a note)."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", month)
    return bool(match) and not MIN_YEAR <= int(match.group(1)) <= MAX_YEAR


def _conditions(session: Session, chosen: QueueFilter, tz: tzinfo) -> list:
    conditions = []
    if chosen.status == "pending":
        conditions.append(Item.review.is_(None))
    elif chosen.status == "uncertain":
        conditions.append(waiting_clause())
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
    if chosen.tone:
        conditions.append(Item.tone == chosen.tone)
    if chosen.month:
        start, end = month_bounds(*parse_month(chosen.month), tz)
        conditions.append(
            or_(
                and_(Item.published_at >= start, Item.published_at < end),
                and_(Item.published_at.is_(None), Item.fetched_at >= start, Item.fetched_at < end),
            )
        )
    return conditions


def _matching(
    session: Session, chosen: QueueFilter, tz: tzinfo, ascending: bool = True, after: Item | None = None
) -> list[Select]:
    """The ids matching the filters in page order: the queue order (store.models.QUEUE_ORDER_SQL, newest first among
    equals), or newest first for a title search (store/search.py says why). With `after`, the items that follow it
    (precede it when not ascending): the statements to try in turn, each an index seek."""
    query = select(Item.id).where(*_conditions(session, chosen, tz))
    if chosen.text:
        # every word of the search, in any order; see search_index for words typed without tone marks
        search = search_titles(session, query, search_words(chosen.text))
        order_id = search.order_id
        query = search.query.order_by(order_id.desc() if ascending else order_id)
        if after is None:
            return [query]
        return [query.where(order_id < after.id if ascending else order_id > after.id)]
    query = (
        query.order_by(Item.queue_order, Item.id.desc())
        if ascending
        else query.order_by(Item.queue_order.desc(), Item.id)
    )
    if after is None:
        return [query]
    place = after.queue_order
    tied = [Item.queue_order == place, Item.id < after.id if ascending else Item.id > after.id]
    past = Item.queue_order > place if ascending else Item.queue_order < place
    return [query.where(*tied), query.where(past)]


def count_cap(chosen: QueueFilter) -> int:
    """How far a page counts: up to COUNT_CAP, and a search no further than its own page (limit + 1 says whether
    another page follows): every match of a common word is a row to re-check, a plain filter only an index entry."""
    return chosen.page * PAGE_SIZE if chosen.text else COUNT_CAP


def capped_count(session: Session, query: Select, cap: int = COUNT_CAP) -> int:
    """How many rows the query gives, counting no further than cap + 1 (the page then says "more than cap")."""
    return session.exec(select(func.count()).select_from(query.order_by(None).limit(cap + 1).subquery())).one()


def queue_page(session: Session, chosen: QueueFilter, tz: tzinfo) -> tuple[list, int]:
    """(rows of the requested page, matching items counted up to count_cap(chosen) + 1)."""
    query = _matching(session, chosen, tz)[0]
    offset = (chosen.page - 1) * PAGE_SIZE
    if chosen.text:
        ids = list(session.exec(query.offset(offset).limit(PAGE_SIZE + 1)))
        total, ids = offset + len(ids), ids[:PAGE_SIZE]
    else:
        total = capped_count(session, query, count_cap(chosen))
        # Order ids only along an index (the queue's carry every filter column), then read the 50 rows.
        ids = list(session.exec(query.offset(offset).limit(PAGE_SIZE)))
    rows = {row.id: row for row in session.exec(select(*LIST_COLUMNS).where(Item.id.in_(ids)))} if ids else {}
    return [rows[item_id] for item_id in ids if item_id in rows], total


def neighbour(session: Session, chosen: QueueFilter, item: Item, tz: tzinfo, forward: bool = True) -> int | None:
    """The id of the item after (or before) this one in the page order, for j/k and 'next after a decision':
    index seeks from the item's place (first the items tied with it, then the first one past it)."""
    if item.queue_order is None:
        session.refresh(item, ["queue_order"])
    for query in _matching(session, chosen, tz, ascending=forward, after=item):
        found = session.exec(query.limit(1)).first()
        if found is not None:
            return found
    return None


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
