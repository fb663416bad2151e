"""What the dashboard and the monthly/annual reports count, computed one way for both (store/counting.py decides
which items count; this module decides how counted items add up under the syndication setting)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from sqlalchemy import and_, case, func, literal, or_, text, type_coerce, union_all
from sqlmodel import Session, select

from gdnn_monitor.core.errors import EXIT_USAGE, UserError
from gdnn_monitor.core.vocabulary import (
    ACTIVITY_GROUPS,
    CHANNELS,
    GENRES,
    METRICS,
    NO_GROUP,
    NO_THEME,
    channel_of_kind,
    metric_of_genre,
)
from store.counting import counted_branches, counted_clause, waiting_clause
from store.models import Item, KpiTarget, Source
from store.types import UTCDateTime

# The plan's activity groups as reports and the review form show them: numbered as in the plan's appendix.
ACTIVITY_GROUP_LABELS = {number: f"{number}. {label}" for number, label in ACTIVITY_GROUPS.items()}
RULE_TEXT = {
    "distinct_outlets": "mỗi lần đăng trên một cơ quan/kênh khác nhau được tính một lần; bản đăng lại trên cùng "
    "kênh không tính thêm",
    "every_placement": "mọi lần đăng đều được tính, kể cả bản đăng lại",
    "unique_stories": "một câu chuyện chỉ tính một lần dù đăng ở nhiều nơi",
}


def counting_rule_text(rule: str) -> str:
    """The rule as printed at the top of every report, so a reader knows exactly what the numbers mean."""
    return (
        "Được tính: tin/bài cán bộ đã xác nhận, tin/bài mô hình tự chấp nhận mà chưa ai từ chối, và mục nhập tay. "
        "Không tính: tin/bài bị từ chối, tin/bài đang chờ duyệt. Bản đăng lại (cùng câu chuyện): "
        f"{RULE_TEXT[rule]}. Sản phẩm truyền thông tính theo số lượng. Mỗi chỉ tiêu (tin/bài, sản phẩm, sự kiện) "
        "được cộng riêng, không bao giờ cộng lẫn với nhau."
    )


@dataclass(slots=True)
class CountedRow:
    """One counted placement, with what the summaries group by."""

    id: int
    story: str
    source_id: str
    when: datetime
    genre: str
    channel: str
    theme: str
    quantity: int
    title: str = ""
    url: str = ""
    source_name: str = ""
    reviewed_by: str | None = None  # only when an officer confirmed it (an edit alone is no decision)
    origin: str = "crawl"
    activity_group: int = NO_GROUP
    feed_only: bool = False  # stored from the feed entry alone (robots.txt refuses the page)
    publisher: str | None = None  # the outlet an aggregator named
    attachment_url: str | None = None
    in_total: bool = True
    solo: bool = False  # not grouped into a story: the item is its own story


@dataclass(slots=True)
class Tally:
    """For one bucket: placements (items), the number counted under the rule (products by their quantity), units
    (the same without quantities: one leaflet run is one unit, what charts show) and unique stories."""

    placements: int = 0
    counted: int = 0
    units: int = 0
    stories: set[str] = field(default_factory=set)
    solo: int = 0  # placements that belong to no story, each its own story

    @property
    def unique_stories(self) -> int:
        return len(self.stories) + self.solo


def _unit_key(item_id: int, story: str, source_id: str, rule: str) -> tuple:
    """What one counted unit is under the syndication rule (an item, a story on one outlet, or a story)."""
    if rule == "every_placement":
        return (item_id,)
    if rule == "unique_stories":
        return (story,)
    return (story, source_id)


def _time_window(start: datetime | None, end: datetime | None):
    """Items in [start, end) by publication time, or fetch time when the page gave none (index-friendly form)."""
    conditions = []
    if start is not None and end is not None:
        conditions.append(
            or_(
                and_(Item.published_at >= start, Item.published_at < end),
                and_(Item.published_at.is_(None), Item.fetched_at >= start, Item.fetched_at < end),
            )
        )
    return conditions


def _when():
    return type_coerce(func.coalesce(Item.published_at, Item.fetched_at), UTCDateTime())


def _source_filter(sources: Iterable[str] | None) -> list:
    """Limit to some sources (a school reporting its own results); None or empty: every source."""
    chosen = sorted(set(sources or ()))
    return [Item.source_id.in_(chosen)] if chosen else []


def _counted_query(
    columns: list,
    start: datetime | None,
    end: datetime | None,
    sources: Iterable[str] | None = None,
    conditions: Iterable = (),
):
    """Counted items of the window, oldest first (the first placement of a unit is the one that counts).

    Each case of the counting rule is read on its own and the two joined (UNION ALL): with one OR, PostgreSQL
    combines the month's index range with the rule's as a bitmap that goes lossy at millions of items."""
    where = [*_time_window(start, end), *_source_filter(sources), *conditions]
    branches = [
        select(*columns, _when().label("counted_when"), Item.id.label("counted_id")).where(branch, *where)
        for branch in counted_branches()
    ]
    both = union_all(*branches).subquery("counted")
    return select(*(both.c[index] for index in range(len(columns)))).order_by(both.c.counted_when, both.c.counted_id)


def counted_rows(
    session: Session,
    start: datetime | None,
    end: datetime | None,
    rule: str,
    detail: bool = False,
    sources: Iterable[str] | None = None,
) -> list[CountedRow]:
    """Every counted item in the window, oldest first; in_total marks the placements the rule adds to the totals."""
    names = {row.id: (row.kind, row.name) for row in session.exec(select(Source))}
    columns = [Item.id, Item.story_id, Item.source_id, _when(), Item.genre, Item.channel, Item.theme, Item.quantity]
    if detail:
        columns += [
            Item.title,
            Item.url,
            Item.reviewed_by,
            Item.origin,
            Item.review,
            Item.activity_group,
            Item.feed_only,
            Item.publisher,
            Item.attachment_url,
        ]
    rows: list[CountedRow] = []
    seen: set[tuple] = set()
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # Compiling this query to machine code (JIT) costs PostgreSQL more than running it (0.3 s at 5M items).
        connection.execute(text("SET LOCAL jit = off"))
    # fetched at once: row by row the driver's per-row calls cost as much as the query at 50,000 rows
    for values in connection.execute(_counted_query(columns, start, end, sources)).all():
        kind, name = names.get(values[2], ("", values[2]))
        story = values[1] or f"item-{values[0]}"
        key = _unit_key(values[0], story, values[2], rule)
        row = CountedRow(
            values[0],
            story,
            values[2],
            values[3],
            values[4],
            values[5] or channel_of_kind(kind),
            values[6] or NO_THEME,
            max(values[7] or 1, 1),
            source_name=name,
            in_total=key not in seen,
            solo=not values[1],
        )
        seen.add(key)
        if detail:
            row.title, row.url, row.origin = values[8], values[9], values[11]
            row.reviewed_by = values[10] if values[12] == "confirmed" else None
            row.activity_group = values[13] or NO_GROUP
            row.feed_only, row.publisher, row.attachment_url = bool(values[14]), values[15], values[16]
        rows.append(row)
    return rows


def waiting_count(
    session: Session, start: datetime | None = None, end: datetime | None = None, sources: Iterable[str] | None = None
) -> int:
    """Items of the window still waiting for an officer (store.counting.waiting_clause): not counted yet."""
    query = (
        select(func.count())
        .select_from(Item)
        .where(waiting_clause(), *_time_window(start, end), *_source_filter(sources))
    )
    return session.exec(query).one()


@dataclass
class Summary:
    """Everything the dashboard and the report's summary sheet show about one period."""

    rule: str
    total: Tally
    by_metric: dict[str, Tally]
    by_month: dict[int, Tally]
    by_channel: dict[str, Tally]
    by_genre: dict[str, Tally]
    by_theme: dict[str, Tally]
    by_channel_genre: dict[tuple[str, str], Tally]


