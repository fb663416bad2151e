"""Structured logs: every line carries the run id of the crawl or pipeline it belongs to, as text or as JSON lines
(GDNN_LOG_FORMAT=json) so journald/Loki can filter one run's lines."""

from __future__ import annotations

import json
import logging
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_run_id: ContextVar[str | None] = ContextVar("gdnn_run_id", default=None)
_RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "run_id"}
_HANDLER_MARK = "_gdnn_handler"
QUIET_LOGGERS = ("alembic", "apscheduler.executors.default")
TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [run %(run_id)s] %(message)s"


def new_run_id(prefix: str = "run") -> str:
    """Sortable and unique: UTC time to the second plus random hex, short enough for CrawlRun.run_id (40 chars)."""
    return f"{prefix}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def current_run_id() -> str | None:
    return _run_id.get()


@contextmanager
def run_context(run_id: str | None = None) -> Iterator[str]:
    """Tag every log line written inside the block (in this thread/task) with the run id."""
    run_id = run_id or new_run_id()
    token = _run_id.set(run_id)
    try:
        yield run_id
    finally:
        _run_id.reset(token)


class RunIdFilter(logging.Filter):
    """Adds record.run_id (or '-') so both formatters can rely on it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "run_id", None):
            record.run_id = _run_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; extra=... fields given to a log call become keys of their own."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "run_id": getattr(record, "run_id", None) if getattr(record, "run_id", "-") != "-" else None,
            "msg": record.getMessage(),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in _RESERVED})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def make_formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter()
    return logging.Formatter(TEXT_FORMAT)


def configure_logging(log_format: str | None = None, level: int | str = logging.INFO, stream=None) -> logging.Handler:
    """Install one root handler (replacing ours from an earlier call, leaving others' alone); returns it."""
    if log_format is None:
        from gdnn_monitor.core.settings import get_settings

        log_format = get_settings().log_format
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(make_formatter(log_format))
    handler.addFilter(RunIdFilter())
    setattr(handler, _HANDLER_MARK, True)
    root.addHandler(handler)
    root.setLevel(level)
    for chatty in QUIET_LOGGERS:
        logging.getLogger(chatty).setLevel(logging.WARNING)
    return handler
