"""Article texts for the farm: real Vietnamese news from the shared corpus when it is there (read by path, never
copied into the repository), else the short fixtures written for these tests."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timedelta
from pathlib import Path

from gdnn_monitor.core.textnorm import normalize_inline, normalize_text
from gdnn_monitor.demo.farm.article import TZ, FarmArticle, slugify  # noqa: F401  (re-exported for the tests)

SHARED_CORPUS = (
    Path(__file__).resolve().parents[4] / "shared" / "data" / "raw" / "baomoi_vn_news_magizbox" / "baomoi_subset.jsonl"
)
FIXTURE_CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "farm" / "articles.jsonl"
# GDNN_TEST_FARM_FIXTURES=1 runs the farm on the fixtures even where the shared corpus exists (to test that path).
USE_SHARED = SHARED_CORPUS.exists() and not os.environ.get("GDNN_TEST_FARM_FIXTURES")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ])")


def _paragraphs(text: str, max_chars: int) -> tuple[str, ...]:
    sentences = [s.strip() for s in _SENTENCE_END.split(normalize_inline(text)) if s.strip()]
    paragraphs: list[str] = []
    current: list[str] = []
    total = 0
    for sentence in sentences:
        current.append(sentence)
        if len(current) == 3:
            paragraphs.append(" ".join(current))
            total += len(paragraphs[-1])
            current = []
            if total >= max_chars:
                break
    if current and total < max_chars:
        paragraphs.append(" ".join(current))
    return tuple(paragraphs)


def _usable(record: dict) -> bool:
    title, sapo, text = record.get("title") or "", record.get("sapo") or "", record.get("text") or ""
    return 25 <= len(title) <= 140 and 60 <= len(sapo) <= 400 and len(text) >= 900 and "http" not in text


AUTHORS = ("Minh Anh", "Thu Hà", "Hoàng Long", "Ngọc Lan", "Văn Tuấn", "Phương Thảo", "Đức Mạnh", "Hải Yến")


def _records(limit: int) -> list[dict]:
    """The first `limit` usable records of the shared corpus, or the fixtures stretched into series ('Bài 2: …')."""
    if not USE_SHARED:
        return _fixture_records(limit)
    records: list[dict] = []
    seen_titles: set[str] = set()
    with SHARED_CORPUS.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            title = normalize_inline(record.get("title"))
            if not _usable(record) or title in seen_titles:
                continue
            seen_titles.add(title)
            records.append(record)
            if len(records) >= limit:
                break
    return records


def _fixture_records(limit: int) -> list[dict]:
    """Without the shared corpus: the hand-written fixtures, then follow-up pieces built from them (another
    order of paragraphs plus one paragraph of a different article), so every page still has its own text."""
    base = [json.loads(line) for line in FIXTURE_CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = []
    for index in range(limit):
        record, series = base[index % len(base)], index // len(base)
        if series == 0:
            records.append(record)
            continue
        paragraphs = record["paragraphs"][series % 3 :] + record["paragraphs"][: series % 3]
        borrowed = base[(index + series) % len(base)]["paragraphs"][series % 3]
        records.append(
            {
                "title": f"Bài {series + 1}: {record['title']}",
                "sapo": record["sapo"],
                "paragraphs": paragraphs + [borrowed],
            }
        )
    return records


def load_articles(count: int, max_chars: int = 1400, start: datetime | None = None) -> list[FarmArticle]:
    """`count` distinct articles, newest first, one every 7 h 13 min back from `start` (times at odd minutes)."""
    start = start or datetime(2024, 6, 20, 16, 45, tzinfo=TZ)
    records = _records(count)
    articles = []
    for index, record in enumerate(records):
        paragraphs = tuple(record["paragraphs"]) if "paragraphs" in record else _paragraphs(record["text"], max_chars)
        articles.append(
            FarmArticle(
                key=index,
                title=normalize_inline(record["title"]),
                sapo=normalize_text(record.get("sapo") or ""),
                paragraphs=tuple(normalize_text(p) for p in paragraphs),
                published=start - timedelta(hours=7 * index, minutes=13 * index),
                author=AUTHORS[index % len(AUTHORS)],
            )
        )
    if len(articles) < count:
        raise RuntimeError(f"the farm corpus {SHARED_CORPUS} has only {len(articles)} usable articles, {count} needed")
    return articles
