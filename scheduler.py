"""The scheduler: `gdnn-monitor schedule` runs the daily pipeline (gdnn_monitor.pipeline.daily) on a cron expression
(APScheduler 3.x) until SIGTERM, catching up a run missed while the service was down; `--once` runs it now."""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
from datetime import datetime, timedelta

import click

from gdnn_monitor.core.logs import configure_logging
from gdnn_monitor.core.settings import Settings, get_settings
from gdnn_monitor.pipeline.crawl import FAILED, CrawlFunction
from gdnn_monitor.pipeline.daily import PipelineResult, run_pipeline
from gdnn_monitor.pipeline.digest import ONCE_TRIGGER, SCHEDULE_TRIGGER, last_successful_run_start
from store.types import utcnow

log = logging.getLogger("gdnn.scheduler")

MISFIRE_GRACE = timedelta(hours=6)


def missed_run(trigger, last_success: datetime | None, now: datetime) -> bool:
    """True when a fire time passed since the last successful run (the process was down), or nothing ever ran."""
    if last_success is None:
        return True
    due = trigger.get_next_fire_time(None, last_success + timedelta(seconds=1))
    return due is not None and due <= now


def terminate_child_crawls(timeout: float = 20.0) -> int:
    """Stop the crawl child process(es) of this process: SIGTERM first, SIGKILL after the timeout."""
    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    for child in children:
        child.join(timeout)
        if child.is_alive():
            child.kill()
            child.join(5)
    return len(children)


class PipelineService:
    """The `schedule` command's state: the APScheduler instance, the running pipeline and the stop request."""

    def __init__(self, settings: Settings, crawl: CrawlFunction | None = None) -> None:
        from apscheduler.schedulers.blocking import BlockingScheduler
        from apscheduler.triggers.cron import CronTrigger

        self.settings = settings
        self.crawl = crawl
        try:
            self.trigger = CronTrigger.from_crontab(settings.schedule_cron, timezone=settings.tz)
        except ValueError as exc:
            from gdnn_monitor.core.errors import ConfigError

            raise ConfigError(
                f"GDNN_SCHEDULE_CRON={settings.schedule_cron!r} is not a cron expression of 5 fields "
                f"(example: '30 5 * * *' for 05:30 every day): {exc}"
            ) from exc
        self.scheduler = BlockingScheduler(timezone=settings.tz)
        self.stopping = threading.Event()
        self.idle = threading.Event()
        self.idle.set()
        self.results: list[PipelineResult] = []

    def run_job(self) -> None:
        """The scheduled job; never raises, so one bad run never stops the next."""
        if self.stopping.is_set():
            return
        self.idle.clear()
        try:
            self.results.append(run_pipeline(SCHEDULE_TRIGGER, self.crawl, self.stopping))
        except Exception:
            log.exception("pipeline run failed unexpectedly")
        finally:
            self.idle.set()

    def start(self) -> None:
        """Schedule the job (plus one catch-up run now if a run was missed) and block until stopped."""
        from store.db import session_scope

        now = utcnow()
        with session_scope() as session:
            last = last_successful_run_start(session)
        catch_up = missed_run(self.trigger, last, now)
        self.scheduler.add_job(
            self.run_job,
            self.trigger,
            id="daily-pipeline",
            name="daily pipeline",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(MISFIRE_GRACE.total_seconds()),
            **({"next_run_time": now.astimezone(self.settings.tz)} if catch_up else {}),
        )
        log.info(
            "scheduler started: cron %r (%s); last successful run %s; %s",
            self.settings.schedule_cron,
            self.settings.timezone,
            last.isoformat(timespec="minutes") if last else "never",
            "running a missed run now" if catch_up else f"next run {self.trigger.get_next_fire_time(None, now)}",
        )
        if not self.stopping.is_set():
            self.scheduler.start()
        self.idle.wait()

    def stop(self, *_signal_args) -> None:
        """SIGTERM/SIGINT: no new run, the running crawl's child is terminated, the run is recorded, then exit."""
        if self.stopping.is_set():
            return
        self.stopping.set()
        log.warning("stop requested: terminating the running crawl (if any) and shutting down")
        threading.Thread(target=terminate_child_crawls, name="stop-crawl", daemon=True).start()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)


def serve_schedule(settings: Settings | None = None, crawl: CrawlFunction | None = None) -> PipelineService:
    settings = settings or get_settings()
    service = PipelineService(settings, crawl)
    signal.signal(signal.SIGTERM, service.stop)
    signal.signal(signal.SIGINT, service.stop)
    service.start()
    log.info("scheduler stopped")
    return service


@click.command("schedule")
@click.option(
    "--once", is_flag=True, help="Chạy toàn bộ quy trình một lần ngay bây giờ rồi thoát (for cron users, tests)."
)
def schedule_command(once: bool) -> None:
    """Chạy quy trình hằng ngày theo lịch (GDNN_SCHEDULE_CRON): thu thập → phân loại → tình trạng nguồn → bản tin.

    Runs the daily pipeline on the cron schedule until SIGTERM; --once runs it now and exits.
    """
    from gdnn_monitor.core.errors import UserError

    settings = get_settings()
    configure_logging(settings.log_format)
    if not once:
        serve_schedule(settings)
        return
    result = run_pipeline(trigger=ONCE_TRIGGER)
    if result.status == "skipped":
        raise UserError(f"một lần thu thập khác đang chạy (another crawl is running): {result.error}")
    if result.status == FAILED:
        raise UserError(f"lần chạy {result.run_id} bị lỗi (the run failed): {result.error}")
    click.echo(
        f"Lần chạy {result.run_id}: xong; {result.digest_items} tin mới chờ duyệt"
        f"{' (đã gửi thư)' if result.digest_sent else ''}."
    )
