"""The FastAPI application: sessions, CSRF on every unsafe request, static files, one router per resource."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from gdnn_monitor.core.settings import get_settings
from web.errors import install_error_pages
from web.proxies import ClientAddressMiddleware
from web.security import csrf_protect, reject_nul_bytes, session_secret
from web.templating import build_templates
from web.throttle import LoginThrottle
from web.user_errors import install_user_error_handler

STATIC = Path(__file__).resolve().parent / "static"
SESSION_MAX_AGE = 12 * 60 * 60


def _login_throttle() -> LoginThrottle:
    """The throttle with the locks still in force from before a restart, saving new ones to the database."""
    from store.login_locks import active_locks, save_lock

    throttle = LoginThrottle(save_lock=save_lock)
    throttle.restore(active_locks())
    return throttle


def create_app() -> FastAPI:
    """Build the app from the current settings (tests and `serve` call this)."""
    from web.routes import admin, auth, dashboard, items, manual, queue, reports

    settings = get_settings()
    app = FastAPI(
        title="GDNN Monitor",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(reject_nul_bytes), Depends(csrf_protect)],
    )
    app.state.templates = build_templates()
    app.state.login_throttle = _login_throttle()
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie="gdnn_session",
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.web_base_url.startswith("https://"),
    )
    app.add_middleware(ClientAddressMiddleware, trusted=settings.trusted_proxies)  # outermost: sets the address
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (auth, dashboard, queue, items, manual, reports, admin):
        app.include_router(module.router)
    app.include_router(admin.top_level)
    install_error_pages(app)
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
