"""Request dependencies as Annotated aliases, so each route states what it needs in its signature."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlmodel import Session

from web.security import CurrentUser, admin, current_user, db_session, reviewer

DB = Annotated[Session, Depends(db_session)]
AnyUser = Annotated[CurrentUser, Depends(current_user)]
Reviewer = Annotated[CurrentUser, Depends(reviewer)]
Admin = Annotated[CurrentUser, Depends(admin)]
