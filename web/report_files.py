"""The monthly/annual report as a file: XLSX (a summary sheet and a list of every counted item) or CSV.

Used by `gdnn-monitor report` and by the download in the web app, so both give the same numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlmodel import Session

from gdnn_monitor.core.dates import month_bounds, year_bounds
from store.reports import (CHANNEL_LABELS, GENRE_LABELS, METRICS, THEME_LABELS, CountedRow, Summary,
                           counted_rows, counting_rule_text, ordered_channel_genre, summarise)

FORMATS = ("xlsx", "csv")
SUMMARY_HEADER = ["Kênh (channel)", "Thể loại (genre)", "Lượt đăng (placements)",
                  "Tính vào chỉ tiêu (counted)", "Câu chuyện duy nhất (unique stories)"]
ITEM_HEADER = ["Ngày (date)", "Nguồn (source)", "Tiêu đề (title)", "Đường dẫn (link)", "Kênh (channel)",
               "Thể loại (genre)", "Chủ đề (theme)", "Số lượng (quantity)", "Người duyệt (reviewed by)",
               "Tính vào tổng (in total)", "Mã câu chuyện (story)"]
AUTO_ACCEPTED = "tự động (mô hình)"


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
    rows = [[CHANNEL_LABELS.get(channel, channel), GENRE_LABELS.get(genre, genre), tally.placements, tally.counted,
             tally.unique_stories] for channel, genre, tally in ordered_channel_genre(data.summary)]
    total = data.summary.total
    rows.append(["Tổng cộng (total)", "", total.placements, total.counted, total.unique_stories])
    return rows


def _metric_rows(data: ReportData) -> list[list]:
    return [[label, data.summary.by_metric[metric].counted if metric in data.summary.by_metric else 0]
            for metric, label in METRICS.items()]


def _item_rows(data: ReportData, tz: tzinfo) -> list[list]:
    return [[row.when.astimezone(tz).strftime("%d/%m/%Y"), row.source_name, row.title,
             "" if row.url.startswith("manual:") else row.url, CHANNEL_LABELS.get(row.channel, row.channel),
             GENRE_LABELS.get(row.genre, row.genre), THEME_LABELS.get(row.theme, ""), row.quantity,
             row.reviewed_by or AUTO_ACCEPTED, "có" if row.in_total else "không (bản đăng lại)",
             "" if row.story.startswith("item-") else row.story] for row in data.rows]


def _heading(data: ReportData) -> list[list]:
    return [[f"Báo cáo kết quả truyền thông về giáo dục nghề nghiệp — {data.period.title}"],
            [f"Quy tắc đếm (counting rule): {counting_rule_text(data.rule)}"],
            []]


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
    writer.writerows([["Chỉ tiêu (metric)", "Kết quả (counted)"], *_metric_rows(data), []])
    writer.writerows([SUMMARY_HEADER, *_summary_rows(data), []])
    writer.writerows([ITEM_HEADER, *_item_rows(data, tz)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(data: ReportData, tz: tzinfo) -> bytes:
    """Two sheets, written in openpyxl's streaming mode so a year of items stays fast and small in memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

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

    def header(sheet, values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cells.append(cell)
        sheet.append(cells)

    summary = book.create_sheet("Tổng hợp")
    for width, letter in zip((38, 44, 16, 18, 20), "ABCDE"):
        summary.column_dimensions[letter].width = width
    for line in _heading(data):
        summary.append(row_of(summary, line))
    header(summary, ["Chỉ tiêu (metric)", "Kết quả (counted)"])
    for line in _metric_rows(data):
        summary.append(row_of(summary, line))
    summary.append([])
    header(summary, SUMMARY_HEADER)
    for line in _summary_rows(data):
        summary.append(row_of(summary, line))

    items = book.create_sheet("Danh sách")
    for width, letter in zip((12, 28, 60, 40, 22, 22, 22, 10, 18, 18, 18), "ABCDEFGHIJK"):
        items.column_dimensions[letter].width = width
    items.freeze_panes = "A2"
    header(items, ITEM_HEADER)
    for line in _item_rows(data, tz):
        items.append(row_of(items, line))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_report(data: ReportData, fmt: str, tz: tzinfo) -> bytes:
    return write_xlsx(data, tz) if fmt == "xlsx" else write_csv(data, tz)


def report_filename(period: Period, fmt: str) -> str:
    return f"bao-cao-gdnn-{period.slug}.{fmt}"
