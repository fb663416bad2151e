"""Manual entries: printed articles, broadcasts, posts, events and printed products that no crawler sees."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlmodel import select

from gdnn_monitor.core.errors import UserError
from gdnn_monitor.core.settings import get_settings
from gdnn_monitor.core.vocabulary import GENRES, MANUAL_CHANNELS, THEMES
from store.db import session_scope
from store.manual import MANUAL_SOURCE_ID, Attachment, ManualEntry, attachment_path, create_manual_entry
from store.models import Item
from web.deps import DB, AnyUser, Reviewer
from web.templating import flash
from web.user_errors import on_user_error_show

router = APIRouter()
# What the officer picks first; each preset fills in channel and genre (the form still lets them change both).
PRESETS = {
    "print": (GENRES["print"], "bao", "print"),
    "broadcast": ("Chương trình phát thanh / truyền hình", "phat_thanh_truyen_hinh", "broadcast"),
    "post": ("Bài đăng Facebook / Zalo", "mang_xa_hoi", "post"),
    "event": ("Sự kiện (ngày hội tư vấn, hội thi…)", "su_kien", "event"),
    "product": ("Sản phẩm truyền thông (tờ rơi, áp phích, video)", "an_pham", "product"),
}


def _recent(session) -> list[Item]:
    query = select(Item).where(Item.source_id == MANUAL_SOURCE_ID).order_by(Item.id.desc()).limit(30)
    return list(session.exec(query))


def _render(request: Request, session, values: dict, error: str | None = None, status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(
        request,
        "manual.html",
        {
            "presets": PRESETS,
            "channels": MANUAL_CHANNELS,
            "genres": GENRES,
            "themes": THEMES,
            "values": values,
            "error": error,
            "recent": _recent(session),
        },
        status_code=status,
    )


def _render_fresh(request: Request, values: dict, error: str, status: int) -> Response:
    """The form again after a refused entry, read in a session of its own (the request's one was rolled back)."""
    with session_scope() as session:
        return _render(request, session, values, error=error, status=status)


@router.get("/manual", name="manual")
def manual_form(request: Request, session: DB, user: AnyUser) -> Response:
    today = datetime.now(get_settings().tz).date().isoformat()
    return _render(request, session, {"day": today, "quantity": "1", "channel": "bao", "genre": "print"})


@router.post("/manual")
def manual_create(
    request: Request,
    session: DB,
    user: Reviewer,
    title: Annotated[str, Form()] = "",
    day: Annotated[str, Form()] = "",
    channel: Annotated[str, Form()] = "",
    genre: Annotated[str, Form()] = "",
    quantity: Annotated[str, Form()] = "1",
    link: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    theme: Annotated[str, Form()] = "",
    attachment: Annotated[UploadFile | None, File()] = None,
) -> Response:
    values = {
        "title": title,
        "day": day,
        "channel": channel,
        "genre": genre,
        "quantity": quantity,
        "link": link,
        "note": note,
        "theme": theme,
    }
    on_user_error_show(request, lambda message: _render_fresh(request, values, error=message, status=400))
    entry = ManualEntry(
        title=title,
        day=_parse_day(day),
        channel=channel,
        genre=genre,
        quantity=_parse_quantity(quantity),
        link=link or None,
        note=note or None,
        theme=theme if theme in THEMES else None,
    )
    upload = Attachment(attachment.filename, attachment.file) if attachment and attachment.filename else None
    item = create_manual_entry(session, user.username, entry, upload)
    session.commit()
    flash(request, f"Đã lưu mục nhập tay số {item.id}: {item.title}", undo_item=item.id)
    return RedirectResponse("/manual", status_code=303)


def _parse_day(text: str) -> date:
    from gdnn_monitor.core.dates import parse_day

    return parse_day(text)


def _parse_quantity(text: str) -> int:
    try:
        return int(text.strip().replace(".", "").replace(",", ""))
    except ValueError as exc:
        raise UserError(f"Số lượng phải là số nguyên (got {text!r})") from exc


@router.get("/attachments/{name}", name="attachment")
def attachment(name: str, user: AnyUser) -> Response:
    path = attachment_path(name)
    if path is None:
        raise HTTPException(404, "Không tìm thấy tệp đính kèm.")
    return FileResponse(path, filename=name.split("-", 1)[-1], content_disposition_type="attachment")
