"""Article texts for the farm: real Vietnamese news from the shared corpus when it is there (read by path, never
copied into the repository), else the short fixtures written for these tests."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from gdnn_monitor.textnorm import normalize_inline, normalize_text

SHARED_CORPUS = Path(__file__).resolve().parents[4] / "shared" / "data" / "raw" / "baomoi_vn_news_magizbox" / \
    "baomoi_subset.jsonl"
FIXTURE_CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "farm" / "articles.jsonl"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ])")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class FarmArticle:
    key: int
    title: str
    sapo: str
    paragraphs: tuple[str, ...]
    published: datetime
    author: str

    @property
    def body(self) -> str:
        """The text a reader sees: lead, then paragraphs."""
        return "\n".join((self.sapo, *self.paragraphs))

    @property
    def slug(self) -> str:
        return slugify(self.title)


def slugify(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _SLUG_DROP.sub("-", text).strip("-")[:80].rstrip("-")


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
    path = SHARED_CORPUS if SHARED_CORPUS.exists() else FIXTURE_CORPUS
    records: list[dict] = []
    seen_titles: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            title = normalize_inline(record.get("title"))
            if path == SHARED_CORPUS and not _usable(record) or title in seen_titles:
                continue
            seen_titles.add(title)
            records.append(record)
            if len(records) >= limit:
                break
    return records


def load_articles(count: int, max_chars: int = 1400, start: datetime | None = None) -> list[FarmArticle]:
    """`count` distinct articles, newest first, one every 7 h 13 min back from `start` (times at odd minutes)."""
    start = start or datetime(2024, 6, 20, 16, 45, tzinfo=TZ)
    records = _records(count)
    articles = []
    for index, record in enumerate(records):
        text = record.get("text") or ""
        paragraphs = _paragraphs(text, max_chars) if isinstance(text, str) else tuple(record["paragraphs"])
        articles.append(FarmArticle(
            key=index, title=normalize_inline(record["title"]), sapo=normalize_text(record.get("sapo") or ""),
            paragraphs=tuple(normalize_text(p) for p in paragraphs),
            published=start - timedelta(hours=7 * index, minutes=13 * index),
            author=AUTHORS[index % len(AUTHORS)],
        ))
    if len(articles) < count:
        raise RuntimeError(f"the farm corpus {SHARED_CORPUS if SHARED_CORPUS.exists() else FIXTURE_CORPUS} has only "
                           f"{len(articles)} usable articles, {count} needed")
    return articles
