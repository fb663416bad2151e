"""The digest e-mail after a pipeline run: what the crawl did, the new items awaiting review, sources in trouble.
Plain text in Vietnamese; sent over SMTP when GDNN_SMTP_HOST and GDNN_SMTP_TO are set, otherwise written to the log."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, select

from gdnn_monitor.core.settings import Settings, get_settings
from gdnn_monitor.pipeline.crawl import FAILED, RUNNING
from store.models import CrawlRun, Item, Source
from store.types import utcnow

if TYPE_CHECKING:
    from gdnn_monitor.pipeline.daily import PipelineResult

log = logging.getLogger("gdnn.scheduler")

SCHEDULE_TRIGGER = "schedule"
ONCE_TRIGGER = "manual"
PIPELINE_TRIGGERS = (SCHEDULE_TRIGGER, ONCE_TRIGGER)
DIGEST_LIMIT = 50


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
    waiting = (Item.zone == "review") & Item.review.is_(None)
    query = select(Item).where(waiting).order_by(Item.gdnn_score.desc(), Item.id).limit(limit)
    if since is not None:
        query = query.where(Item.fetched_at >= since)
    total = session.exec(select(func.count()).select_from(Item).where(waiting)).one()
    return list(session.exec(query)), int(total)


def _count_new(session: Session, since: datetime | None) -> int:
    query = select(func.count()).select_from(Item).where(Item.zone == "review", Item.review.is_(None))
    if since is not None:
        query = query.where(Item.fetched_at >= since)
    return int(session.exec(query).one())


def _failing_sources(session: Session) -> list[Source]:
    return list(
        session.exec(
            select(Source)
            .where(Source.enabled, Source.consecutive_failures > 0)
            .order_by(Source.consecutive_failures.desc())
        )
    )


def _local_time(value: datetime | None, settings: Settings) -> str:
    return value.astimezone(settings.tz).strftime("%d/%m/%Y %H:%M") if value else "không rõ thời gian"


def build_digest(
    session: Session,
    since: datetime | None,
    run_id: str,
    result: PipelineResult | None = None,
    settings: Settings | None = None,
) -> Digest:
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
        lines += [f"Thu thập: {describe_summary(summary)}", ""]
    if new_count:
        lines.append(f"Có {new_count} tin, bài mới đang chờ duyệt (tổng cộng {total} tin đang chờ duyệt):")
        lines.append("")
        for number, item in enumerate(items, 1):
            score = f"{item.gdnn_score:.2f}".replace(".", ",") if item.gdnn_score is not None else "—"
            lines.append(f"{number}. {item.title}")
            lines.append(
                f"   {names.get(item.source_id, item.source_id)} · {_local_time(item.published_at, settings)}"
                f" · điểm GDNN {score}"
            )
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
            lines.append(
                f"- {source.name} ({source.id}): lỗi {source.consecutive_failures} lần liên tiếp{until}"
                f" — {(source.last_error or '')[:160]}"
            )
    lines += ["", f"Hàng chờ duyệt: {base}/queue"]
    subject = f"[GDNN] {new_count} tin mới chờ duyệt — {today}"
    return Digest(subject=subject, body="\n".join(lines) + "\n", new_items=new_count, waiting_total=total)


def describe_summary(summary: object) -> str:
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
                raise smtplib.SMTPException(
                    f"{settings.smtp_host} does not offer STARTTLS "
                    "(set GDNN_SMTP_STARTTLS=false only for a trusted local relay)"
                )
            smtp.starttls()
            smtp.ehlo()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(message, to_addrs=recipients)
    log.info("digest e-mailed to %s: %s", ", ".join(recipients), digest.subject)
    return True
