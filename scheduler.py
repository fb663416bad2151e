"""The daily pipeline and its scheduler: crawl every enabled source → classify new items → update source health and
back-off → send a digest of new items awaiting review. `gdnn-monitor schedule` runs it on a cron expression
(APScheduler 3.x), `--once` runs it now. One crawl at a time, across processes, through the database lock."""

from __future__ import annotations

import logging
import multiprocessing
import signal
import smtplib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import click
from sqlalchemy import func
from sqlmodel import Session, select

from gdnn_monitor.logs import configure_logging, new_run_id, run_context
from gdnn_monitor.settings import Settings, get_settings
from store.counting import waiting_clause
from store.locks import CRAWL_LOCK, LockBusy, hold_lock
from store.models import CrawlRun, Item, Source
from store.types import utcnow

log = logging.getLogger("gdnn.scheduler")

SCHEDULE_TRIGGER = "schedule"
ONCE_TRIGGER = "manual"
PIPELINE_TRIGGERS = (SCHEDULE_TRIGGER, ONCE_TRIGGER)
FAILED = "failed"
RUNNING = "running"
MISFIRE_GRACE = timedelta(hours=6)
DIGEST_LIMIT = 50
CLASSIFY_LIMIT = 5000

CrawlFunction = Callable[..., object]


@dataclass
class PipelineResult:
    """What one pipeline run did; status is ok, failed (the crawl failed) or skipped (another crawl was running)."""

    run_id: str
    status: str = "ok"
    error: str | None = None
    crawl_summary: object | None = None
    classified: int = 0
    backed_off: dict[str, datetime] = field(default_factory=dict)
    digest_items: int = 0
    digest_sent: bool = False


# --- the crawl step -------------------------------------------------------------------------------------------------

def _default_crawl() -> CrawlFunction:
    """The crawler's run_crawl, or a distributed crawl that workers join when PostgreSQL and Redis are configured."""
    from crawlers.distributed import distributed_enabled, run_distributed_crawl
    from crawlers.run import run_crawl

    return run_distributed_crawl if distributed_enabled() else run_crawl


def mark_interrupted_runs(session: Session, reason: str, started_after: datetime | None = None,
                          finished_too: bool = False) -> list[str]:
    """Close CrawlRun rows still 'running' (their process died): recorded as failed with the reason, never left open.
    With finished_too, runs that closed themselves after a stop request are marked too (they are incomplete).
    Only call this while holding the crawl lock, when no other crawl can be running."""
    query = select(CrawlRun).where(CrawlRun.status != FAILED if finished_too else CrawlRun.status == RUNNING)
    if started_after is not None:
        query = query.where(CrawlRun.started_at >= started_after)
    closed = []
    for run in session.exec(query):
        run.status, run.error, run.finished_at = FAILED, reason, utcnow()
        session.add(run)
        closed.append(run.run_id)
    session.flush()
    return closed


def record_crawl_failure(started: datetime, trigger: str, error: str) -> str:
    """The crawl raised: close the run it opened as failed, or record one if it died before opening it."""
    from store.db import session_scope

    with session_scope() as session:
        closed = mark_interrupted_runs(session, error, started_after=started)
        if closed:
            return closed[0]
        run_id = new_run_id("failed")
        session.add(CrawlRun(run_id=run_id, trigger=trigger, started_at=started, finished_at=utcnow(),
                             status=FAILED, error=error))
        return run_id


def sources_to_crawl(now: datetime | None = None) -> list[str]:
    """Enabled sources whose back-off has passed, in sources-file order."""
    from crawlers.backoff import due_source_ids, update_backoff
    from crawlers.registry import load_sources
    from store.db import session_scope
    from store.sources import sync_sources

    registry = load_sources()
    with session_scope() as session:
        sync_sources(session, registry)
        update_backoff(session, now)
        return due_source_ids(session, [source.id for source in registry.enabled()], now)


def run_crawl_locked(crawl: CrawlFunction | None = None, *args, **kwargs) -> object:
    """Run one crawl while holding the database crawl lock (raises LockBusy at once if another crawl runs)."""
    crawl = crawl or _default_crawl()
    with hold_lock(CRAWL_LOCK):
        from store.db import session_scope

        with session_scope() as session:
            stale = mark_interrupted_runs(session, "interrupted: the crawling process stopped before finishing")
        if stale:
            log.warning("closed %d crawl run(s) left open by a process that died: %s", len(stale), ", ".join(stale))
        return crawl(*args, **kwargs)


