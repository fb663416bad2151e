"""The monthly/annual report as a file: XLSX (a summary sheet and a list of every counted item) or CSV.

Used by `gdnn-monitor report` and by the download in the web app, so both give the same numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlmodel import Session

from gdnn_monitor.core.dates import month_bounds, year_bounds
from gdnn_monitor.core.vocabulary import CHANNELS, GENRES, METRICS, THEMES
from store.reports import CountedRow, Summary, Tally, counted_rows, counting_rule_text, ordered_channel_genre, summarise

FORMATS = ("xlsx", "csv")
AUTO_ACCEPTED = "tự động (mô hình)"
TOTAL_LABEL = "Tổng cộng (total)"


@dataclass(frozen=True)
class Column:
    """One report column declared once: its header, its XLSX width and how a row gives its value (CSV and XLSX
    both write from these, so a header can never drift from its values)."""

    header: str
    width: int
    value: Callable[..., object]


@dataclass(frozen=True)
class SummaryLine:
    channel: str
    genre: str
    tally: Tally


METRIC_COLUMNS = (
    Column("Chỉ tiêu (metric)", 38, lambda line: line[0]),
    Column("Kết quả (counted)", 44, lambda line: line[1]),
)
SUMMARY_COLUMNS = (
    Column("Kênh (channel)", 38, lambda line: CHANNELS.get(line.channel, line.channel)),
    Column("Thể loại (genre)", 44, lambda line: GENRES.get(line.genre, line.genre)),
    Column("Lượt đăng (placements)", 16, lambda line: line.tally.placements),
    Column("Tính vào chỉ tiêu (counted)", 18, lambda line: line.tally.counted),
    Column("Câu chuyện duy nhất (unique stories)", 20, lambda line: line.tally.unique_stories),
)
ITEM_COLUMNS = (
    Column("Ngày (date)", 12, lambda row, tz: row.when.astimezone(tz).strftime("%d/%m/%Y")),
    Column("Nguồn (source)", 28, lambda row, tz: row.source_name),
    Column("Tiêu đề (title)", 60, lambda row, tz: row.title),
    Column("Đường dẫn (link)", 40, lambda row, tz: "" if row.url.startswith("manual:") else row.url),
    Column("Kênh (channel)", 22, lambda row, tz: CHANNELS.get(row.channel, row.channel)),
    Column("Thể loại (genre)", 22, lambda row, tz: GENRES.get(row.genre, row.genre)),
    Column("Chủ đề (theme)", 22, lambda row, tz: THEMES.get(row.theme, "")),
    Column("Số lượng (quantity)", 10, lambda row, tz: row.quantity),
    Column("Người duyệt (reviewed by)", 18, lambda row, tz: row.reviewed_by or AUTO_ACCEPTED),
    Column("Tính vào tổng (in total)", 18, lambda row, tz: "có" if row.in_total else "không (bản đăng lại)"),
    Column("Mã câu chuyện (story)", 18, lambda row, tz: "" if row.story.startswith("item-") else row.story),
)


def headers(columns: tuple[Column, ...]) -> list[str]:
    return [column.header for column in columns]


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


def build_report(session: Session, period: Period, rule: str, tz: tzinfo) -> ReportData:
    start, end = period.bounds(tz)
    rows = counted_rows(session, start, end, rule, detail=True)
    return ReportData(period, rule, rows, summarise(rows, rule, tz))


def _summary_rows(data: ReportData) -> list[list]:
    lines = [SummaryLine(channel, genre, tally) for channel, genre, tally in ordered_channel_genre(data.summary)]
    lines.append(SummaryLine(TOTAL_LABEL, "", data.summary.total))
    return [[column.value(line) for column in SUMMARY_COLUMNS] for line in lines]


def _metric_rows(data: ReportData) -> list[list]:
    lines = [
        (label, data.summary.by_metric[metric].counted if metric in data.summary.by_metric else 0)
        for metric, label in METRICS.items()
    ]
    return [[column.value(line) for column in METRIC_COLUMNS] for line in lines]


def _item_rows(data: ReportData, tz: tzinfo) -> list[list]:
    return [[column.value(row, tz) for column in ITEM_COLUMNS] for row in data.rows]


def _heading(data: ReportData) -> list[list]:
    return [
        [f"Báo cáo kết quả truyền thông về giáo dục nghề nghiệp — {data.period.title}"],
        [f"Quy tắc đếm (counting rule): {counting_rule_text(data.rule)}"],
        [],
    ]


def _csv_safe(value: object) -> object:
    """Extracted text is untrusted: a title starting with '=' must not become a spreadsheet formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, buffer: io.StringIO) -> None:
        self.writer = csv.writer(buffer)

    def writerows(self, rows: list[list]) -> None:
        self.writer.writerows([[_csv_safe(value) for value in row] for row in rows])


def write_csv(data: ReportData, tz: tzinfo) -> bytes:
    """One UTF-8 file (with BOM, so spreadsheet programs read the Vietnamese right): summary, then the item list."""
    buffer = io.StringIO()
    writer = _SafeWriter(buffer)
    writer.writerows(_heading(data))
    writer.writerows([headers(METRIC_COLUMNS), *_metric_rows(data), []])
    writer.writerows([headers(SUMMARY_COLUMNS), *_summary_rows(data), []])
    writer.writerows([headers(ITEM_COLUMNS), *_item_rows(data, tz)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(data: ReportData, tz: tzinfo) -> bytes:
    """Two sheets, written in openpyxl's streaming mode so a year of items stays fast and small in memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)

    def row_of(sheet, values):
        """Strings stay strings (never formulas) and lose the control characters XLSX cannot hold."""
        cells = []
        for value in values:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(value)
        return cells

    def widths(sheet, columns: tuple[Column, ...]) -> None:
        for number, column in enumerate(columns, 1):
            sheet.column_dimensions[get_column_letter(number)].width = column.width

    def header(sheet, values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cells.append(cell)
        sheet.append(cells)

    summary = book.create_sheet("Tổng hợp")
    widths(summary, SUMMARY_COLUMNS)  # the metric table above it shares the sheet's first two columns
    for line in _heading(data):
        summary.append(row_of(summary, line))
    header(summary, headers(METRIC_COLUMNS))
    for line in _metric_rows(data):
        summary.append(row_of(summary, line))
    summary.append([])
    header(summary, headers(SUMMARY_COLUMNS))
    for line in _summary_rows(data):
        summary.append(row_of(summary, line))

    items = book.create_sheet("Danh sách")
    widths(items, ITEM_COLUMNS)
    items.freeze_panes = "A2"
    header(items, headers(ITEM_COLUMNS))
    for line in _item_rows(data, tz):
        items.append(row_of(items, line))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_report(data: ReportData, fmt: str, tz: tzinfo) -> bytes:
    return write_xlsx(data, tz) if fmt == "xlsx" else write_csv(data, tz)


def report_filename(period: Period, fmt: str) -> str:
    return f"bao-cao-gdnn-{period.slug}.{fmt}"
