"""Parsing of the dates and months people type on the command line, with messages that show the expected form."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from gdnn_monitor.core.errors import EXIT_USAGE, UserError

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_VN_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_month(text: str) -> tuple[int, int]:
    """'2024-05' -> (2024, 5); '5/2024' gets a message that shows the right form."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        loose = re.match(r"^(\d{1,2})[/.-](\d{4})$", text.strip())
        hint = f" — bạn muốn nói {int(loose.group(2)):04d}-{int(loose.group(1)):02d}?" if loose else ""
        raise UserError(
            f"Tháng không hợp lệ: {text!r}. Dùng dạng YYYY-MM, ví dụ 2024-05{hint} (month must be YYYY-MM)", EXIT_USAGE
        )
    return int(match.group(1)), int(match.group(2))


def parse_day(text: str) -> date:
    """'2024-05-01' (or the Vietnamese '01/05/2024') -> date."""
    text = text.strip()
    try:
        if match := _DAY.match(text):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match := _VN_DAY.match(text):
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        pass
    raise UserError(
        f"Ngày không hợp lệ: {text!r}. Dùng dạng YYYY-MM-DD, ví dụ 2024-05-01 (date must be YYYY-MM-DD)", EXIT_USAGE
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
