"""The review queue page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import select

from gdnn_monitor.core.settings import get_settings
from gdnn_monitor.core.vocabulary import KINDS, THEMES
from store.models import Source
from web.deps import DB, AnyUser
from web.queue import PAGE_SIZE, STATUSES, TONES, QueueFilter, queue_page

router = APIRouter()


@router.get("/queue", name="queue")
def queue(request: Request, session: DB, user: AnyUser) -> Response:
    chosen = QueueFilter.from_query(request.query_params)
    rows, total = queue_page(session, chosen, get_settings().tz)
    sources = list(session.exec(select(Source.id, Source.name).order_by(Source.name)))
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return request.app.state.templates.TemplateResponse(
        request,
        "queue.html",
        {
            "rows": rows,
            "total": total,
            "chosen": chosen,
            "pages": pages,
            "sources": sources,
            "source_names": dict(sources),
            "statuses": STATUSES,
            "kinds": {kind: entry.label for kind, entry in KINDS.items()},
            "themes": THEMES,
            "tones": TONES,
            "filter_query": request.url.query,
        },
    )
