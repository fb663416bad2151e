"""The FastAPI application: sessions, CSRF on every unsafe request, static files, one router per resource."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from gdnn_monitor.core.settings import get_settings
from web.security import CsrfRefused, Forbidden, LoginRequired, csrf_protect, session_secret
from web.templating import build_templates
from web.throttle import LoginThrottle
from web.user_errors import install_user_error_handler

STATIC = Path(__file__).resolve().parent / "static"
SESSION_MAX_AGE = 12 * 60 * 60


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"title": title, "message": message}, status_code=status)


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, _exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, _exc: Forbidden) -> Response:
        return _error_page(request, 403, "Không có quyền", "Vai trò của bạn không được phép thực hiện việc này.")

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, _exc: CsrfRefused) -> Response:
        return _error_page(
            request,
            403,
            "Biểu mẫu không hợp lệ",
            "Biểu mẫu đã hết hạn hoặc thiếu mã bảo vệ (CSRF). Hãy tải lại trang và thử lại.",
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        title = {404: "Không tìm thấy", 405: "Không được phép"}.get(exc.status_code, "Lỗi")
        return _error_page(request, exc.status_code, title, str(exc.detail))


def create_app() -> FastAPI:
    """Build the app from the current settings (tests and `serve` call this)."""
    from web.routes import admin, auth, dashboard, items, manual, queue, reports

    settings = get_settings()
    app = FastAPI(
        title="GDNN Monitor", docs_url=None, redoc_url=None, openapi_url=None, dependencies=[Depends(csrf_protect)]
    )
    app.state.templates = build_templates()
    app.state.login_throttle = LoginThrottle()
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie="gdnn_session",
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.web_base_url.startswith("https://"),
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (auth, dashboard, queue, items, manual, reports, admin):
        app.include_router(module.router)
    _install_error_pages(app)
    install_user_error_handler(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'",
        )
        return response

    return app
