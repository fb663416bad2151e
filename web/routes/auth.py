"""Log in and out."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from web.deps import DB
from web.security import SESSION_USER, log_in, safe_next
from web.throttle import LoginThrottle

router = APIRouter()


@router.get("/login", name="login")
def login_form(request: Request, next: str = "/") -> Response:
    if request.session.get(SESSION_USER):
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, next)


@router.post("/login")
def login(
    request: Request,
    session: DB,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    from store.users import verify_login

    throttle: LoginThrottle = request.app.state.login_throttle
    key = throttle.key(request.client.host if request.client else None, username)
    if (wait := throttle.seconds_locked(key)) > 0:
        return _login_page(
            request,
            next,
            f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {math.ceil(wait / 60)} phút. "
            "Quên mật khẩu thì nhờ quản trị viên đặt lại.",
            429,
        )
    user = verify_login(session, username, password)
    if user is None:
        throttle.failed(key)
        return _login_page(request, next, "Sai tên đăng nhập hoặc mật khẩu.", 401)
    throttle.succeeded(key)
    session.commit()
    log_in(request, user)
    return RedirectResponse(safe_next(next), status_code=303)


def _login_page(request: Request, next: str, error: str | None = None, status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, "login.html", {"next": safe_next(next), "error": error}, status_code=status
    )


@router.post("/logout", name="logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
