"""The reports' streaming XLSX writer, read back by openpyxl as a spreadsheet program would read it: text stays text,
dates are dates, links are links, numbers keep their formats, and every row arrives in order."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook

from web.xlsx_stream import ROWS_PER_CHUNK, Workbook

FORMATS = ("dd/mm/yyyy", "0.0%", "#,##0")


def _book(fill) -> object:
    buffer = io.BytesIO()
    book = Workbook(buffer, FORMATS)
    fill(book)
    book.close()
    return load_workbook(io.BytesIO(buffer.getvalue()))


def test_text_comes_back_as_the_same_text_never_a_formula_and_without_control_characters():
    texts = ['=HYPERLINK("http://x","bấm")', "  Tin <b> & ảnh  ", "Trường A\x07 > B", "+84 912", "dòng 1\ndòng 2"]

    def fill(book):
        sheet = book.add_sheet("Danh sách", [20])
        for text in texts:
            sheet.append([text])

    cells = [row[0] for row in _book(fill)["Danh sách"].iter_rows()]
    assert [cell.value for cell in cells] == [
        '=HYPERLINK("http://x","bấm")',
        "  Tin <b> & ảnh  ",
        "Trường A > B",
        "+84 912",
        "dòng 1\ndòng 2",
    ]
    assert {cell.data_type for cell in cells} == {"s"}


def test_dates_links_numbers_and_shares_keep_their_cell_types_and_formats():
    def fill(book):
        sheet = book.add_sheet("Tổng hợp & danh sách", [12, 40, 10, 10, 10], freeze_header=True)
        sheet.header(["Ngày", "Đường dẫn", "Số", "Số lớn", "Đạt"])
        sheet.append([date(2024, 5, 9), "http://127.0.0.1/a?x=1&y=<2>", 7, 12_345, 0.06], link=1, share=4)

    book = _book(fill)
    sheet = book["Tổng hợp & danh sách"]
    header, row = list(sheet.iter_rows(max_row=2))
    assert all(cell.font.b and cell.alignment.wrap_text for cell in header)
    assert row[0].value == datetime(2024, 5, 9) and row[0].number_format == "dd/mm/yyyy"
    assert row[1].value == "http://127.0.0.1/a?x=1&y=<2>" and row[1].hyperlink.target == row[1].value
    assert row[2].value == 7 and row[2].number_format == "General"
    assert row[3].value == 12_345 and row[3].number_format == "#,##0"
    assert row[4].value == 0.06 and row[4].number_format == "0.0%"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 12 and sheet.column_dimensions["B"].width == 40


def test_every_row_of_a_long_sheet_arrives_in_order_after_the_first_sheet():
    count = ROWS_PER_CHUNK * 2 + 7

    def fill(book):
        book.add_sheet("Tổng hợp", [10]).append(["tóm tắt"])
        sheet = book.add_sheet("Danh sách", [10, 30])
        for number in range(count):
            sheet.append([number, f"http://127.0.0.1/{number}"], link=1)
            if number == 3:
                sheet.append([])

    book = _book(fill)
    assert book.sheetnames == ["Tổng hợp", "Danh sách"]
    rows = list(book["Danh sách"].iter_rows())
    assert len(rows) == count + 1 and rows[4][0].value is None
    numbers = [row[0].value for row in rows if row[0].value is not None]
    assert numbers == list(range(count))
    assert all(row[1].hyperlink.target == row[1].value for row in rows if row[1].value)
