"""Terminal feedback for commands that take seconds: a spinner and a timed tick per stage on a terminal, nothing
when stderr is a pipe or a log file, so cron mails and journald stay clean."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


def on_terminal() -> bool:
    return sys.stderr.isatty()


@contextmanager
def stage(message: str) -> Iterator[None]:
    """Show `message` with a spinner while the block runs, then `✓ message (1.2 s)`; silent off a terminal."""
    if not on_terminal():
        yield
        return
    from rich.console import Console

    console = Console(stderr=True, highlight=False)
    started = time.perf_counter()
    with console.status(message):
        yield
    console.print(f"[green]✓[/green] {message} ({time.perf_counter() - started:.1f} s)")
