"""Web-app accounts: argon2 password hashes, never the password itself; roles decide what a user may do."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlmodel import Session, select

from gdnn_monitor.core.errors import EXIT_USAGE, UserError
from gdnn_monitor.core.vocabulary import ROLES
from store.models import User

MIN_PASSWORD_LENGTH = 8
_USERNAME = re.compile(r"^[A-Za-z0-9._@-]{2,80}$")
_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def validate_new_account(username: str, role: str, password: str) -> None:
    """A clear message for each rule a new account breaks."""
    if not _USERNAME.match(username):
        raise UserError(
            f"Tên đăng nhập không hợp lệ: {username!r} (2–80 ký tự: chữ không dấu, số, . _ @ -)", EXIT_USAGE
        )
    if role not in ROLES:
        raise UserError(f"Vai trò không hợp lệ: {role!r} (một trong: {', '.join(ROLES)})", EXIT_USAGE)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự (password too short)", EXIT_USAGE)


def create_user(session: Session, username: str, role: str, password: str) -> User:
    """Add an account; an existing name is refused rather than silently overwritten."""
    validate_new_account(username, role, password)
    if get_user(session, username) is not None:
        raise UserError(f"Tài khoản {username!r} đã tồn tại (user already exists)", EXIT_USAGE)
    user = User(username=username, role=role, password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự (password too short)", EXIT_USAGE)
    user.password_hash = _hasher.hash(password)
    session.add(user)


def get_user(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username)).first()


def verify_login(session: Session, username: str, password: str) -> User | None:
    """The active user whose password matches, else None (the same answer for a wrong name or password)."""
    user = get_user(session, username.strip())
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        session.add(user)
    return user


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.username)))


def set_active(session: Session, username: str, active: bool) -> User:
    user = get_user(session, username)
    if user is None:
        raise UserError(f"Không có tài khoản {username!r} (no such user)", EXIT_USAGE)
    user.active = active
    session.add(user)
    return user
