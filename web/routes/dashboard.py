"""The home page: progress toward the year's targets, counts by month, channel, genre and theme, source health."""

from __future__ import annotations

import time
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func
from sqlmodel import select

from gdnn_monitor.core.dates import year_bounds
from gdnn_monitor.core.settings import get_settings
from gdnn_monitor.core.vocabulary import CHANNELS, GENRES, NO_THEME, THEMES
from store.models import Item
from store.reports import period_summary, progress
from web.charts import bar_chart, column_chart
from web.deps import DB, AnyUser

router = APIRouter()
HEALTH_TTL = 60.0
STATUS_ORDER = {"down": 0, "failing": 1, "new": 2, "ok": 3, "off": 4}
_health_cache: dict[str, tuple[float, list]] = {}


def _source_health() -> tuple[list, str | None]:
    """Source health changes only when a crawl runs; reading the sources file once a minute is plenty."""
    from gdnn_monitor.pipeline.health import source_health
    from store.registry import SourcesFileError

    settings = get_settings()
    key = f"{settings.sources}|{settings.database_url}"
    cached = _health_cache.get(key)
    if cached and time.monotonic() - cached[0] < HEALTH_TTL:
        return cached[1], None
    try:
        health = source_health(show_all=False)
    except SourcesFileError as exc:
        return [], str(exc)
    _health_cache[key] = (time.monotonic(), health)
    return health, None


def _labelled(tallies: dict, labels: dict, extra: dict | None = None) -> list[tuple[str, int]]:
    names = {**labels, **(extra or {})}
    ordered = [key for key in names if key in tallies] + sorted(k for k in tallies if k not in names)
    return [(names.get(key, key), tallies[key].units) for key in ordered]


@router.get("/", name="dashboard")
def dashboard(request: Request, session: DB, user: AnyUser, year: int | None = None) -> Response:
    settings = get_settings()
    tz = settings.tz
    year = year if year and 2000 <= year <= 2100 else datetime.now(tz).year
    summary = period_summary(session, *year_bounds(year, tz), settings.count_syndicated, tz)
    pending = session.exec(
        select(func.count()).select_from(Item).where(Item.review.is_(None), Item.zone == "review")
    ).one()
    health, health_error = _source_health()
    health = sorted(health, key=lambda entry: STATUS_ORDER.get(entry.status, 9))
    charts = {
        "month": column_chart(
            [(f"T{m}", summary.by_month[m].units if m in summary.by_month else 0) for m in range(1, 13)],
            f"Số mục được tính theo tháng năm {year}",
        ),
        "channel": bar_chart(_labelled(summary.by_channel, CHANNELS), "Theo kênh"),
        "genre": bar_chart(_labelled(summary.by_genre, GENRES), "Theo thể loại"),
        "theme": bar_chart(_labelled(summary.by_theme, THEMES, {NO_THEME: "Chưa rõ chủ đề"}), "Theo chủ đề"),
    }
    return request.app.state.templates.TemplateResponse(
        request,
        "dashboard.html",
        {
            "year": year,
            "summary": summary,
            "progress": progress(session, year, summary),
            "charts": charts,
            "pending": pending,
            "health": health,
            "health_error": health_error,
        },
    )
