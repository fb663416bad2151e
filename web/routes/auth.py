"""Log in and out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from web.deps import DB
from web.security import SESSION_USER, log_in, safe_next

router = APIRouter()


@router.get("/login", name="login")
def login_form(request: Request, next: str = "/") -> Response:
    if request.session.get(SESSION_USER):
        return RedirectResponse(safe_next(next), status_code=303)
    return request.app.state.templates.TemplateResponse(request, "login.html", {"next": safe_next(next),
                                                                                 "error": None})


@router.post("/login")
def login(request: Request, session: DB, username: Annotated[str, Form()] = "",
          password: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/") -> Response:
    from store.users import verify_login

    user = verify_login(session, username, password)
    if user is None:
        return request.app.state.templates.TemplateResponse(
            request, "login.html", {"next": safe_next(next), "error": "Sai tên đăng nhập hoặc mật khẩu."},
            status_code=401)
    session.commit()
    log_in(request, user)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout", name="logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
