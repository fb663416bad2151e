"""Who is asking and may they: the session secret, the logged-in user, roles and the CSRF token on every form."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request

from gdnn_monitor.core.settings import Settings
from store.db import session_scope
from store.models import User

SESSION_USER = "user"
SESSION_CSRF = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
CAN_REVIEW = ("reviewer", "admin")
CAN_ADMIN = ("admin",)


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form."""


class Forbidden(Exception):
    """Logged in, but the role does not allow this action."""


class CsrfRefused(Exception):
    """A state-changing request without the session's CSRF token."""


@dataclass(frozen=True)
class CurrentUser:
    username: str
    role: str

    @property
    def can_review(self) -> bool:
        return self.role in CAN_REVIEW

    @property
    def is_admin(self) -> bool:
        return self.role in CAN_ADMIN


def session_secret(settings: Settings) -> str:
    """GDNN_SECRET_KEY, else a random key made once and kept in the data folder so sessions survive restarts."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / "secret_key"
    if path.is_file() and path.read_text(encoding="utf-8").strip():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use; every form carries it in a hidden field."""
    token = request.session.get(SESSION_CSRF)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF] = token
    return token


async def csrf_protect(request: Request) -> None:
    """App-wide dependency: any POST/PUT/PATCH/DELETE must echo the session's token (form field or header)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = request.session.get(SESSION_CSRF)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not secrets.compare_digest(str(expected), sent):
        raise CsrfRefused()


def current_user(request: Request) -> CurrentUser:
    """The logged-in, still active user; the account is re-read so a deactivated user is out at once."""
    username = request.session.get(SESSION_USER)
    if not username:
        raise LoginRequired()
    from sqlmodel import select

    with session_scope() as session:
        row = session.exec(select(User.role, User.active).where(User.username == username)).first()
    if row is None or not row[1]:
        request.session.pop(SESSION_USER, None)
        raise LoginRequired()
    user = CurrentUser(username=username, role=row[0])
    request.state.user = user
    return user


def reviewer(request: Request) -> CurrentUser:
    user = current_user(request)
    if not user.can_review:
        raise Forbidden()
    return user


def admin(request: Request) -> CurrentUser:
    user = current_user(request)
    if not user.is_admin:
        raise Forbidden()
    return user


def log_in(request: Request, user: User) -> None:
    """A fresh session on login (no fixation): new CSRF token, the user's name."""
    request.session.clear()
    request.session[SESSION_USER] = user.username
    request.session[SESSION_CSRF] = secrets.token_urlsafe(32)


def safe_next(target: str | None) -> str:
    """Only redirect to a path on this site after login (never //evil.example or http://...)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"
