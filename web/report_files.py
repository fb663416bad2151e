"""The monthly/annual report as a file: XLSX (a summary sheet and a list of every counted item) or CSV.

Used by `gdnn-monitor report` and by the download in the web app, so both give the same numbers.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from sqlmodel import Session

from gdnn_monitor.core import vnformat
from gdnn_monitor.core.dates import month_bounds, year_bounds
from gdnn_monitor.core.errors import EXIT_USAGE, UserError
from gdnn_monitor.core.vocabulary import (
    CHANNELS,
    GENRES,
    METRIC_SHORT,
    METRICS,
    NO_GROUP,
    NO_GROUP_LABEL,
    NO_THEME,
    NO_THEME_LABEL,
    THEMES,
    metric_of_genre,
)
from store.reports import (
    ACTIVITY_GROUP_LABELS,
    CountedRow,
    Progress,
    Summary,
    Tally,
    counted_rows,
    counting_rule_text,
    ordered_channel_genre,
    progress,
    summarise,
    waiting_count,
)
from web.xlsx_stream import Workbook

FORMATS = ("xlsx", "csv")
AUTO_ACCEPTED = "tự động (mô hình)"


@dataclass(frozen=True)
class Column:
    """One report column declared once: its header, its XLSX width and how a row gives its value (CSV and XLSX
    both write from these, so a header can never drift from its values or its width)."""

    header: str
    width: int
    value: Callable[..., object]


def headers(columns: tuple[Column, ...]) -> list[str]:
    return [column.header for column in columns]


def how_collected(row: CountedRow) -> str:
    """Said in the report so a reader knows an item's text is only its feed entry, or whose article it is."""
    notes = []
    if row.feed_only:
        notes.append("chỉ từ RSS (robots.txt chặn trang)")
    if row.publisher:
        notes.append(f"cơ quan đăng: {row.publisher}")
    if row.attachment_url:
        notes.append(f"văn bản đính kèm: {row.attachment_url}")
    return "; ".join(notes)


# A summary line is (first label, second label, tally): a channel x genre cell, or one metric's total.
SUMMARY_COLUMNS = (
    Column("Kênh (channel)", 44, lambda line: line[0]),
    Column("Thể loại (genre)", 44, lambda line: line[1]),
    Column("Lượt đăng (placements)", 18, lambda line: line[2].placements),
    Column("Tính vào chỉ tiêu (counted)", 20, lambda line: line[2].counted),
    Column("Câu chuyện duy nhất (unique stories)", 20, lambda line: line[2].unique_stories),
)
# The date is a date (the writer formats it), the reviewer only for an officer's decision.
ITEM_COLUMNS = (
    Column("Ngày (date)", 12, lambda row, tz: row.when.astimezone(tz).date()),
    Column("Nguồn (source)", 28, lambda row, tz: row.source_name),
    Column("Tiêu đề (title)", 60, lambda row, tz: row.title),
    Column("Đường dẫn (link)", 40, lambda row, tz: "" if row.url.startswith("manual:") else row.url),
    Column("Kênh (channel)", 22, lambda row, tz: CHANNELS.get(row.channel, row.channel)),
    Column("Thể loại (genre)", 22, lambda row, tz: GENRES.get(row.genre, row.genre)),
    Column("Chủ đề (theme)", 22, lambda row, tz: THEMES.get(row.theme, NO_THEME_LABEL)),
    Column(
        "Nhóm hoạt động (activity group)",
        30,
        lambda row, tz: ACTIVITY_GROUP_LABELS.get(row.activity_group, NO_GROUP_LABEL),
    ),
    Column("Số lượng (quantity)", 10, lambda row, tz: row.quantity),
    Column("Người duyệt (reviewed by)", 18, lambda row, tz: row.reviewed_by or AUTO_ACCEPTED),
    Column("Tính vào tổng (in total)", 18, lambda row, tz: "có" if row.in_total else "không (bản đăng lại)"),
    Column("Mã câu chuyện (story)", 18, lambda row, tz: "" if row.story.startswith("item-") else row.story),
    Column("Cách thu thập (how collected)", 30, lambda row, tz: how_collected(row)),
)
SUMMARY_HEADER = headers(SUMMARY_COLUMNS)
ITEM_HEADER = headers(ITEM_COLUMNS)


