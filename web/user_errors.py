"""The web app's one answer to a user's mistake (a `UserError` raised by a route or the store): nothing of the request
is saved (the request's database session rolls back as the error leaves it), and the officer sees why — as a message
on the page the route names, or on the form they filled in, kept as typed."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from gdnn_monitor.core.errors import UserError
from web.templating import flash

ErrorPage = Callable[[str], Response]


def on_user_error_redirect(request: Request, url: str) -> None:
    """A user error in this request flashes its message and redirects here (default: the request's own path)."""
    request.state.user_error_redirect = url


def on_user_error_show(request: Request, page: ErrorPage) -> None:
    """A user error in this request re-renders a page with the message instead (a form keeps what was typed)."""
    request.state.user_error_page = page


def install_user_error_handler(app: FastAPI) -> None:
    @app.exception_handler(UserError)
    def user_error(request: Request, exc: UserError) -> Response:
        page: ErrorPage | None = getattr(request.state, "user_error_page", None)
        if page is not None:
            return page(str(exc))
        flash(request, str(exc), "error")
        return RedirectResponse(
            getattr(request.state, "user_error_redirect", None) or request.url.path, status_code=303
        )