def summarise_facts(facts: Iterable[tuple], rule: str) -> Summary:
    """Add up facts (story or None for story-less items, month, genre, channel, theme, counted, units, placements).

    A fact is one item, or (story None) a group of story-less items the database already added up. Unique stories
    are tracked for the total, each metric and the channel x genre table (what the report shows). `total` mixes
    metrics (a leaflet run and an article): show per-metric numbers to people, never total.counted."""
    total = Tally()
    by_metric: dict = defaultdict(Tally)
    by_month: dict = defaultdict(Tally)
    by_channel: dict = defaultdict(Tally)
    by_genre: dict = defaultdict(Tally)
    by_theme: dict = defaultdict(Tally)
    by_channel_genre: dict = defaultdict(Tally)
    for story, month, genre, channel, theme, counted, units, placements in facts:
        cell = by_channel_genre[(channel, genre)]
        metric = by_metric[metric_of_genre(genre)]
        for tally in (total, metric, cell):
            if story is None:
                tally.solo += placements
            else:
                tally.stories.add(story)
        for tally in (total, metric, by_month[month], by_channel[channel], by_genre[genre], by_theme[theme], cell):
            tally.placements += placements
            tally.counted += counted
            tally.units += units
    return Summary(
        rule,
        total,
        dict(by_metric),
        dict(by_month),
        dict(by_channel),
        dict(by_genre),
        dict(by_theme),
        dict(by_channel_genre),
    )


def summarise(rows: list[CountedRow], rule: str, tz: tzinfo) -> Summary:
    """The summary of rows already read (the report reads them anyway for its item list)."""
    return summarise_facts(
        (
            (
                None if row.solo else row.story,
                row.when.astimezone(tz).month,
                row.genre,
                row.channel,
                row.theme,
                row.quantity if row.in_total else 0,
                int(row.in_total),
                1,
            )
            for row in rows
        ),
        rule,
    )