@dataclass
class Period:
    """A report period: a month or a whole year, with its title."""

    year: int
    month: int | None = None

    @property
    def title(self) -> str:
        return f"tháng {self.month:02d}/{self.year}" if self.month else f"năm {self.year}"

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)

    def bounds(self, tz: tzinfo) -> tuple[datetime, datetime]:
        return month_bounds(self.year, self.month, tz) if self.month else year_bounds(self.year, tz)


@dataclass
class ReportData:
    period: Period
    rule: str
    rows: list[CountedRow]
    summary: Summary
    sources: list[tuple[str, str]] = field(default_factory=list)  # (id, name) the report is limited to; [] = all
    waiting: int = 0
    targets: list[Progress] = field(default_factory=list)  # the year's targets, in the annual report only


def build_report(
    session: Session, period: Period, rule: str, tz: tzinfo, sources: list[str] | None = None
) -> ReportData:
    """The numbers of one report; `sources` limits it to some sources (a school reports its own results)."""
    start, end = period.bounds(tz)
    chosen = check_sources(session, sources or [])
    ids = [source_id for source_id, _ in chosen]
    rows = counted_rows(session, start, end, rule, detail=True, sources=ids)
    summary = summarise(rows, rule, tz)
    targets = progress(session, period.year, summary) if period.month is None and not ids else []
    return ReportData(period, rule, rows, summary, chosen, waiting_count(session, start, end, ids), targets)


def check_sources(session: Session, sources: list[str]) -> list[tuple[str, str]]:
    """(id, name) of each requested source; an unknown id is refused with the closest known one suggested."""
    from sqlmodel import select

    from store.models import Source

    known = {row.id: row.name for row in session.exec(select(Source))}
    chosen = []
    for source_id in dict.fromkeys(value.strip() for value in sources if value.strip()):
        if source_id not in known:
            close = difflib.get_close_matches(source_id, list(known), n=1)
            hint = f" — có phải {close[0]!r}?" if close else ""
            raise UserError(f"Không có nguồn {source_id!r}{hint} (xem: gdnn-monitor sources list --all)", EXIT_USAGE)
        chosen.append((source_id, known[source_id]))
    return chosen


def _per_metric(tallies: dict[str, Tally]) -> list[int]:
    return [tallies[metric].counted if metric in tallies else 0 for metric in METRICS]


def _summary_rows(data: ReportData) -> list[list]:
    """Channel x genre, then one total per metric: articles and leaflets are never added together."""
    lines = [
        (CHANNELS.get(channel, channel), GENRES.get(genre, genre), tally)
        for channel, genre, tally in ordered_channel_genre(data.summary)
    ]
    for metric in METRICS:
        lines.append((f"Tổng — {METRIC_SHORT[metric]}", "", data.summary.by_metric.get(metric, Tally())))
    return [[column.value(line) for column in SUMMARY_COLUMNS] for line in lines]


def _metric_header(data: ReportData) -> list[str]:
    header = [
        "Chỉ tiêu (metric)",
        "Lượt đăng (placements)",
        "Tính vào chỉ tiêu (counted)",
        "Câu chuyện duy nhất (unique stories)",
    ]
    return header + (["Chỉ tiêu năm (target)", "Đạt (% chỉ tiêu)"] if data.targets else [])


def _metric_rows(data: ReportData, percent_as_text: bool) -> list[list]:
    """One row per metric; the annual report adds the year's target and how much of it is done (as the dashboard)."""
    goals = {entry.metric: entry for entry in data.targets}
    rows = []
    for metric, label in METRICS.items():
        tally = data.summary.by_metric.get(metric, Tally())
        row: list = [label, tally.placements, tally.counted, tally.unique_stories]
        if data.targets:
            goal = goals[metric]
            share = goal.percent
            row += [
                goal.target if goal.target is not None else "chưa đặt",
                "" if share is None else (vnformat.percent(share) if percent_as_text else share / 100),
            ]
        rows.append(row)
    return rows


