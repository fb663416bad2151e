"""A small streaming XLSX writer for the reports: rows go straight into the zipped sheet XML as text.

A month's report at 5 million items lists ~50,000 rows; openpyxl (and XlsxWriter) spend tens of microseconds per cell
in Python, far too slow on a busy 2-core server, while building each row as one string costs a few. It writes only
what the reports use: strings (always text, never formulas), numbers, dates (shown dd/mm/yyyy), percentages,
clickable links, bold wrapped headers, column widths and a frozen header row.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from datetime import date
from typing import IO
from xml.sax.saxutils import quoteattr

# Control characters an XLSX cell cannot hold (tab, line feed and carriage return it can): dropped from the text.
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010\013\014\016-\037\ufffe\uffff]")
EXCEL_EPOCH = date(1899, 12, 30).toordinal()  # day 0 of Excel's 1900 date system, for dates after March 1900
NEEDS_ESCAPING = re.compile(r"[\000-\010\013\014\016-\037\ufffe\uffff&<>]")  # one check per cell; most need none
INLINE_TEXT = '<t xml:space="preserve">'  # keeps a cell's leading and trailing spaces
ROWS_PER_CHUNK = 2_000  # rows joined before each write into the zip stream

# Cell styles, by their index in _styles_xml's cellXfs.
PLAIN, DATE, PERCENT, NUMBER, HEADER, LINK = range(6)
STYLE_ATTRIBUTE = ["", *(f' s="{style}"' for style in range(1, 6))]

NAMESPACE = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELATIONSHIP_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _styles_xml(date_format: str, percent_format: str, number_format: str) -> str:
    return (
        f'{XML_DECLARATION}<styleSheet {NAMESPACE}>'
        f'<numFmts count="3"><numFmt numFmtId="164" formatCode={quoteattr(date_format)}/>'
        f'<numFmt numFmtId="165" formatCode={quoteattr(percent_format)}/>'
        f'<numFmt numFmtId="166" formatCode={quoteattr(number_format)}/></numFmts>'
        '<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><u/><sz val="11"/><color theme="10"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '<xf numFmtId="0" fontId="2" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
        '<alignment vertical="top" wrapText="1"/></xf>'
        '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="1" applyFont="1"/></cellXfs>'
        '<cellStyles count="2"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        '<cellStyle name="Hyperlink" xfId="1" builtinId="8"/></cellStyles></styleSheet>'
    )


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _clean(value: str) -> str:
    return ILLEGAL_CHARACTERS.sub("", value) if ILLEGAL_CHARACTERS.search(value) else value


def _text(value: str) -> str:
    """Cell text: illegal characters dropped, XML's special characters escaped (checked first: most text has none)."""
    value = _clean(value)
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


