"""The report page: the report on screen (same numbers as the files) and the CSV/XLSX download (the same files
`gdnn-monitor report` writes), for all sources or a chosen few."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlmodel import select

from gdnn_monitor.core.dates import check_year, parse_month
from gdnn_monitor.core.errors import UserError
from gdnn_monitor.core.settings import get_settings
from store.db import session_scope
from store.models import Source
from store.reports import counting_rule_text
from web.deps import DB, AnyUser
from web.report_files import (
    FORMATS,
    Period,
    build_report,
    group_table,
    metric_table,
    render_report,
    report_filename,
    sources_text,
    summary_table,
    theme_table,
    waiting_text,
)
from web.user_errors import on_user_error_show

router = APIRouter()
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
Sources = Annotated[list[str] | None, Query(alias="source")]


def _source_choices() -> list[tuple[str, str]]:
    """Read in a session of its own: the page is also the answer to an error, after the request's session ended."""
    with session_scope() as session:
        return [(row.id, row.name) for row in session.exec(select(Source.id, Source.name).order_by(Source.name))]


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
            "sources": _source_choices(),
        },
        status_code=400 if error else 200,
    )


@router.get("/reports/view", name="report_view")
def report_view(
    request: Request, session: DB, user: AnyUser, month: str = "", year: str = "", source: Sources = None
) -> Response:
    """The report on screen: the officer checks the numbers (and the waiting queue) before downloading the file."""
    settings = get_settings()
    on_user_error_show(request, lambda message: reports_page(request, user, error=message))
    data = build_report(session, _period(month, year), settings.count_syndicated, settings.tz, source)
    return request.app.state.templates.TemplateResponse(
        request,
        "report_view.html",
        {
            "data": data,
            "metrics": metric_table(data),
            "channels": summary_table(data),
            "groups": group_table(data),
            "themes": theme_table(data),
            "scope": sources_text(data),
            "waiting": waiting_text(data),
            "rule": counting_rule_text(data.rule),
            "query": urlencode({"month": month, "year": year, "source": source or []}, doseq=True),
        },
    )


@router.get("/reports/download", name="report_download")
def download(
    request: Request,
    session: DB,
    user: AnyUser,
    month: str = "",
    year: str = "",
    format: str = "xlsx",
    source: Sources = None,
) -> Response:
    settings = get_settings()
    on_user_error_show(request, lambda message: reports_page(request, user, error=message))
    period = _period(month, year)
    fmt = format if format in FORMATS else "xlsx"
    data = build_report(session, period, settings.count_syndicated, settings.tz, source)
    name = report_filename(period, fmt)
    return Response(
        render_report(data, fmt, settings.tz),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"},
    )


def _period(month: str, year: str) -> Period:
    if month.strip():
        return Period(*parse_month(month))
    if re.fullmatch(r"[0-9]{4}", year.strip()):  # not str.isdigit(): it accepts '²', which int() refuses
        return Period(check_year(int(year)))
    raise UserError("Chọn một tháng (YYYY-MM) hoặc một năm (YYYY) (choose a month or a year)")