def _breakdown(rows: list[CountedRow], key, labels: dict, missing: tuple) -> list[list]:
    """Counted numbers per metric for each value of `key` (activity group, theme), in the labels' order."""
    tallies: dict = {}
    for row in rows:
        if row.in_total:
            per_metric = tallies.setdefault(key(row), dict.fromkeys(METRICS, 0))
            per_metric[metric_of_genre(row.genre)] += row.quantity
    order = [value for value in labels if value in tallies] + [value for value in tallies if value not in labels]
    names = {**labels, missing[0]: missing[1]}
    return [[names.get(value, value), *tallies[value].values()] for value in order]


def _group_rows(data: ReportData) -> list[list]:
    return _breakdown(data.rows, lambda row: row.activity_group, ACTIVITY_GROUP_LABELS, (NO_GROUP, NO_GROUP_LABEL))


def _theme_rows(data: ReportData) -> list[list]:
    return _breakdown(data.rows, lambda row: row.theme, THEMES, (NO_THEME, NO_THEME_LABEL))


BREAKDOWN_VALUES = [f"{METRIC_SHORT[metric]} (counted)" for metric in METRICS]
GROUP_HEADER = ["Nhóm hoạt động của kế hoạch (activity group)", *BREAKDOWN_VALUES]
THEME_HEADER = ["Chủ đề (theme)", *BREAKDOWN_VALUES]


def metric_table(data: ReportData) -> tuple[list[str], list[list]]:
    """(header, rows) of each table, for the web page that shows the report on screen."""
    return _metric_header(data), _metric_rows(data, percent_as_text=True)


def summary_table(data: ReportData) -> tuple[list[str], list[list]]:
    return SUMMARY_HEADER, _summary_rows(data)


def group_table(data: ReportData) -> tuple[list[str], list[list]]:
    return GROUP_HEADER, _group_rows(data)


def theme_table(data: ReportData) -> tuple[list[str], list[list]]:
    return THEME_HEADER, _theme_rows(data)


def _item_rows(data: ReportData, tz: tzinfo) -> list[list]:
    return [[column.value(row, tz) for column in ITEM_COLUMNS] for row in data.rows]


def summary_line(data: ReportData) -> str:
    """The CLI's one-line result: each metric on its own (articles and leaflets are never added), and the queue."""
    parts = []
    for metric in METRICS:
        tally = data.summary.by_metric.get(metric, Tally())
        parts.append(f"{METRIC_SHORT[metric].lower()} {vnformat.number(tally.counted)}")
    tin_bai = data.summary.by_metric.get("tin_bai", Tally())
    waiting = f"{vnformat.number(data.waiting)} tin/bài đang chờ duyệt" if data.waiting else "không còn tin chờ duyệt"
    return (
        f"tính vào chỉ tiêu: {'; '.join(parts)} (tin/bài: {vnformat.number(tin_bai.placements)} lượt đăng, "
        f"{vnformat.number(tin_bai.unique_stories)} câu chuyện); {waiting}"
    )


def waiting_text(data: ReportData) -> str:
    if not data.waiting:
        return "Không còn tin/bài nào đang chờ duyệt trong kỳ."
    return (
        f"Còn {vnformat.number(data.waiting)} tin/bài đang chờ duyệt trong kỳ (chưa được tính vào số liệu dưới "
        "đây) — hãy duyệt hết trước khi ký báo cáo."
    )


def sources_text(data: ReportData) -> str:
    if not data.sources:
        return "Phạm vi: mọi nguồn."
    return "Phạm vi: chỉ các nguồn " + ", ".join(f"{name} ({source_id})" for source_id, name in data.sources) + "."


def _heading(data: ReportData) -> list[list]:
    lines = [
        [f"Báo cáo kết quả truyền thông về giáo dục nghề nghiệp — {data.period.title}"],
        [sources_text(data)],
        [f"Quy tắc đếm (counting rule): {counting_rule_text(data.rule)}"],
        [f"Chờ duyệt: {waiting_text(data)}"],
    ]
    if data.sources and data.period.month is None:
        lines.append(["Chỉ tiêu năm của tỉnh không áp dụng cho báo cáo giới hạn theo nguồn."])
    return [*lines, []]


