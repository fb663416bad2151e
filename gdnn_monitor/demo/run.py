"""Start the demo sites, crawl and classify them into the demo database, fill the dashboard, serve the web app."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import yaml

DEMO_USER = "canbo"


@dataclass
class DemoSetup:
    database_url: str
    sources_file: Path
    password: str
    items: int
    classified: int


def demo_sites(now: datetime, tz):
    """Three CMS families of the farm, renamed for the demo, serving the demo articles."""
    from gdnn_monitor.demo.content import demo_articles
    from gdnn_monitor.demo.farm.sites import ProvincialPaper, TvStation, WordPressCollege

    articles = demo_articles(now, tz)
    paper, college, tv = (
        ProvincialPaper(articles["bao"]),
        WordPressCollege(articles["truong"]),
        TvStation(articles["tv"]),
    )
    for site, source_id, name in (
        (paper, "demo-bao-tinh", "Báo Tỉnh (trang mẫu)"),
        (college, "demo-truong-cao-dang", "Trường Cao đẳng Tỉnh (trang mẫu)"),
        (tv, "demo-truyen-hinh", "Đài PT-TH Tỉnh (trang mẫu)"),
    ):
        site.source_id, site.name = source_id, name
    return [paper, college, tv]


@contextmanager
def running_sites(sites) -> Iterator[list]:
    from gdnn_monitor.demo.farm.server import SiteServer

    servers = [SiteServer(site, site.ip).start() for site in sites]
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()


def use_demo_environment(demo_dir: Path, sources_file: Path) -> str:
    """Point this process (and the crawler child it spawns) at the demo database and sources, never the real ones."""
    from gdnn_monitor.core.settings import get_settings
    from store.db import reset_engines

    database_url = f"sqlite:///{demo_dir / 'demo.sqlite3'}"
    os.environ.update(
        {
            "GDNN_DATABASE_URL": database_url,
            "GDNN_SOURCES": str(sources_file),
            "GDNN_DATA_DIR": str(demo_dir),
            "GDNN_DOWNLOAD_DELAY": "0",
            "GDNN_FACEBOOK_TOKEN": "",
            "GDNN_REDIS_URL": "",
        }
    )
    get_settings.cache_clear()
    reset_engines()
    return database_url


def fresh_demo_dir(base: Path) -> Path:
    demo_dir = base / "demo"
    if demo_dir.exists():
        shutil.rmtree(demo_dir)
    demo_dir.mkdir(parents=True)
    return demo_dir


def fill_officer_data(now: datetime, tz) -> str:
    """A reviewer account, this year's targets, a few reviews and manual entries, as an officer would have made."""
    from sqlmodel import select

    from gdnn_monitor.core.vocabulary import METRICS
    from store.db import session_scope
    from store.manual import ManualEntry, create_manual_entry
    from store.models import Item, KpiTarget
    from store.reviews import Decision, decide
    from store.users import create_user

    password = secrets.token_urlsafe(9)
    year = now.astimezone(tz).year
    with session_scope() as session:
        create_user(session, DEMO_USER, "reviewer", password)
        create_user(session, "quantri", "admin", secrets.token_urlsafe(12))
        session.add(KpiTarget(year=year, metric="tin_bai", target=50, label="Tin, bài, ảnh, phóng sự về GDNN"))
        session.add(KpiTarget(year=year, metric="san_pham", target=1000, label=METRICS["san_pham"]))
    with session_scope() as session:
        queue = session.exec(select(Item).where(Item.zone == "review").order_by(Item.gdnn_score.desc())).all()
        for item in queue[:2]:
            decide(session, item.id, DEMO_USER, Decision("confirmed", note="Đã xem bài gốc (demo)"))
    today = now.astimezone(tz).date()
    entries = [
        ManualEntry(
            title="Tờ rơi tuyển sinh trung cấp, cao đẳng năm học mới",
            day=today - timedelta(days=12),
            channel="an_pham",
            genre="product",
            quantity=600,
            theme="tuyen_sinh",
            note="In và phát tại 20 trường THCS (demo)",
        ),
        ManualEntry(
            title="Chương trình phát thanh: Học nghề - con đường lập nghiệp",
            day=today - timedelta(days=30),
            channel="phat_thanh_truyen_hinh",
            genre="broadcast",
            quantity=1,
            theme="tuyen_sinh",
        ),
    ]
    with session_scope() as session:
        for entry in entries:
            create_manual_entry(session, DEMO_USER, entry)
    return password


def prepare_demo(base: Path, echo=click.echo) -> DemoSetup:
    """Everything before the web app starts: sites up, crawl, classify, officer data. Returns what to print."""
    from sqlmodel import func, select

    from gdnn_monitor.core.settings import get_settings
    from gdnn_monitor.pipeline.crawl import run_crawl
    from store.db import session_scope
    from store.models import Item

    tz = get_settings().tz
    now = datetime.now(UTC)
    demo_dir = fresh_demo_dir(base)
    sites = demo_sites(now, tz)
    with running_sites(sites):
        sources_file = demo_dir / "sources.yaml"
        sources_file.write_text(
            yaml.safe_dump({"sources": [site.source_entry() for site in sites]}, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        database_url = use_demo_environment(demo_dir, sources_file)
        echo(f"Đã dựng {len(sites)} trang tin mẫu trên máy: " + ", ".join(site.base for site in sites))
        echo("Đang thu thập và phân loại (crawling and classifying)…")
        summary = run_crawl(trigger="demo")
    for result in summary.sources:
        echo(f"  {result.source_id:<24} {result.pages:>4} trang  {result.new_items:>3} tin mới  {result.errors} lỗi")
    if summary.classify_note:
        echo(f"  {summary.classify_note}")
    password = fill_officer_data(now, tz)
    with session_scope() as session:
        items = session.exec(select(func.count()).select_from(Item)).one()
        classified = session.exec(select(func.count()).select_from(Item).where(Item.zone.is_not(None))).one()
    return DemoSetup(database_url, sources_file, password, items, classified)
