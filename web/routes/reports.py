"""The report page and the CSV/XLSX download (the same files `gdnn-monitor report` writes)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from gdnn_monitor.core.dates import parse_month
from gdnn_monitor.core.errors import UserError
from gdnn_monitor.core.settings import get_settings
from store.reports import counting_rule_text
from web.deps import DB, AnyUser
from web.report_files import FORMATS, Period, build_report, render_report, report_filename
from web.user_errors import on_user_error_show

router = APIRouter()
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@router.get("/reports", name="reports")
def reports_page(request: Request, user: AnyUser, error: str | None = None) -> Response:
    settings = get_settings()
    now = datetime.now(settings.tz)
    return request.app.state.templates.TemplateResponse(
        request,
        "reports.html",
        {
            "this_month": f"{now.year}-{now.month:02d}",
            "this_year": now.year,
            "formats": FORMATS,
            "rule": counting_rule_text(settings.count_syndicated),
            "error": error,
        },
        status_code=400 if error else 200,
    )


@router.get("/reports/download", name="report_download")
def download(
    request: Request, session: DB, user: AnyUser, month: str = "", year: str = "", format: str = "xlsx"
) -> Response:
    settings = get_settings()
    on_user_error_show(request, lambda message: reports_page(request, user, error=message))
    period = _period(month, year)
    fmt = format if format in FORMATS else "xlsx"
    data = build_report(session, period, settings.count_syndicated, settings.tz)
    name = report_filename(period, fmt)
    return Response(
        render_report(data, fmt, settings.tz),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"},
    )


def _period(month: str, year: str) -> Period:
    if month.strip():
        return Period(*parse_month(month))
    if year.strip().isdigit() and 2000 <= int(year) <= 2100:
        return Period(int(year))
    raise UserError("Chọn một tháng (YYYY-MM) hoặc một năm (YYYY) (choose a month or a year)")