# --- classify, health -----------------------------------------------------------------------------------------------

def classify_new_items(limit: int = CLASSIFY_LIMIT) -> int:
    """Classify crawled items still without a decision (no model at crawl time, or the crawl died before it),
    oldest first, through the crawler's own classification hook."""
    from crawlers.run import classify_new_items as classify_ids
    from store.db import session_scope

    with session_scope() as session:
        ids = list(session.exec(select(Item.id).where(Item.model_version.is_(None), Item.origin == "crawl")
                                .order_by(Item.id).limit(limit)))
    classified = classify_ids(ids)
    if ids:
        log.info("classified %d of %d item(s) left unclassified", classified, len(ids))
    return classified


def refresh_backoff() -> dict[str, datetime]:
    from crawlers.backoff import update_backoff
    from store.db import session_scope

    with session_scope() as session:
        backed_off = update_backoff(session)
    for source_id, until in backed_off.items():
        log.warning("source %s keeps failing: skipped until %s", source_id, until.isoformat(timespec="minutes"),
                    extra={"source_id": source_id})
    return backed_off


# --- digest ---------------------------------------------------------------------------------------------------------

@dataclass
class Digest:
    subject: str
    body: str
    new_items: int
    waiting_total: int


def last_successful_run_start(session: Session, triggers: tuple[str, ...] = PIPELINE_TRIGGERS) -> datetime | None:
    """Start of the newest finished, not-failed pipeline crawl: the persisted 'did the daily run happen'."""
    return session.exec(
        select(func.max(CrawlRun.started_at)).where(
            CrawlRun.trigger.in_(triggers), CrawlRun.status.not_in([RUNNING, FAILED])
        )
    ).one()


def awaiting_review(session: Session, since: datetime | None, limit: int = DIGEST_LIMIT) -> tuple[list[Item], int]:
    """New items (fetched since `since`) in the review zone that nobody decided yet, most likely first; plus the total
    of everything awaiting review."""
    waiting = waiting_clause()
    query = select(Item).where(waiting).order_by(Item.gdnn_score.desc(), Item.id).limit(limit)
    if since is not None:
        query = query.where(Item.fetched_at >= since)
    total = session.exec(select(func.count()).select_from(Item).where(waiting)).one()
    return list(session.exec(query)), int(total)


def _count_new(session: Session, since: datetime | None) -> int:
    query = select(func.count()).select_from(Item).where(waiting_clause())
    if since is not None:
        query = query.where(Item.fetched_at >= since)
    return int(session.exec(query).one())


def _failing_sources(session: Session) -> list[Source]:
    return list(session.exec(select(Source).where(Source.enabled, Source.consecutive_failures > 0)
                             .order_by(Source.consecutive_failures.desc())))


def _local_time(value: datetime | None, settings: Settings) -> str:
    return value.astimezone(settings.tz).strftime("%d/%m/%Y %H:%M") if value else "không rõ thời gian"


def build_digest(session: Session, since: datetime | None, run_id: str, result: PipelineResult | None = None,
                 settings: Settings | None = None) -> Digest:
    """A plain-text Vietnamese e-mail: what the crawl did, the new items awaiting review, sources in trouble."""
    settings = settings or get_settings()
    items, total = awaiting_review(session, since)
    new_count = _count_new(session, since)
    names = {source.id: source.name for source in session.exec(select(Source))}
    base = settings.web_base_url.rstrip("/")
    today = utcnow().astimezone(settings.tz).strftime("%d/%m/%Y")
    lines = [f"Bản tin theo dõi GDNN ngày {today} (lần chạy {run_id}).", ""]
    summary = getattr(result, "crawl_summary", None) if result else None
    if result is not None and result.status == FAILED:
        lines += [f"Lần thu thập này bị lỗi: {result.error}", ""]
    elif summary is not None:
        lines += [f"Thu thập: {_describe_summary(summary)}", ""]
    if new_count:
        lines.append(f"Có {new_count} tin, bài mới đang chờ duyệt (tổng cộng {total} tin đang chờ duyệt):")
        lines.append("")
        for number, item in enumerate(items, 1):
            score = f"{item.gdnn_score:.2f}".replace(".", ",") if item.gdnn_score is not None else "—"
            lines.append(f"{number}. {item.title}")
            lines.append(f"   {names.get(item.source_id, item.source_id)} · {_local_time(item.published_at, settings)}"
                         f" · điểm GDNN {score}")
            lines.append(f"   Duyệt: {base}/items/{item.id} · Bài gốc: {item.url}")
        if new_count > len(items):
            lines.append(f"… và {new_count - len(items)} tin khác.")
    else:
        lines.append(f"Không có tin, bài mới nào chờ duyệt (tổng cộng {total} tin đang chờ duyệt).")
    failing = _failing_sources(session)
    if failing:
        lines += ["", "Nguồn đang lỗi:"]
        for source in failing:
            until = f", tạm dừng đến {_local_time(source.backoff_until, settings)}" if source.backoff_until else ""
            lines.append(f"- {source.name} ({source.id}): lỗi {source.consecutive_failures} lần liên tiếp{until}"
                         f" — {(source.last_error or '')[:160]}")
    lines += ["", f"Hàng chờ duyệt: {base}/queue"]
    subject = f"[GDNN] {new_count} tin mới chờ duyệt — {today}"
    return Digest(subject=subject, body="\n".join(lines) + "\n", new_items=new_count, waiting_total=total)


