"""Log in and out."""

from __future__ import annotations

import math
import os
from typing import Annotated

import anyio
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from web.deps import DB
from web.security import SESSION_USER, log_in, safe_next
from web.throttle import MAX_USERNAME_CHARS, LoginThrottle

MAX_PASSWORD_CHARS = 1024  # argon2 hashes any length; a megabyte password is only a way to burn CPU

router = APIRouter()


@router.get("/login", name="login")
def login_form(request: Request, next: str = "/") -> Response:
    if request.session.get(SESSION_USER):
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, next)


# argon2 takes ~64 MB and a core per check: at most this many at once, waiting without holding a worker thread, so a
# flood of wrong passwords can neither exhaust memory nor the threads every other page needs.
PASSWORD_CHECKS = anyio.CapacityLimiter(max(os.cpu_count() or 1, 1))


def _verify(username: str, password: str):
    from store.db import session_scope
    from store.users import verify_login

    with session_scope() as session:
        return verify_login(session, username, password)


@router.post("/login")
async def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
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
    plausible = 0 < len(username.strip()) <= MAX_USERNAME_CHARS and len(password) <= MAX_PASSWORD_CHARS
    user = await anyio.to_thread.run_sync(_verify, username, password, limiter=PASSWORD_CHECKS) if plausible else None
    if user is None:
        await anyio.to_thread.run_sync(throttle.failed, key)  # may write a lock to the database
        return _login_page(request, next, "Sai tên đăng nhập hoặc mật khẩu.", 401)
    throttle.succeeded(key)
    log_in(request, user)
    return RedirectResponse(safe_next(next), status_code=303)


def _login_page(request: Request, next: str, error: str | None = None, status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, "login.html", {"next": safe_next(next), "error": error}, status_code=status
    )


@router.post("/logout", name="logout")
def logout(request: Request, session: DB) -> Response:
    """Ends every session of the account, not only this cookie: a copy of the cookie saved earlier stops working."""
    from gdnn_monitor.core.errors import UserError
    from store.users import end_sessions_of

    username = request.session.get(SESSION_USER)
    if username:
        try:
            end_sessions_of(session, username)
            session.commit()
        except UserError:
            session.rollback()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