def _month_of(start: datetime, end: datetime, tz: tzinfo):
    """A SQL expression giving the local month number of an item's time, so no timestamp is parsed in Python."""
    whens, cursor = [], start.astimezone(tz)
    while cursor < end:
        following = datetime(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1, tzinfo=cursor.tzinfo)
        whens.append((_when() < following, cursor.month))
        cursor = following
    return case(*whens, else_=0) if whens else literal(0)


def period_summary(session: Session, start: datetime, end: datetime, rule: str, tz: tzinfo) -> Summary:
    """The same numbers as summarise(counted_rows(...)), read lean enough for the dashboard's every page view.

    Story-less items are their own unit under every rule, so the database adds them up (GROUP BY); only items
    that belong to a story come to Python, in time order, to find the first placement of each unit."""
    kinds = {row[0]: row[1] for row in session.exec(select(Source.id, Source.kind))}
    month = _month_of(start, end, tz)
    quantity = case((Item.quantity < 1, 1), else_=Item.quantity)
    # Wrapped in coalesce so SQLite's planner keeps the covering counting index instead of the story_id index.
    no_story = func.coalesce(Item.story_id, "") == ""
    solo = (
        select(month, Item.genre, Item.channel, Item.theme, Item.source_id, func.sum(quantity), func.count())
        .where(counted_clause(), *_time_window(start, end), no_story)
        .group_by(month, Item.genre, Item.channel, Item.theme, Item.source_id)
    )
    grouped = _counted_query(
        [Item.id, Item.story_id, Item.source_id, month, Item.genre, Item.channel, Item.theme, quantity],
        start,
        end,
        conditions=[~no_story],
    )
    seen: set[tuple] = set()

    def channel_of(channel: str | None, source_id: str) -> str:
        return channel or channel_of_kind(kinds.get(source_id, ""))

    def facts():
        for month_number, genre, channel, theme, source_id, total, count in session.connection().execute(solo):
            yield None, month_number, genre, channel_of(channel, source_id), theme or NO_THEME, total, count, count
        for item_id, story, source_id, month_number, genre, channel, theme, amount in session.connection().execute(
            grouped
        ):
            key = _unit_key(item_id, story, source_id, rule)
            first = key not in seen
            seen.add(key)
            yield (
                story,
                month_number,
                genre,
                channel_of(channel, source_id),
                theme or NO_THEME,
                amount if first else 0,
                int(first),
                1,
            )

    return summarise_facts(facts(), rule)


def ordered_channel_genre(summary: Summary) -> list[tuple[str, str, Tally]]:
    """Summary-table rows in the fixed channel and genre order, so reports of different months line up."""
    channels = list(CHANNELS)
    genres = list(GENRES)
    keys = sorted(
        summary.by_channel_genre,
        key=lambda k: (
            channels.index(k[0]) if k[0] in channels else 99,
            genres.index(k[1]) if k[1] in genres else 99,
            k,
        ),
    )
    return [(channel, genre, summary.by_channel_genre[(channel, genre)]) for channel, genre in keys]


# --- yearly targets ---------------------------------------------------------------------------------------------

MAX_TARGET = 10**9  # far above any plan; keeps the number inside a database integer


def set_target(session: Session, year: int, metric: str, target: int) -> KpiTarget:
    """Create or change one yearly target (an admin action)."""
    if metric not in METRICS:
        raise UserError(f"Chỉ tiêu không hợp lệ: {metric!r} (một trong: {', '.join(METRICS)})", EXIT_USAGE)
    if not 1900 <= year <= 2200:
        raise UserError(f"Năm không hợp lệ: {year}", EXIT_USAGE)
    if target < 0:
        raise UserError("Chỉ tiêu phải là số không âm (target must be >= 0)", EXIT_USAGE)
    if target > MAX_TARGET:
        raise UserError(
            f"Chỉ tiêu quá lớn: {target} (tối đa {MAX_TARGET:,} — target too large)".replace(",", "."), EXIT_USAGE
        )
    row = session.exec(select(KpiTarget).where(KpiTarget.year == year, KpiTarget.metric == metric)).first()
    if row is None:
        row = KpiTarget(year=year, metric=metric, target=target, label=METRICS[metric])
    row.target = target
    session.add(row)
    session.flush()
    return row


def list_targets(session: Session, year: int | None = None) -> list[KpiTarget]:
    query = select(KpiTarget).order_by(KpiTarget.year, KpiTarget.metric)
    if year is not None:
        query = query.where(KpiTarget.year == year)
    return list(session.exec(query))


@dataclass
class Progress:
    metric: str
    label: str
    target: int | None
    done: int

    @property
    def percent(self) -> float | None:
        return None if not self.target else 100.0 * self.done / self.target


def progress(session: Session, year: int, summary: Summary) -> list[Progress]:
    """Each metric of the year with its target (if an admin set one) and the counted number so far."""
    targets = {row.metric: row.target for row in list_targets(session, year)}
    return [
        Progress(metric, label, targets.get(metric), summary.by_metric.get(metric, Tally()).counted)
        for metric, label in METRICS.items()
    ]