def _describe_summary(summary: object) -> str:
    """A one-line Vietnamese description of the crawler's summary, reading the fields it has."""
    parts = []
    for attribute, label in (("sources", "nguồn"), ("pages", "trang"), ("new_items", "tin mới"), ("errors", "lỗi")):
        value = getattr(summary, attribute, None)
        if isinstance(value, (list, tuple, dict)):
            value = len(value)
        if value is not None:
            parts.append(f"{value} {label}")
    return ", ".join(parts) or str(summary)


def send_digest(digest: Digest, settings: Settings | None = None) -> bool:
    """E-mail the digest when GDNN_SMTP_HOST and GDNN_SMTP_TO are set, otherwise write it to the log. True if mailed."""
    settings = settings or get_settings()
    if not settings.smtp_host or not settings.smtp_to:
        log.info("digest (no GDNN_SMTP_HOST/GDNN_SMTP_TO, not e-mailed): %s\n%s", digest.subject, digest.body)
        return False
    recipients = [address.strip() for address in settings.smtp_to.split(",") if address.strip()]
    message = EmailMessage()
    message["Subject"] = digest.subject
    message["From"] = settings.smtp_from or settings.smtp_user or "gdnn-monitor@localhost"
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="gdnn-monitor")
    message.set_content(digest.body, charset="utf-8")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        smtp.ehlo()
        if settings.smtp_starttls:
            if not smtp.has_extn("starttls"):
                raise smtplib.SMTPException(f"{settings.smtp_host} does not offer STARTTLS "
                                            "(set GDNN_SMTP_STARTTLS=false only for a trusted local relay)")
            smtp.starttls()
            smtp.ehlo()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(message, to_addrs=recipients)
    log.info("digest e-mailed to %s: %s", ", ".join(recipients), digest.subject)
    return True


# --- the pipeline ---------------------------------------------------------------------------------------------------

def _step(name: str, function: Callable[[], object], default: object) -> object:
    """Run one pipeline step; its failure is logged and the following steps still run."""
    try:
        return function()
    except Exception:
        log.exception("pipeline step %r failed; continuing", name)
        return default


def run_pipeline(trigger: str = SCHEDULE_TRIGGER, crawl: CrawlFunction | None = None,
                 stopping: threading.Event | None = None) -> PipelineResult:
    """One daily run. A crawl that crashes is recorded as failed and the later steps (health, digest) still run;
    when another crawl holds the lock the run is skipped, never doubled; a stop request ends it after the crawl."""
    from store.db import session_scope

    crawl = crawl or _default_crawl()
    with run_context(new_run_id(trigger)) as run_id:
        result = PipelineResult(run_id=run_id)
        try:
            with hold_lock(CRAWL_LOCK):
                log.info("pipeline started (trigger %s)", trigger)
                with session_scope() as session:
                    stale = mark_interrupted_runs(session, "interrupted: the crawling process stopped before finishing")
                    digest_since = last_successful_run_start(session)
                if stale:
                    log.warning("closed crawl run(s) left open by a process that died: %s", ", ".join(stale))
                crawl_started = _crawl_step(crawl, trigger, result)
                if stopping is not None and stopping.is_set():
                    _record_stop(crawl_started, result)
                    return result
                result.classified = _step("classify", classify_new_items, 0)
                result.backed_off = _step("health", refresh_backoff, {})
                _step("digest", lambda: _digest_step(digest_since, result), None)
        except LockBusy as busy:
            result.status, result.error = "skipped", str(busy)
            log.warning("pipeline skipped: another crawl is running (%s)", busy)
            return result
        log.info("pipeline finished: %s", result.status if not result.error else f"{result.status} ({result.error})")
        return result


