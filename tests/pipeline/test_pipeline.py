"""The daily pipeline: a crashed crawl is recorded and the next run still happens, overlapping runs are refused,
missed runs are caught up once, and the digest lists the new items awaiting review in Vietnamese."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlmodel import select

from gdnn_monitor.core.settings import get_settings
from gdnn_monitor.pipeline import daily
from store.db import session_scope
from store.locks import current_holder, release, try_acquire
from store.models import CrawlRun, Item, Source
from store.types import utcnow
from tests.pipeline.conftest import aware
from tests.pipeline.fakes import RecordingCrawl
from tests.pipeline.smtp_sink import SmtpSink


def _runs() -> list[CrawlRun]:
    with session_scope() as session:
        return list(session.exec(select(CrawlRun).order_by(CrawlRun.id)))


def test_a_crashed_crawl_is_recorded_as_failed_and_the_next_run_still_happens(pipeline_env):
    crashed = daily.run_pipeline(crawl=RecordingCrawl(fail_with=RuntimeError("Scrapy child died: exit -9")))
    assert crashed.status == "failed" and "exit -9" in crashed.error
    [run] = _runs()
    assert run.status == "failed" and "exit -9" in run.error and run.finished_at is not None

    following = daily.run_pipeline(crawl=RecordingCrawl())
    assert following.status == "ok"
    assert [r.status for r in _runs()] == ["failed", "ok"]
    assert current_holder("crawl") is None, "the lock is released after a crash"


def test_a_crawl_dying_before_it_opened_a_run_is_still_recorded(pipeline_env):
    result = daily.run_pipeline(crawl=RecordingCrawl(fail_with=OSError("cannot fork"), open_run_first=False))
    [run] = _runs()
    assert result.status == "failed" and run.status == "failed" and "cannot fork" in run.error


def test_the_pipeline_is_skipped_while_another_crawl_holds_the_lock(pipeline_env):
    crawl = RecordingCrawl()
    assert try_acquire("crawl", "other-host:4242:cli")
    result = daily.run_pipeline(crawl=crawl)
    assert result.status == "skipped" and "other-host:4242:cli" in result.error
    assert crawl.calls == [] and _runs() == []
    release("crawl", "other-host:4242:cli")
    assert daily.run_pipeline(crawl=crawl).status == "ok"


def test_a_run_left_open_by_a_dead_process_is_closed_as_failed(pipeline_env):
    with session_scope() as session:
        session.add(CrawlRun(run_id="killed-yesterday", trigger="schedule", started_at=utcnow() - timedelta(days=1)))
    daily.run_pipeline(crawl=RecordingCrawl())
    runs = {run.run_id: run for run in _runs()}
    assert runs["killed-yesterday"].status == "failed" and "interrupted" in runs["killed-yesterday"].error


def test_only_enabled_sources_out_of_back_off_are_crawled(pipeline_env):
    daily.sources_to_crawl()  # mirrors the sources file into the database
    with session_scope() as session:
        source = session.get(Source, "bao-mau")
        source.consecutive_failures, source.last_failure_at = 3, utcnow()
        session.add(source)
    crawl = RecordingCrawl()
    daily.run_pipeline(crawl=crawl)
    assert crawl.calls[0]["source_ids"] == ["truong-mau"]
    with session_scope() as session:
        assert session.get(Source, "bao-mau").backoff_until > utcnow() + timedelta(hours=1, minutes=59)


def _item(url: str, title: str, **values) -> dict:
    defaults = {
        "url": url,
        "title": title,
        "source_id": "bao-mau",
        "zone": "review",
        "gdnn_score": 0.6,
        "published_at": aware(2026, 11, 22, 1, 15),
        "model_version": "test-fixture",
    }
    return defaults | values


def test_the_digest_email_lists_the_new_items_awaiting_review_in_vietnamese(pipeline_env, monkeypatch):
    daily.sources_to_crawl()
    with session_scope() as session:
        session.add(
            Item(**_item("http://127.0.0.2/cu-1.html", "Tin cũ chờ duyệt", fetched_at=utcnow() - timedelta(days=3)))
        )
        session.add(
            CrawlRun(
                run_id="yesterday",
                trigger="schedule",
                status="ok",
                started_at=utcnow() - timedelta(days=1),
                finished_at=utcnow() - timedelta(days=1),
            )
        )
    new_items = [
        _item("http://127.0.0.2/a-1.html", "Lạng Sơn tuyển sinh 2.000 học viên học nghề", gdnn_score=0.71),
        _item("http://127.0.0.2/a-2.html", "Trường Cao đẳng nghề khai giảng khóa mới", gdnn_score=0.55),
        _item("http://127.0.0.2/a-3.html", "Giá vàng hôm nay", zone="reject", gdnn_score=0.02),
        _item("http://127.0.0.2/a-4.html", "Đào tạo nghề cho lao động nông thôn", zone="accept", gdnn_score=0.97),
        _item("http://127.0.0.2/a-5.html", "Hội thi tay nghề đã được duyệt", review="confirmed"),
    ]
    with SmtpSink() as sink:
        for key, value in {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(sink.port),
            "SMTP_TO": "a@so.gov.vn, b@so.gov.vn",
            "SMTP_FROM": "gdnn@so.gov.vn",
            "SMTP_STARTTLS": "false",
        }.items():
            monkeypatch.setenv(f"GDNN_{key}", value)
        get_settings.cache_clear()
        result = daily.run_pipeline(crawl=RecordingCrawl(new_items))
    assert result.digest_sent and result.digest_items == 2
    [(envelope, message)] = sink.messages
    assert envelope["rcpt"] == ["a@so.gov.vn", "b@so.gov.vn"]
    assert message["Subject"] == f"[GDNN] 2 tin mới chờ duyệt — {utcnow().astimezone(get_settings().tz):%d/%m/%Y}"
    body = message.get_content()
    first = body.index("Lạng Sơn tuyển sinh 2.000 học viên học nghề")
    assert first < body.index("Trường Cao đẳng nghề khai giảng khóa mới"), "most likely GDNN first"
    assert "Có 2 tin, bài mới đang chờ duyệt (tổng cộng 3 tin đang chờ duyệt)" in body
    assert "Báo Mẫu · 22/11/2026 08:15 · điểm GDNN 0,71" in body
    with session_scope() as session:
        first_id = session.exec(select(Item.id).where(Item.url == "http://127.0.0.2/a-1.html")).one()
    assert f"Duyệt: http://127.0.0.1:8000/items/{first_id} · Bài gốc: http://127.0.0.2/a-1.html" in body
    assert "Hàng chờ duyệt: http://127.0.0.1:8000/queue" in body
    for absent in ("Giá vàng", "Đào tạo nghề cho lao động", "đã được duyệt", "Tin cũ chờ duyệt"):
        assert absent not in body


def test_without_smtp_the_digest_is_written_to_the_log(pipeline_env, caplog):
    caplog.set_level(logging.INFO, logger="gdnn.scheduler")
    result = daily.run_pipeline(crawl=RecordingCrawl([_item("http://127.0.0.2/b-1.html", "Tuyển sinh học nghề")]))
    assert result.digest_items == 1 and not result.digest_sent
    digest_lines = [r for r in caplog.records if r.getMessage().startswith("digest (no GDNN_SMTP_HOST")]
    assert len(digest_lines) == 1 and "Tuyển sinh học nghề" in digest_lines[0].getMessage()


def test_smtp_requiring_starttls_never_sends_the_password_in_clear(pipeline_env, monkeypatch):
    with SmtpSink() as sink:
        for key, value in {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(sink.port),
            "SMTP_TO": "a@so.gov.vn",
            "SMTP_USER": "u",
            "SMTP_PASSWORD": "secret",
        }.items():
            monkeypatch.setenv(f"GDNN_{key}", value)
        get_settings.cache_clear()
        result = daily.run_pipeline(crawl=RecordingCrawl())
    assert result.status == "ok" and not result.digest_sent and sink.messages == []


def test_items_left_unclassified_are_classified_by_the_pipeline(pipeline_env):
    from classifier import load_model

    if load_model() is None:
        pytest.skip("no classifier model installed")
    daily.sources_to_crawl()
    with session_scope() as session:
        session.add(
            Item(
                url="http://127.0.0.2/c-1.html",
                source_id="bao-mau",
                title="Trường Cao đẳng nghề Lạng Sơn tuyển sinh 1.200 chỉ tiêu đào tạo nghề",
                text="Năm 2026, Trường Cao đẳng nghề tuyển sinh trình độ cao đẳng, trung cấp và sơ cấp nghề.",
            )
        )
    result = daily.run_pipeline(crawl=RecordingCrawl())
    with session_scope() as session:
        item = session.exec(select(Item)).one()
    assert result.classified == 1 and item.model_version and item.zone in ("accept", "review", "reject")