class Sheet:
    """One worksheet: its rows are written into the open zip entry as they come, in chunks."""

    def __init__(self, stream: IO[bytes], widths: list[int], freeze_header: bool) -> None:
        self.stream = stream
        self.letters = [column_letter(index) for index in range(max(len(widths), 1))]
        self.number = 0  # the last row written, 1-based
        self.links: list[tuple[str, str]] = []  # (cell reference, target)
        self.pending: list[str] = []
        view = (
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            if freeze_header
            else '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        )
        columns = "".join(
            f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>'
            for index, width in enumerate(widths, 1)
        )
        self._write(
            f'{XML_DECLARATION}<worksheet {NAMESPACE} '
            f'xmlns:r="{RELATIONSHIPS}">{view}<sheetFormatPr defaultRowHeight="15"/>'
            f"{f'<cols>{columns}</cols>' if columns else ''}<sheetData>"
        )

    def _reference(self, index: int, row: str) -> str:
        letter = self.letters[index] if index < len(self.letters) else column_letter(index)
        return letter + row

    def _write(self, text: str) -> None:
        self.stream.write(text.encode("utf-8"))

    def append(self, values: Iterable, link: int | None = None, share: int | None = None, style: int = PLAIN) -> None:
        """One row: a str is text, an int/float a number (grouped digits from 1,000), a date a date; `link` is the
        column whose text is also a hyperlink, `share` the column whose fraction is shown as a percentage."""
        self.number += 1
        row = str(self.number)
        cells = []
        previous = -1
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            # A cell right after the previous one needs no reference (readers count on); one after a gap does.
            place = "" if index == previous + 1 else f' r="{self._reference(index, row)}"'
            previous = index
            if isinstance(value, str):
                text = _text(value) if NEEDS_ESCAPING.search(value) else value
                cell_style = style
                if index == link:
                    self.links.append((self._reference(index, row), value))
                    cell_style = LINK
                styled = STYLE_ATTRIBUTE[cell_style]
                cells.append(f'<c{place}{styled} t="inlineStr"><is>{INLINE_TEXT}{text}</t></is></c>')
            elif isinstance(value, bool):
                cells.append(f'<c{place} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, date):
                cells.append(f'<c{place}{STYLE_ATTRIBUTE[DATE]}><v>{value.toordinal() - EXCEL_EPOCH}</v></c>')
            elif isinstance(value, int):
                styled = STYLE_ATTRIBUTE[NUMBER] if abs(value) >= 1000 else ""  # small numbers need no digit groups
                cells.append(f'<c{place}{styled}><v>{value}</v></c>')
            elif index == share and isinstance(value, float):
                cells.append(f'<c{place}{STYLE_ATTRIBUTE[PERCENT]}><v>{value!r}</v></c>')
            else:
                cells.append(f'<c{place}><v>{value!r}</v></c>')
        self.pending.append(f'<row r="{row}">{"".join(cells)}</row>' if cells else f'<row r="{row}"/>')
        if len(self.pending) >= ROWS_PER_CHUNK:
            self.flush()

    def header(self, values: list[str]) -> None:
        self.append(values, style=HEADER)

    def flush(self) -> None:
        self._write("".join(self.pending))
        self.pending = []

    def close(self) -> None:
        self.flush()
        links = "".join(
            f'<hyperlink ref="{reference}" r:id="rId{number}"/>' for number, (reference, _) in enumerate(self.links, 1)
        )
        self._write(f"</sheetData>{f'<hyperlinks>{links}</hyperlinks>' if links else ''}</worksheet>")

    def relationships(self) -> str:
        entries = "".join(
            f'<Relationship Id="rId{number}" Type="{RELATIONSHIPS}/hyperlink" Target={quoteattr(_clean(target))} '
            'TargetMode="External"/>'
            for number, (_, target) in enumerate(self.links, 1)
        )
        return f'{XML_DECLARATION}<Relationships xmlns="{RELATIONSHIP_PACKAGE}">{entries}</Relationships>'


class Workbook:
    """Sheets are written one after the other (each streamed into the zip): open one, fill it, then the next."""

    def __init__(self, target: IO[bytes], number_formats: tuple[str, str, str]) -> None:
        self.zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.names: list[str] = []
        self.number_formats = number_formats
        self.current: tuple[Sheet, IO[bytes]] | None = None

    def add_sheet(self, name: str, widths: list[int], freeze_header: bool = False) -> Sheet:
        self._finish_sheet()
        self.names.append(name)
        stream = self.zip.open(f"xl/worksheets/sheet{len(self.names)}.xml", "w", force_zip64=True)
        sheet = Sheet(stream, widths, freeze_header)
        self.current = (sheet, stream)
        return sheet

    def _finish_sheet(self) -> None:
        if self.current is None:
            return
        sheet, stream = self.current
        sheet.close()
        stream.close()
        if sheet.links:
            self.zip.writestr(f"xl/worksheets/_rels/sheet{len(self.names)}.xml.rels", sheet.relationships())
        self.current = None

    def close(self) -> None:
        self._finish_sheet()
        count = len(self.names)
        self.zip.writestr("[Content_Types].xml", self._content_types(count))
        self.zip.writestr(
            "_rels/.rels",
            f'{XML_DECLARATION}<Relationships xmlns="{RELATIONSHIP_PACKAGE}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        self.zip.writestr(
            "xl/workbook.xml",
            f'{XML_DECLARATION}<workbook {NAMESPACE} xmlns:r="{RELATIONSHIPS}">'
            "<bookViews><workbookView/></bookViews><sheets>"
            + "".join(
                f'<sheet name={quoteattr(_clean(name))} sheetId="{number}" r:id="rId{number}"/>'
                for number, name in enumerate(self.names, 1)
            )
            + "</sheets></workbook>",
        )
        self.zip.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{XML_DECLARATION}<Relationships xmlns="{RELATIONSHIP_PACKAGE}">'
            + "".join(
                f'<Relationship Id="rId{number}" Type="{RELATIONSHIPS}/worksheet" '
                f'Target="worksheets/sheet{number}.xml"/>'
                for number in range(1, count + 1)
            )
            + f'<Relationship Id="rId{count + 1}" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/></Relationships>',
        )
        self.zip.writestr("xl/styles.xml", _styles_xml(*self.number_formats))
        self.zip.close()

    @staticmethod
    def _content_types(count: int) -> str:
        main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{number}.xml" ContentType="{main}.worksheet+xml"/>'
            for number in range(1, count + 1)
        )
        return (
            XML_DECLARATION + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{main}.sheet.main+xml"/>{sheets}'
            f'<Override PartName="/xl/styles.xml" ContentType="{main}.styles+xml"/></Types>'
        )