def _record_stop(crawl_started: datetime, result: PipelineResult) -> None:
    from store.db import session_scope

    reason = "interrupted: the scheduler was stopped (SIGTERM) during the crawl"
    with session_scope() as session:
        closed = mark_interrupted_runs(session, reason, started_after=crawl_started, finished_too=True)
    result.status, result.error = FAILED, reason
    log.warning("pipeline stopped; crawl run(s) recorded as interrupted: %s", ", ".join(closed) or "none open")


def _crawl_step(crawl: CrawlFunction, trigger: str, result: PipelineResult) -> datetime:
    """Crawl the due sources; returns when the crawl started (to find the run it recorded)."""
    started = utcnow()
    try:
        source_ids = sources_to_crawl(started)
        if not source_ids:
            log.warning("no source to crawl: every enabled source is backed off or none is enabled")
            return started
        result.crawl_summary = crawl(source_ids=source_ids, trigger=trigger)
        status = getattr(result.crawl_summary, "status", None)
        log.info("crawl run %s: %s; %s", getattr(result.crawl_summary, "run_id", "?"), status,
                 _describe_summary(result.crawl_summary),
                 extra={"crawl_run_id": getattr(result.crawl_summary, "run_id", None)})
        if status == FAILED:
            result.status, result.error = FAILED, _failure_reason(result.crawl_summary)
    except Exception as exc:
        result.status, result.error = FAILED, f"{type(exc).__name__}: {exc}"
        log.exception("crawl failed")
        _step("record failure", lambda: record_crawl_failure(started, trigger, result.error), None)
    return started


def _failure_reason(summary: object) -> str:
    """The crawler's error, or why a crawl without one still failed (no source could be reached)."""
    error = getattr(summary, "error", None)
    if error:
        return error
    attempted = getattr(summary, "attempted", None)
    if attempted is not None:
        return f"không truy cập được nguồn nào (no source reachable: 0 of {len(attempted)})"
    return "crawl failed"


def _digest_step(since: datetime | None, result: PipelineResult) -> None:
    from store.db import session_scope

    with session_scope() as session:
        digest = build_digest(session, since, result.run_id, result)
    result.digest_items = digest.new_items
    result.digest_sent = send_digest(digest)


# --- the long-running scheduler -------------------------------------------------------------------------------------

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
            from gdnn_monitor.errors import ConfigError

            raise ConfigError(f"GDNN_SCHEDULE_CRON={settings.schedule_cron!r} is not a cron expression of 5 fields "
                              f"(example: '30 5 * * *' for 05:30 every day): {exc}") from exc
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
            self.run_job, self.trigger, id="daily-pipeline", name="daily pipeline", coalesce=True, max_instances=1,
            misfire_grace_time=int(MISFIRE_GRACE.total_seconds()),
            **({"next_run_time": now.astimezone(self.settings.tz)} if catch_up else {}),
        )
        log.info("scheduler started: cron %r (%s); last successful run %s; %s", self.settings.schedule_cron,
                 self.settings.timezone, last.isoformat(timespec="minutes") if last else "never",
                 "running a missed run now" if catch_up else f"next run {self.trigger.get_next_fire_time(None, now)}")
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
@click.option("--once", is_flag=True, help="Chạy toàn bộ quy trình một lần ngay bây giờ rồi thoát (for cron users, tests).")
def schedule_command(once: bool) -> None:
    """Chạy quy trình hằng ngày theo lịch (GDNN_SCHEDULE_CRON): thu thập → phân loại → tình trạng nguồn → bản tin.

    Runs the daily pipeline on the cron schedule until SIGTERM; --once runs it now and exits.
    """
    from gdnn_monitor.errors import EXIT_BUSY, UserError

    settings = get_settings()
    configure_logging(settings.log_format)
    if not once:
        serve_schedule(settings)
        return
    result = run_pipeline(trigger=ONCE_TRIGGER)
    if result.status == "skipped":
        raise UserError(f"một lần thu thập khác đang chạy, lần này không chạy (another crawl is running): "
                        f"{result.error}", EXIT_BUSY)
    if result.status == FAILED:
        raise UserError(f"lần chạy {result.run_id} bị lỗi (the run failed): {result.error}")
    click.echo(f"Lần chạy {result.run_id}: xong; {result.digest_items} tin mới chờ duyệt"
               f"{' (đã gửi thư)' if result.digest_sent else ''}.")
