"""The counting rule: which stored items count toward the plan's KPI. One place, used by CLI, dashboard and reports.

An item counts when an officer confirmed it, or when nobody reviewed it and the model put it in the auto-accept zone.
A rejection always wins. Manual entries are stored as confirmed by the officer who entered them.
"""

from __future__ import annotations

from sqlalchemy import and_, or_
from sqlalchemy.sql.elements import ColumnElement

from store.models import Item, zone_range


def counted_branches() -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """The rule's two cases, which never overlap: confirmed by an officer; nobody decided and the model accepted.
    A query reading many counted items asks each on its own (UNION ALL), so each is served by its own index."""
    return and_(Item.review == "confirmed"), and_(Item.review.is_(None), Item.zone == "accept")


def counted_clause() -> ColumnElement[bool]:
    return or_(*counted_branches())


def is_counted(item: Item) -> bool:
    return item.review == "confirmed" or (item.review is None and item.zone == "accept")


def effective_gdnn(item: Item) -> bool | None:
    """The officers' decision when there is one, else the model's."""
    if item.review == "confirmed":
        return True
    if item.review == "rejected":
        return False
    return item.gdnn


def waiting_clause() -> ColumnElement[bool]:
    """Waiting for review: nobody decided yet and the model was unsure (the review zone). The one definition used by
    the dashboard's card, the queue's default view and the reports' "still waiting" line."""
    return and_(Item.review.is_(None), *zone_range("review"))


def is_waiting(item: Item) -> bool:
    return item.review is None and item.zone == "review"
