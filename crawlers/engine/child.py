"""What runs inside the crawler child process: one Scrapy CrawlerProcess, then a final report to the parent."""

from __future__ import annotations

import logging
import resource
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import select

from gdnn_monitor.core.settings import get_settings
from store.db import session_scope
from store.items import known_urls
from store.models import FeedState
from store.registry import SourceConfig
from store.types import utcnow

Emit = Callable[[dict[str, Any]], None]


def _feed_states(urls: list[str]) -> dict[str, dict[str, str | None]]:
    if not urls:
        return {}
    with session_scope() as session:
        rows = session.exec(select(FeedState).where(FeedState.url.in_(urls)))
        return {row.url: {"etag": row.etag, "last_modified": row.last_modified} for row in rows}


def save_feed_states(updates: dict[str, dict[str, Any]], clean_sources: set[str]) -> None:
    """Remember ETag/Last-Modified only for sources whose crawl had no error: otherwise a 304 next time would hide
    the entries whose articles could not be fetched this time."""
    with session_scope() as session:
        for url, update in updates.items():
            if update["source"] not in clean_sources:
                continue
            row = session.get(FeedState, url) or FeedState(url=url)
            row.etag, row.last_modified, row.last_fetched_at = update["etag"], update["last_modified"], utcnow()
            session.add(row)


def _log_file(run_id: str) -> Path:
    settings = get_settings()
    folder = Path(settings.data_dir) / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    prune_crawl_logs(folder, settings.crawl_log_days)
    return folder / f"crawl-{run_id}.log"


def prune_crawl_logs(folder: Path, keep_days: int) -> None:
    """Delete crawl logs older than keep_days: a daily crawl writes one a day, and a provincial server's disk is
    small."""
    cutoff = time.time() - keep_days * 86400
    for path in folder.glob("crawl-*.log"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:  # another process pruned it first, or it is not ours to delete
            continue


def _peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def crawl_in_this_process(job: dict[str, Any], emit: Emit) -> None:
    """Run the spider over job['sources'] and emit a final {'type': 'done', ...} event, even after an error."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from crawlers.engine.settings import scrapy_settings
    from crawlers.engine.spider import CrawlOptions, SourcesSpider

    report: dict[str, Any] = {"type": "done", "sources": {}}
    log_file = _log_file(job["run_id"])
    report["log_file"] = str(log_file)
    try:
        settings = get_settings()
        sources = [SourceConfig.model_validate(s) for s in job["sources"]]
        since = datetime.fromisoformat(job["since"]) if job.get("since") else None
        with session_scope() as session:
            known = known_urls(session, [s.id for s in sources])
        options = CrawlOptions(
            since=since,
            listing_depth=settings.listing_depth,
            max_pages=settings.max_pages_per_source,
            facebook_token=settings.facebook_token,
            facebook_graph_url=settings.facebook_graph_url,
            tz=settings.tz,
            distributed=job.get("distributed", False),
            feed_states=_feed_states([url for s in sources for url in s.feeds]),
            known=known,
        )
        scrapy_config = scrapy_settings(settings, sources, distributed=options.distributed, log_level="INFO")
        scrapy_config.update({"LOG_FILE": str(log_file), "LOG_FILE_APPEND": False})
        process = CrawlerProcess(scrapy_config)
        crawler = process.create_crawler(SourcesSpider)

        def closed(spider: SourcesSpider, reason: str) -> None:
            stats = {sid: s.as_dict() for sid, s in spider.stats_by_source.items()}
            report.update(
                sources=stats,
                extract_seconds=spider.extract_seconds,
                extract_count=spider.extract_count,
                store_seconds=spider.store_seconds,
                close_reason=reason,
            )
            clean = {sid for sid, s in spider.stats_by_source.items() if s.errors == 0}
            try:
                save_feed_states(spider.feed_updates, clean)
            except Exception as exc:  # losing conditional-GET state only costs a full fetch next time
                logging.getLogger(__name__).warning("could not save feed states: %s", exc)

        crawler.signals.connect(closed, signal=signals.spider_closed)
        process.crawl(crawler, sources=sources, options=options, reporter=emit)
        process.start()
    except Exception as exc:  # reported to the parent, which records the run as failed with this error
        logging.getLogger(__name__).exception("crawl failed")
        report["error"] = f"{type(exc).__name__}: {exc}"
    report["peak_rss_bytes"] = _peak_rss_bytes()
    emit(report)
