"""What the dashboard and the monthly/annual reports count, computed one way for both (store/counting.py decides
which items count; this module decides how counted items add up under the syndication setting)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from crawlers.registry import CHANNEL_OF_KIND
from gdnn_monitor.errors import EXIT_USAGE, UserError
from store.counting import counted_clause
from store.manual import MANUAL_CHANNEL_LABELS
from store.models import GENRES, Item, KpiTarget, Source

CHANNEL_LABELS = {**MANUAL_CHANNEL_LABELS, "khac": "Khác"}
GENRE_LABELS = {
    "article": "Tin, bài viết",
    "video": "Video, phóng sự truyền hình",
    "photo": "Ảnh, phóng sự ảnh",
    "post": "Bài đăng mạng xã hội",
    "broadcast": "Chương trình phát thanh - truyền hình",
    "print": "Bài trên báo in",
    "event": "Sự kiện",
    "product": "Sản phẩm truyền thông (tờ rơi, áp phích, video clip…)",
}
THEME_LABELS = {
    "tuyen_sinh": "Tuyển sinh, hướng nghiệp",
    "dao_tao": "Đào tạo",
    "co_so": "Cơ sở GDNN",
    "chinh_sach": "Chính sách",
    "ky_nang": "Kỹ năng nghề, thi tay nghề",
    "doanh_nghiep": "Doanh nghiệp, việc làm",
}
NO_THEME = "chua_ro"
METRICS = {
    "tin_bai": "Tin/bài (tin, bài, ảnh, phóng sự, chương trình, video, bài đăng)",
    "san_pham": "Sản phẩm truyền thông (tờ rơi, sách, áp phích, video clip…)",
    "su_kien": "Sự kiện truyền thông",
}
RULE_TEXT = {
    "distinct_outlets": "mỗi lần đăng trên một cơ quan/kênh khác nhau được tính một lần; bản đăng lại trên cùng "
                        "kênh không tính thêm (every placement on a distinct outlet counts once)",
    "every_placement": "mọi lần đăng đều được tính, kể cả bản đăng lại (every placement counts)",
    "unique_stories": "một câu chuyện chỉ tính một lần dù đăng ở nhiều nơi (each story counts once)",
}


def metric_of_genre(genre: str) -> str:
    """Which plan target an item adds to: printed products and events have their own targets, the rest are tin/bài."""
    return {"product": "san_pham", "event": "su_kien"}.get(genre, "tin_bai")


def counting_rule_text(rule: str) -> str:
    """The rule as printed at the top of every report, so a reader knows exactly what the numbers mean."""
    return ("Được tính: tin/bài cán bộ đã xác nhận, tin/bài mô hình tự chấp nhận mà chưa ai từ chối, và mục nhập tay. "
            "Không tính: tin/bài bị từ chối, tin/bài đang chờ duyệt. Bản đăng lại (cùng câu chuyện): "
            f"{RULE_TEXT[rule]}. Sản phẩm truyền thông tính theo số lượng.")


@dataclass
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
    reviewed_by: str | None = None
    origin: str = "crawl"
    in_total: bool = True


@dataclass
class Tally:
    """Placements (items), the number counted under the rule, and unique stories, for one bucket."""

    placements: int = 0
    counted: int = 0
    stories: set[str] = field(default_factory=set)

    @property
    def unique_stories(self) -> int:
        return len(self.stories)


def _unit_key(row: CountedRow, rule: str) -> tuple:
    if rule == "every_placement":
        return (row.id,)
    if rule == "unique_stories":
        return (row.story,)
    return (row.story, row.source_id)


def _time_window(start: datetime | None, end: datetime | None):
    """Items in [start, end) by publication time, or fetch time when the page gave none (index-friendly form)."""
    conditions = []
    if start is not None and end is not None:
        conditions.append(or_(and_(Item.published_at >= start, Item.published_at < end),
                              and_(Item.published_at.is_(None), Item.fetched_at >= start, Item.fetched_at < end)))
    return conditions


def counted_rows(session: Session, start: datetime | None, end: datetime | None, rule: str,
                 detail: bool = False) -> list[CountedRow]:
    """Every counted item in the window, oldest first; in_total marks the placements the rule adds to the totals."""
    sources = {row.id: (row.kind, row.name) for row in session.exec(select(Source))}
    columns = [Item.id, Item.story_id, Item.source_id, Item.published_at, Item.fetched_at, Item.genre, Item.channel,
               Item.theme, Item.quantity]
    if detail:
        columns += [Item.title, Item.url, Item.reviewed_by, Item.origin]
    query = select(*columns).where(counted_clause(), *_time_window(start, end))
    query = query.order_by(func.coalesce(Item.published_at, Item.fetched_at), Item.id)
    rows: list[CountedRow] = []
    for values in session.exec(query):
        kind, name = sources.get(values[2], ("", values[2]))
        row = CountedRow(id=values[0], story=values[1] or f"item-{values[0]}", source_id=values[2],
                         when=values[3] or values[4], genre=values[5], theme=values[7] or NO_THEME,
                         channel=values[6] or CHANNEL_OF_KIND.get(kind, "khac"), quantity=max(values[8] or 1, 1),
                         source_name=name)
        if detail:
            row.title, row.url, row.reviewed_by, row.origin = values[9], values[10], values[11], values[12]
        rows.append(row)
    _mark_in_total(rows, rule)
    return rows


def _mark_in_total(rows: list[CountedRow], rule: str) -> None:
    """The first placement of each unit counts; later copies of the same unit are listed but not added."""
    seen: set[tuple] = set()
    for row in rows:
        key = _unit_key(row, rule)
        row.in_total = key not in seen
        seen.add(key)


def tally_by(rows: Iterable[CountedRow], key) -> dict:
    """Group counted rows into tallies by key(row); counted adds quantities of the rows the rule keeps."""
    tallies: dict = defaultdict(Tally)
    for row in rows:
        tally = tallies[key(row)]
        tally.placements += 1
        tally.stories.add(row.story)
        if row.in_total:
            tally.counted += row.quantity
    return dict(tallies)


@dataclass
class Summary:
    """Everything the dashboard shows about one period."""

    rule: str
    total: Tally
    by_metric: dict[str, Tally]
    by_month: dict[int, Tally]
    by_channel: dict[str, Tally]
    by_genre: dict[str, Tally]
    by_theme: dict[str, Tally]
    by_channel_genre: dict[tuple[str, str], Tally]


def summarise(rows: list[CountedRow], rule: str, tz: tzinfo) -> Summary:
    return Summary(
        rule=rule,
        total=tally_by(rows, lambda row: "all").get("all", Tally()),
        by_metric=tally_by(rows, lambda row: metric_of_genre(row.genre)),
        by_month=tally_by(rows, lambda row: row.when.astimezone(tz).month),
        by_channel=tally_by(rows, lambda row: row.channel),
        by_genre=tally_by(rows, lambda row: row.genre),
        by_theme=tally_by(rows, lambda row: row.theme),
        by_channel_genre=tally_by(rows, lambda row: (row.channel, row.genre)),
    )


def ordered_channel_genre(summary: Summary) -> list[tuple[str, str, Tally]]:
    """Summary-table rows in the fixed channel and genre order, so reports of different months line up."""
    channels = list(CHANNEL_LABELS)
    genres = list(GENRES)
    keys = sorted(summary.by_channel_genre, key=lambda k: (channels.index(k[0]) if k[0] in channels else 99,
                                                            genres.index(k[1]) if k[1] in genres else 99, k))
    return [(channel, genre, summary.by_channel_genre[(channel, genre)]) for channel, genre in keys]


# --- yearly targets ---------------------------------------------------------------------------------------------

def set_target(session: Session, year: int, metric: str, target: int) -> KpiTarget:
    """Create or change one yearly target (an admin action)."""
    if metric not in METRICS:
        raise UserError(f"Chỉ tiêu không hợp lệ: {metric!r} (một trong: {', '.join(METRICS)})", EXIT_USAGE)
    if not 1900 <= year <= 2200:
        raise UserError(f"Năm không hợp lệ: {year}", EXIT_USAGE)
    if target < 0:
        raise UserError("Chỉ tiêu phải là số không âm (target must be >= 0)", EXIT_USAGE)
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
    return [Progress(metric, label, targets.get(metric), summary.by_metric.get(metric, Tally()).counted)
            for metric, label in METRICS.items()]
