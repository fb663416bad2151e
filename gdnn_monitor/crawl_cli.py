"""`gdnn-monitor crawl`: collect from the sources, with a live per-source display on a terminal and plain log
lines otherwise, then a per-source summary. Exit 0 all good, 1 some source failed, 6 no source reachable."""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from typing import Any

import click

from gdnn_monitor.core.errors import EXIT_NETWORK

STATUS_LABELS = {
    "ok": ("tốt", "green"),
    "partial": ("có lỗi", "yellow"),
    "failed": ("thất bại", "red"),
    "skipped": ("bỏ qua", "dim"),
}
HEARTBEAT_SECONDS = 30


class LiveCounts:
    """Per-source counters fed by the crawler's progress events."""

    def __init__(self) -> None:
        self.pages: dict[str, int] = defaultdict(int)
        self.new: dict[str, int] = defaultdict(int)
        self.errors: dict[str, int] = defaultdict(int)

    def __call__(self, event: dict[str, Any]) -> None:
        source = event.get("source", "?")
        kind = event.get("type")
        if kind == "page":
            self.pages[source] += 1
        elif kind == "item" and event.get("new"):
            self.new[source] += 1
        elif kind == "error":
            self.errors[source] += 1

    def table(self):
        from rich.table import Table

        table = Table(title="Đang thu thập (crawling)…", expand=False)
        for column in ("Nguồn", "Trang", "Tin mới", "Lỗi"):
            table.add_column(column, justify="left" if column == "Nguồn" else "right")
        for source in sorted(self.pages.keys() | self.errors.keys()):
            table.add_row(source, str(self.pages[source]), str(self.new[source]), str(self.errors[source]))
        return table


def _log_line(counts: LiveCounts) -> str:
    return (
        f"… {sum(counts.pages.values())} trang, {sum(counts.new.values())} tin mới, {sum(counts.errors.values())} lỗi"
    )


def _run_with_display(source_ids: tuple[str, ...], since: str | None, worker: bool = False):
    from rich.console import Console
    from rich.live import Live

    from gdnn_monitor.pipeline.crawl import crawl_entry

    run_crawl = crawl_entry(worker)  # under the crawl lock; distributed with PostgreSQL + Redis; --worker joins

    counts = LiveCounts()
    console = Console(stderr=True)
    if console.is_terminal:
        with Live(counts.table(), console=console, refresh_per_second=4, transient=True) as live:
            drawn = [0.0]

            def redraw(event: dict[str, Any]) -> None:
                counts(event)
                if time.monotonic() - drawn[0] >= 0.25:  # a big crawl sends thousands of events
                    drawn[0] = time.monotonic()
                    live.update(counts.table())

            return run_crawl(source_ids or None, since=since, trigger="cli", progress=redraw)
    last = [time.monotonic()]

    def heartbeat(event: dict[str, Any]) -> None:
        counts(event)
        if time.monotonic() - last[0] >= HEARTBEAT_SECONDS:
            last[0] = time.monotonic()
            click.echo(_log_line(counts), err=True)

    return run_crawl(source_ids or None, since=since, trigger="cli", progress=heartbeat)


def print_summary(summary) -> None:
    """One row per source; the reasons for failures underneath, so a non-terminal log keeps them too."""
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 160)
    table = Table(title=f"Kết quả thu thập {summary.run_id}")
    for column in ("Nguồn", "Tình trạng", "Trang", "Tin mới", "Lỗi"):
        table.add_column(column, justify="left" if column in ("Nguồn", "Tình trạng") else "right")
    for result in summary.sources:
        label, style = STATUS_LABELS.get(result.status, (result.status, ""))
        table.add_row(
            result.source_id, f"[{style}]{label}[/]", str(result.pages), str(result.new_items), str(result.errors)
        )
    console.print(table)
    for result in summary.sources:
        if result.last_error and result.status in ("failed", "partial", "skipped"):
            console.print(f"  {result.source_id}: {result.last_error}", markup=False, highlight=False)
    extraction = f", trích xuất {summary.extract_ms_per_page:.1f} ms/trang" if summary.extract_count else ""
    console.print(
        f"{summary.pages} trang, {summary.new_items} tin mới, {summary.errors} lỗi trong "
        f"{summary.seconds:.1f} s{extraction}; {summary.reachable}/{len(summary.attempted)} nguồn "
        f"truy cập được.",
        markup=False,
        highlight=False,
    )
    if summary.classified:
        console.print(f"Đã phân loại {summary.classified} tin mới.")
    if summary.classify_note:
        console.print(summary.classify_note, style="yellow", markup=False, highlight=False)
    if summary.error:
        console.print(f"Lỗi: {summary.error}", style="red", markup=False)
    if summary.log_file:
        console.print(f"Nhật ký chi tiết (log): {summary.log_file}", markup=False, highlight=False)


@click.command("crawl")
@click.option(
    "--source",
    "source_ids",
    multiple=True,
    metavar="ID",
    help="Chỉ thu thập nguồn này (lặp lại được). Only this source (repeatable).",
)
@click.option("--since", help="Bỏ qua tin đăng trước ngày này (YYYY-MM-DD). Skip items published before this day.")
@click.option(
    "--worker",
    is_flag=True,
    help="Tham gia lần thu thập phân tán đang chạy (GDNN_REDIS_URL + PostgreSQL). "
    "Join the current distributed crawl as one more worker.",
)
def crawl_command(source_ids: tuple[str, ...], since: str | None, worker: bool) -> None:
    """Thu thập tin, bài từ các nguồn đang bật. Collects articles from the enabled sources."""
    from gdnn_monitor.core.dates import parse_day

    if since:
        parse_day(since)
    summary = _run_with_display(source_ids, since, worker)
    print_summary(summary)
    if summary.exit_code == EXIT_NETWORK:
        click.secho(
            f"Không truy cập được nguồn nào: 0 of {len(summary.attempted)} sources reachable.", fg="red", err=True
        )
    click.get_current_context().exit(summary.exit_code)
