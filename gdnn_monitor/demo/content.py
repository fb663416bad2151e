"""The demo articles (articles.yaml), dated relative to today so the dashboard of the current year is filled."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from gdnn_monitor.core.textnorm import normalize_inline, normalize_text
from gdnn_monitor.demo.farm.article import FarmArticle

ARTICLES_FILE = Path(__file__).resolve().parent / "articles.yaml"
AUTHORS = ("Minh Anh", "Thu Hà", "Hoàng Long", "Ngọc Lan", "Văn Tuấn", "Phương Thảo")


def demo_articles(now: datetime, tz: ZoneInfo) -> dict[str, list[FarmArticle]]:
    """Articles per demo site ('bao', 'truong', 'tv'), newest first, published `days_ago` before now."""
    records = yaml.safe_load(ARTICLES_FILE.read_text(encoding="utf-8"))["articles"]
    today = now.astimezone(tz).replace(second=0, microsecond=0)
    by_site: dict[str, list[FarmArticle]] = {}
    for key, record in enumerate(records):
        hour, minute = 7 + key % 10, (key * 17) % 60
        published = (today - timedelta(days=int(record["days_ago"]))).replace(hour=hour, minute=minute)
        article = FarmArticle(
            key=key,
            title=normalize_inline(record["title"]),
            sapo=normalize_text(record["sapo"]),
            paragraphs=tuple(normalize_text(p) for p in record["body"]),
            published=published,
            author=AUTHORS[key % len(AUTHORS)],
        )
        by_site.setdefault(record["site"], []).append(article)
    for articles in by_site.values():
        articles.sort(key=lambda a: a.published, reverse=True)
    return by_site
