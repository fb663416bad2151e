"""Which stored items need a (new) decision."""

from __future__ import annotations

from sqlmodel import or_, select


def items_to_classify(session, model_version: str, everything: bool = False) -> list[int]:
    """Ids of items never classified or classified by another model version (all ids with everything=True)."""
    from store.models import Item

    query = select(Item.id).order_by(Item.id)
    if not everything:
        query = query.where(or_(Item.model_version.is_(None), Item.model_version != model_version))
    return list(session.exec(query))
