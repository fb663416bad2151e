"""Admin pages: yearly targets and accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from gdnn_monitor.core.errors import UserError
from gdnn_monitor.core.settings import get_settings
from gdnn_monitor.core.vocabulary import METRICS, ROLES
from store.reports import list_targets, set_target
from store.users import create_user, list_users, set_active
from web.deps import DB, Admin
from web.templating import flash
from web.user_errors import on_user_error_redirect

router = APIRouter(prefix="/admin")


@router.get("/targets", name="targets")
def targets_page(request: Request, session: DB, user: Admin) -> Response:
    return request.app.state.templates.TemplateResponse(
        request,
        "targets.html",
        {
            "targets": list_targets(session),
            "metrics": METRICS,
            "this_year": datetime.now(get_settings().tz).year,
        },
    )


@router.post("/targets")
def targets_set(
    request: Request,
    session: DB,
    user: Admin,
    year: Annotated[str, Form()] = "",
    metric: Annotated[str, Form()] = "",
    target: Annotated[str, Form()] = "",
) -> Response:
    on_user_error_redirect(request, "/admin/targets")
    if not year.strip().isdigit() or not target.strip().isdigit():
        raise UserError("Năm và chỉ tiêu phải là số nguyên không âm.")
    row = set_target(session, int(year), metric, int(target))
    session.commit()
    flash(request, f"Đã đặt chỉ tiêu {METRICS[row.metric]} năm {row.year}: {row.target}.")
    return RedirectResponse("/admin/targets", status_code=303)


@router.get("/users", name="users")
def users_page(request: Request, session: DB, user: Admin) -> Response:
    return request.app.state.templates.TemplateResponse(
        request,
        "users.html",
        {
            "users": list_users(session),
            "roles": ROLES,
        },
    )


@router.post("/users")
def users_add(
    request: Request,
    session: DB,
    user: Admin,
    username: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    on_user_error_redirect(request, "/admin/users")
    create_user(session, username.strip(), role, password)
    session.commit()
    flash(request, f"Đã tạo tài khoản {username.strip()}.")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{username}/active")
def users_toggle(
    request: Request, username: str, session: DB, user: Admin, active: Annotated[str, Form()] = ""
) -> Response:
    if username == user.username:
        flash(request, "Không thể tự khoá tài khoản của mình.", "error")
        return RedirectResponse("/admin/users", status_code=303)
    on_user_error_redirect(request, "/admin/users")
    set_active(session, username, active == "1")
    session.commit()
    flash(request, f"Đã {'mở' if active == '1' else 'khoá'} tài khoản {username}.")
    return RedirectResponse("/admin/users", status_code=303)
