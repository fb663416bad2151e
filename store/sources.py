"""Mirror the sources file into the database, keeping health data and never deleting a source that has items."""

from __future__ import annotations

from sqlmodel import Session, select

from store.models import Source
from store.registry import Registry


def sync_sources(session: Session, registry: Registry) -> dict[str, int]:
    """Insert new sources, update changed ones, disable the ones no longer in the file."""
    existing = {source.id: source for source in session.exec(select(Source))}
    counts = {"added": 0, "updated": 0, "disabled": 0}
    for config in registry.sources:
        row = existing.pop(config.id, None)
        values = {
            "name": config.name,
            "kind": config.kind,
            "province": config.province,
            "homepage": config.homepage,
            "enabled": config.enabled,
        }
        if row is None:
            session.add(Source(id=config.id, **values))
            counts["added"] += 1
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            session.add(row)
            counts["updated"] += 1
    for row in existing.values():
        if row.enabled and row.kind != "manual":
            row.enabled = False
            session.add(row)
            counts["disabled"] += 1
    session.flush()
    return counts
