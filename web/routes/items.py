"""One item: its text with the explaining words marked, its copies, its audit trail, and the decisions on it."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from gdnn_monitor.core.settings import get_settings
from gdnn_monitor.core.vocabulary import GENRES, THEMES
from store.models import Item, Source
from store.reviews import Decision, decide, history, last_undoable, undo_last
from web.deps import DB, AnyUser, Reviewer
from web.queue import QueueFilter, neighbour, syndicated_copies
from web.templating import explanation_phrases, flash, highlight
from web.user_errors import on_user_error_redirect

router = APIRouter()


def _load(session, item_id: int) -> Item:
    item = session.get(Item, item_id)
    if item is None:
        raise HTTPException(404, f"Không có tin/bài số {item_id}.")
    return item


def _filter_of(back: str) -> QueueFilter:
    return QueueFilter.from_query(dict(parse_qsl(back)))


def _item_url(item_id: int, back: str) -> str:
    return f"/items/{item_id}" + (f"?{urlencode({'back': back})}" if back else "")


@router.get("/items/{item_id}", name="item")
def item_view(request: Request, item_id: int, session: DB, user: AnyUser, back: str = "") -> Response:
    item = _load(session, item_id)
    tz = get_settings().tz
    chosen = _filter_of(back)
    phrases = explanation_phrases(item.explanation)
    source = session.get(Source, item.source_id)
    return request.app.state.templates.TemplateResponse(
        request,
        "item.html",
        {
            "item": item,
            "source": source,
            "phrases": phrases,
            "tone_phrases": explanation_phrases(item.tone_phrases),
            "body": highlight(item.text or item.summary or "", phrases),
            "summary": highlight(item.summary, phrases) if item.summary and item.text else None,
            "copies": syndicated_copies(session, item),
            "history": history(session, item.id),
            "can_undo": last_undoable(session, item.id) is not None,
            "genres": GENRES,
            "themes": THEMES,
            "back": back,
            "next_id": neighbour(session, chosen, item, tz, forward=True),
            "prev_id": neighbour(session, chosen, item, tz, forward=False),
        },
    )


@router.post("/items/{item_id}/decision", name="decide")
def item_decision(
    request: Request,
    item_id: int,
    session: DB,
    user: Reviewer,
    decision: Annotated[str, Form()],
    theme: Annotated[str, Form()] = "",
    genre: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
    stay: Annotated[str, Form()] = "",
) -> Response:
    item = _load(session, item_id)
    next_id = None if stay else neighbour(session, _filter_of(back), item, get_settings().tz)
    on_user_error_redirect(request, _item_url(item_id, back))
    decide(
        session,
        item_id,
        user.username,
        Decision(decision, theme=theme or None, genre=genre or None, note=note or None),
        themes=tuple(THEMES),
    )
    session.commit()
    labels = {"confirmed": "Đã xác nhận", "rejected": "Đã từ chối", "corrected": "Đã sửa"}
    flash(request, f"{labels[decision]}: tin/bài số {item_id}.", undo_item=item_id)
    return RedirectResponse(_item_url(next_id or item_id, back), status_code=303)


@router.post("/items/{item_id}/undo", name="undo")
def item_undo(
    request: Request, item_id: int, session: DB, user: Reviewer, back: Annotated[str, Form()] = ""
) -> Response:
    _load(session, item_id)
    on_user_error_redirect(request, _item_url(item_id, back))
    undo_last(session, item_id, user.username)
    session.commit()
    flash(request, f"Đã hoàn tác quyết định gần nhất trên tin/bài số {item_id}.")
    return RedirectResponse(_item_url(item_id, back), status_code=303)