# OWASP CSV injection: cells a spreadsheet may read as a formula or a DDE call start with one of these, possibly after
# whitespace or a line break the spreadsheet skips, and in full-width form (＝＋－＠) which some spreadsheets fold.
FORMULA_STARTS = frozenset("=+-@;|\"%\uff1d\uff0b\uff0d\uff20\uff1b\uff5c")


def _csv_safe(value: object) -> object:
    """Extracted text is untrusted: a title starting with '=' (after any leading whitespace, or in full-width form)
    must not become a spreadsheet formula; such a cell gets a leading apostrophe, as OWASP recommends."""
    if not isinstance(value, str) or not value:
        return value
    stripped = value.lstrip()  # spaces, tabs, CR/LF and Unicode spaces
    if stripped != value or stripped[:1] in FORMULA_STARTS:
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, buffer: io.StringIO) -> None:
        self.writer = csv.writer(buffer)

    def writerows(self, rows: list[list]) -> None:
        self.writer.writerows([[_csv_safe(value) for value in row] for row in rows])


def _csv_items(data: ReportData, tz: tzinfo) -> list[list]:
    return [[vnformat.day(row[0]), *row[1:]] for row in _item_rows(data, tz)]


def write_csv(data: ReportData, tz: tzinfo) -> bytes:
    """One UTF-8 file (with BOM, so spreadsheet programs read the Vietnamese right): summary, then the item list."""
    buffer = io.StringIO()
    writer = _SafeWriter(buffer)
    writer.writerows(_heading(data))
    writer.writerows([_metric_header(data), *_metric_rows(data, percent_as_text=True), []])
    writer.writerows([SUMMARY_HEADER, *_summary_rows(data), []])
    writer.writerows([GROUP_HEADER, *_group_rows(data), []])
    writer.writerows([THEME_HEADER, *_theme_rows(data), []])
    writer.writerows([ITEM_HEADER, *_csv_items(data, tz)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


LINK_COLUMN = ITEM_HEADER.index("Đường dẫn (link)")
SHARE_COLUMN = 5  # "Đạt (% chỉ tiêu)" in the annual metric table


def write_xlsx(data: ReportData, tz: tzinfo) -> bytes:
    """Two sheets, a summary and the item list, streamed row by row (web.xlsx_stream) so a month at millions of items
    stays fast and small in memory. Dates are real dates shown dd/mm/yyyy, links are clickable, the share of a target
    is a percentage cell, numbers from 1,000 up show their digit groups."""
    buffer = io.BytesIO()
    book = Workbook(buffer, (vnformat.XLSX_DATE_FORMAT, vnformat.XLSX_PERCENT_FORMAT, vnformat.XLSX_NUMBER_FORMAT))
    summary = book.add_sheet("Tổng hợp", [*(column.width for column in SUMMARY_COLUMNS), 16])
    for line in _heading(data):
        summary.append(line)
    for head, lines, share in (
        (_metric_header(data), _metric_rows(data, percent_as_text=False), SHARE_COLUMN),
        (SUMMARY_HEADER, _summary_rows(data), None),
        (GROUP_HEADER, _group_rows(data), None),
        (THEME_HEADER, _theme_rows(data), None),
    ):
        summary.header(head)
        for line in lines:
            summary.append(line, share=share)
        summary.append([])
    items = book.add_sheet("Danh sách", [column.width for column in ITEM_COLUMNS], freeze_header=True)
    items.header(ITEM_HEADER)
    for line in _item_rows(data, tz):
        items.append(line, link=LINK_COLUMN)
    book.close()
    return buffer.getvalue()


def render_report(data: ReportData, fmt: str, tz: tzinfo) -> bytes:
    return write_xlsx(data, tz) if fmt == "xlsx" else write_csv(data, tz)


def report_filename(period: Period, fmt: str) -> str:
    return f"bao-cao-gdnn-{period.slug}.{fmt}"
