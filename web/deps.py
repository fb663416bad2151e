"""Request dependencies as Annotated aliases, so each route states what it needs in its signature."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlmodel import Session

from store.db import session_scope
from web.security import CurrentUser, admin, current_user, reviewer


def db_session() -> Iterator[Session]:
    """One session per request; routes that change data commit before they redirect."""
    with session_scope() as session:
        yield session


DB = Annotated[Session, Depends(db_session)]
AnyUser = Annotated[CurrentUser, Depends(current_user)]
Reviewer = Annotated[CurrentUser, Depends(reviewer)]
Admin = Annotated[CurrentUser, Depends(admin)]
