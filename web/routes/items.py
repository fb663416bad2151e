"""One item: its text with the explaining words marked, its copies, its audit trail, and the decisions on it."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from gdnn_monitor.core.errors import UserError
from gdnn_monitor.core.settings import get_settings
from gdnn_monitor.core.vocabulary import GENRES, REVIEW_ACTIONS, THEMES
from store.models import Item, Review, Source
from store.reports import ACTIVITY_GROUP_LABELS
from store.reviews import Decision, decide, history, last_undoable, may_undo, undo_last
from web.deps import DB, AnyUser, Reviewer
from web.queue import QueueFilter, neighbour, syndicated_copies
from web.templating import explanation_phrases, flash, highlight
from web.user_errors import on_user_error_redirect

router = APIRouter()


MAX_ITEM_ID = 2**63 - 1  # the largest id a database integer can hold; a larger number is no item at all


def _load(session, item_id: int) -> Item:
    item = session.get(Item, item_id) if 1 <= item_id <= MAX_ITEM_ID else None
    if item is None:
        raise HTTPException(404, f"Không có tin/bài số {str(item_id)[:30]}.")
    return item


def _filter_of(back: str) -> QueueFilter:
    return QueueFilter.from_query(dict(parse_qsl(back)))


def _version(text: str) -> int | None:
    """The item's review version the officer's page showed (absent from old pages and the flash undo button)."""
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


def _item_url(item_id: int, back: str) -> str:
    return f"/items/{item_id}" + (f"?{urlencode({'back': back})}" if back else "")


def _undone(session, item_id: int) -> dict[int, Review]:
    """The decisions of the item by id, so the history can say in words what each undo took back."""
    return {entry.id: entry for entry in history(session, item_id)}


@router.get("/items/{item_id}", name="item")
def item_view(request: Request, item_id: int, session: DB, user: AnyUser, back: str = "") -> Response:
    item = _load(session, item_id)
    phrases = explanation_phrases(item.explanation)
    source = session.get(Source, item.source_id)
    undoable = last_undoable(session, item.id)
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
            "undoable": undoable,
            "can_undo": undoable is not None and may_undo(undoable, user.username, user.is_admin),
            "genres": GENRES,
            "themes": THEMES,
            "groups": ACTIVITY_GROUP_LABELS,
            "undone": _undone(session, item.id),
            "back": back,
        },
    )


@router.get("/items/{item_id}/next", name="item_next")
@router.get("/items/{item_id}/prev", name="item_prev")
def item_step(request: Request, item_id: int, session: DB, user: AnyUser, back: str = "") -> Response:
    """The item after (or before) this one in the queue order, looked up only when the officer asks for it: two
    ordered queries on every item page were most of its cost under load (issue 16 point 8)."""
    item = _load(session, item_id)
    forward = request.url.path.endswith("/next")
    target = neighbour(session, _filter_of(back), item, get_settings().tz, forward=forward)
    if target is None:
        flash(request, "Đây là tin cuối cùng của hàng đợi." if forward else "Đây là tin đầu tiên của hàng đợi.")
        return RedirectResponse(_item_url(item_id, back), status_code=303)
    return RedirectResponse(_item_url(target, back), status_code=303)


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
    activity_group: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
    stay: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
) -> Response:
    item = _load(session, item_id)
    next_id = None if stay else neighbour(session, _filter_of(back), item, get_settings().tz)
    on_user_error_redirect(request, _item_url(item_id, back))
    decide(
        session,
        item_id,
        user.username,
        Decision(
            decision,
            theme=theme or None,
            genre=genre or None,
            note=note or None,
            activity_group=_group(activity_group),
        ),
        themes=tuple(THEMES),
        expected_version=_version(version),
    )
    session.commit()
    labels = {"confirmed": "Đã xác nhận", "rejected": "Đã từ chối", "corrected": "Đã sửa"}
    flash(
        request,
        f"{labels[decision]}: tin/bài số {item_id}.",
        undo_item=item_id,
        undo_version=session.get(Item, item_id).review_version,
    )
    return RedirectResponse(_item_url(next_id or item_id, back), status_code=303)


def _group(text: str) -> int | None:
    """The activity group chosen in the form: '' keeps the current one; anything else must be 1..8."""
    if not text.strip():
        return None
    if not re.fullmatch(r"[0-9]{1,2}", text.strip()):
        raise UserError(f"Nhóm hoạt động không hợp lệ: {text[:20]!r} (từ 1 đến 8)")
    return int(text)


@router.post("/items/{item_id}/undo", name="undo")
def item_undo(
    request: Request,
    item_id: int,
    session: DB,
    user: Reviewer,
    back: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
) -> Response:
    _load(session, item_id)
    on_user_error_redirect(request, _item_url(item_id, back))
    undone = undo_last(session, item_id, user.username, is_admin=user.is_admin, expected_version=_version(version))
    session.commit()
    target = session.get(Review, undone.undoes_id)
    flash(
        request,
        f"Đã hoàn tác quyết định “{REVIEW_ACTIONS.get(target.decision, target.decision)}” của {target.user} "
        f"trên tin/bài số {item_id}.",
    )
    return RedirectResponse(_item_url(item_id, back), status_code=303)
