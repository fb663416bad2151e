"""Source health as data: what `sources list` and the dashboard show about each source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import select

from gdnn_monitor.core.settings import get_settings
from store.db import session_scope
from store.models import Source
from store.registry import SourceConfig, load_sources
from store.sources import sync_sources
from store.types import utcnow

FAILING_FOR = timedelta(days=2)


@dataclass
class SourceHealth:
    config: SourceConfig
    row: Source | None

    @property
    def status(self) -> str:
        """One word for the table: off, new, ok, failing, down (failing for days, or backed off after failing again
        and again: gdnn_monitor/pipeline/backoff.py)."""
        if not self.config.enabled:
            return "off"
        row = self.row
        if row is None or row.last_crawl_at is None:
            return "new"
        if row.consecutive_failures == 0:
            return "ok"
        if row.backoff_until is not None and row.backoff_until > utcnow():
            return "down"
        since = row.last_success_at or row.last_failure_at or utcnow()
        return "down" if utcnow() - since > FAILING_FOR else "failing"


STATUS_LABELS = {
    "off": ("tắt", "dim"),
    "new": ("chưa thu thập", "yellow"),
    "ok": ("tốt", "green"),
    "failing": ("đang lỗi", "red"),
    "down": ("lỗi nhiều ngày", "bold red"),
}


def source_health(show_all: bool = True) -> list[SourceHealth]:
    """Registry order, joined with the stored health; the sources file is mirrored into the database first."""
    registry = load_sources()
    with session_scope() as session:
        sync_sources(session, registry)
        rows = {row.id: row for row in session.exec(select(Source))}
    return [SourceHealth(config, rows.get(config.id)) for config in registry.sources if show_all or config.enabled]


def _when(value: datetime | None) -> str:
    if value is None:
        return "—"
    return value.astimezone(get_settings().tz).strftime("%d/%m/%Y %H:%M")


def print_sources_table(show_all: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    health = source_health(show_all=show_all)
    table = Table(title=f"Nguồn ({get_settings().sources})", show_lines=False)
    for column in ("id", "Tên", "Loại", "Tỉnh", "Tình trạng", "Thành công lần cuối", "Lỗi liên tiếp", "Lỗi gần nhất"):
        table.add_column(column, overflow="fold")
    for entry in health:
        label, style = STATUS_LABELS[entry.status]
        row = entry.row
        table.add_row(
            entry.config.id,
            entry.config.name,
            entry.config.kind,
            entry.config.province or "—",
            f"[{style}]{label}[/]",
            _when(row.last_success_at if row else None),
            str(row.consecutive_failures if row else 0),
            ((row.last_error or "") if row else "")[:80],
        )
    console = Console(width=None if Console().is_terminal else 200)
    console.print(table)
    enabled = sum(1 for entry in health if entry.config.enabled)
    console.print(f"{len(health)} nguồn, {enabled} đang bật.")
