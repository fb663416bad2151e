"""Numbers, percentages and dates written the Vietnamese way (10.000.000; 28,0 %; 30/11/2026), in one place, so the
web app, the CLI and the report files never mix "1.000" with "10,000,000"."""

from __future__ import annotations

from datetime import date, datetime


def number(value: int | float | None) -> str:
    """Whole number with '.' between thousands: 10.000.000 (None: a dash)."""
    if value is None:
        return "—"
    return f"{value:,.0f}".replace(",", ".")


def decimal(value: float | None, places: int = 1) -> str:
    """A decimal number with ',' before the decimals and '.' between thousands: 1.234,5."""
    if value is None:
        return "—"
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent(value: float | None, places: int = 1) -> str:
    """A percentage already multiplied by 100: 28,0 % (a space before the sign, as Vietnamese typesetting has it)."""
    if value is None:
        return "—"
    return f"{decimal(value, places)} %"


def day(value: date | datetime | None) -> str:
    """dd/mm/yyyy."""
    return value.strftime("%d/%m/%Y") if value else "—"


XLSX_DATE_FORMAT = "dd/mm/yyyy"
XLSX_PERCENT_FORMAT = "0.0%"
XLSX_NUMBER_FORMAT = "#,##0"
