"""CSV cells that a spreadsheet could read as a formula are neutralised, also after leading whitespace or a line
break and in full-width form, as OWASP's CSV-injection guidance says (issue 16 point 15)."""

from __future__ import annotations

import csv
import io

import pytest

from web.report_files import _csv_safe, _SafeWriter

DANGEROUS = [
    " =1+1",
    "  +cmd|' /C calc'!A0",
    "\n=HYPERLINK(\"http://x\")",
    "\t=1",
    "\r=1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
    ";=1",
    "\"=1+1\"",
    "|calc",
    "%0A=1",
    "\u00a0=1",
    "=1",
    "@SUM(A1)",
    "-2+3",
    "+1",
]
HARMLESS = ["Trường Cao đẳng nghề tuyển sinh 2024", "2024-05-01", "Tin 1 = 1 tin", "http://127.0.0.1/a", ""]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_cell_that_could_start_a_formula_gets_an_apostrophe(value):
    assert _csv_safe(value) == "'" + value


@pytest.mark.parametrize("value", HARMLESS)
def test_ordinary_text_is_left_as_it_is(value):
    assert _csv_safe(value) == value


def test_the_written_csv_never_has_a_cell_starting_with_a_formula_character():
    buffer = io.StringIO()
    _SafeWriter(buffer).writerows([[value, 7] for value in DANGEROUS])
    for row in csv.reader(io.StringIO(buffer.getvalue())):
        assert row[0].startswith("'") and row[1] == "7"
