"""Parsing of the dates and months people type on the command line, with messages that show the expected form."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from gdnn_monitor.core.errors import EXIT_USAGE, UserError

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_VN_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# Years a report, a filter or a manual entry can be about; outside them a date is a typo (and 0001 or 9999 would
# overflow once shifted to UTC).
MIN_YEAR, MAX_YEAR = 1900, 2200


def check_year(year: int) -> int:
    """The year itself when it is in the supported range, else a clear error."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UserError(f"Năm {year} nằm ngoài khoảng hỗ trợ {MIN_YEAR}–{MAX_YEAR} (year out of range)", EXIT_USAGE)
    return year


def parse_month(text: str) -> tuple[int, int]:
    """'2024-05' -> (2024, 5); '5/2024' gets a message that shows the right form (only a real month is suggested)."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise UserError(
            f"Tháng không hợp lệ: {text!r}. Dùng dạng YYYY-MM (tháng 01–12), ví dụ 2024-05"
            f"{_month_hint(text)} (month must be YYYY-MM)",
            EXIT_USAGE,
        )
    return check_year(int(match.group(1))), int(match.group(2))


def _month_hint(text: str) -> str:
    """' — bạn muốn nói 2024-05?' for 5/2024, 05.2024 or 2024/5; nothing when no valid month can be read."""
    loose = re.match(r"^(\d{1,2})[/.-](\d{4})$", text.strip())
    year_first = re.match(r"^(\d{4})[/.](\d{1,2})$", text.strip())
    if loose:
        month, year = int(loose.group(1)), int(loose.group(2))
    elif year_first:
        year, month = int(year_first.group(1)), int(year_first.group(2))
    else:
        return ""
    return f" — bạn muốn nói {year:04d}-{month:02d}?" if 1 <= month <= 12 else ""


def parse_day(text: str) -> date:
    """'2024-05-01' or the Vietnamese '01/05/2024' (day first) -> date."""
    text = text.strip()
    day = None
    try:
        if match := _DAY.match(text):
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        elif match := _VN_DAY.match(text):
            day = date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        pass
    if day is not None:
        check_year(day.year)
        return day
    raise UserError(
        f"Ngày không hợp lệ: {text!r}. Dùng dạng DD/MM/YYYY (ngày trước, ví dụ 01/05/2024) hoặc "
        f"YYYY-MM-DD (2024-05-01) (date must be DD/MM/YYYY or YYYY-MM-DD)",
        EXIT_USAGE,
    )


def start_of_day(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def end_of_day(day: date, tz: tzinfo) -> datetime:
    """Exclusive upper bound: midnight of the next day, so '--until 2024-05-31' includes all of that day."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def month_bounds(year: int, month: int, tz: tzinfo) -> tuple[datetime, datetime]:
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, end


def year_bounds(year: int, tz: tzinfo) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
