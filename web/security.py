"""Who is asking and may they: the session secret, the logged-in user, roles and the CSRF token on every form."""

from __future__ import annotations

import math
import secrets
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session, select

from gdnn_monitor.core.errors import ConfigError, UserError
from gdnn_monitor.core.files import open_private, private_dir
from gdnn_monitor.core.settings import Settings
from store.db import session_scope
from store.models import User

SESSION_USER = "user"
SESSION_CSRF = "csrf"
SESSION_GENERATION = "gen"
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


MIN_SECRET_CHARS = 32
MIN_SECRET_BITS = 128
MAKE_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
# Values that appear in documentation and examples: whoever read them could sign an admin cookie.
PLACEHOLDER_MARKS = ("change-me", "changeme", "change_me", "replace-me", "your-secret", "example", "placeholder")


def secret_key_problem(key: str) -> str | None:
    """Why this key cannot sign sessions (too short, a placeholder, too repetitive to be random), or None if it can.

    The strength estimate is the key's length times the Shannon entropy of its characters: a random
    token_urlsafe(48) scores ~330 bits, 'a' * 64 scores 0."""
    folded = key.casefold()
    if any(mark in folded for mark in PLACEHOLDER_MARKS):
        return "giá trị mẫu (placeholder) — ai đọc tài liệu cũng biết"
    if len(key) < MIN_SECRET_CHARS:
        return f"quá ngắn ({len(key)} ký tự, cần ít nhất {MIN_SECRET_CHARS} ký tự ngẫu nhiên)"
    counts = Counter(key)
    bits = -len(key) * sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    if bits < MIN_SECRET_BITS:
        return f"không đủ ngẫu nhiên (ước tính {bits:.0f} bit, cần ≥ {MIN_SECRET_BITS})"
    return None


def check_secret_key(key: str, where: str) -> str:
    problem = secret_key_problem(key)
    if problem:
        raise ConfigError(
            f"{where} không dùng được để ký phiên đăng nhập: {problem}. Ai biết khóa này có thể giả "
            f"phiên của quản trị viên. Tạo khóa mới bằng: {MAKE_SECRET} "
            "(hoặc bỏ trống GDNN_SECRET_KEY để dịch vụ tự tạo và giữ một khóa trong thư mục dữ liệu)."
        )
    return key


def session_secret(settings: Settings) -> str:
    """GDNN_SECRET_KEY, else a random key made once and kept in the data folder so sessions survive restarts.
    A weak or placeholder key is refused: with it anyone could sign an admin's session cookie."""
    if settings.secret_key:
        return check_secret_key(settings.secret_key, "GDNN_SECRET_KEY")
    path = Path(settings.data_dir) / "secret_key"
    if path.is_file() and path.read_text(encoding="utf-8").strip():
        return check_secret_key(path.read_text(encoding="utf-8").strip(), f"Khóa trong {path}")
    private_dir(path.parent)
    key = secrets.token_urlsafe(48)
    with open_private(path, "w") as handle:
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


class BadInput(UserError):
    """A request refused as a whole (the web app answers 400 with the message)."""


async def reject_nul_bytes(request: Request) -> None:
    """App-wide dependency: no text with a NUL byte reaches the database (PostgreSQL refuses them with an error)."""
    message = "Dữ liệu gửi lên chứa ký tự không hợp lệ (NUL); hãy gõ lại hoặc dán lại văn bản."
    if "\x00" in request.scope.get("path", "") or any(
        "\x00" in key or "\x00" in value for key, value in request.query_params.multi_items()
    ):
        raise BadInput(message)
    if request.method in ("POST", "PUT", "PATCH") and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        for key, value in form.multi_items():
            text = value if isinstance(value, str) else (value.filename or "")
            if "\x00" in key or "\x00" in text:
                raise BadInput(message)


def db_session() -> Iterator[Session]:
    """One database session per request, shared by the login check and the route (one pooled connection per
    request, not two); routes that change data commit before they redirect."""
    with session_scope() as session:
        yield session


def current_user(request: Request, session: Annotated[Session, Depends(db_session)]) -> CurrentUser:
    """The logged-in, still active user whose session was not ended since; the account is re-read on every request
    so a deactivated user or an ended session is out at once."""
    username = request.session.get(SESSION_USER)
    if not username:
        raise LoginRequired()
    row = session.exec(select(User.role, User.active, User.session_generation).where(User.username == username)).first()
    if row is None or not row[1] or request.session.get(SESSION_GENERATION) != row[2]:
        request.session.clear()  # logged out, password changed, deactivated or "log out everywhere"
        raise LoginRequired()
    user = CurrentUser(username=username, role=row[0])
    request.state.user = user
    return user


def reviewer(user: Annotated[CurrentUser, Depends(current_user)]) -> CurrentUser:
    if not user.can_review:
        raise Forbidden()
    return user


def admin(user: Annotated[CurrentUser, Depends(current_user)]) -> CurrentUser:
    if not user.is_admin:
        raise Forbidden()
    return user


def log_in(request: Request, user: User) -> None:
    """A fresh session on login (no fixation): new CSRF token, the user's name and session generation."""
    request.session.clear()
    request.session[SESSION_USER] = user.username
    request.session[SESSION_GENERATION] = user.session_generation
    request.session[SESSION_CSRF] = secrets.token_urlsafe(32)


def safe_next(target: str | None) -> str:
    """Only redirect to a path on this site after login (never //evil.example or http://...)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"
