"""Comparing what the crawler stored with what the farm served: recall, duplicates, titles, body F1, dates."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from gdnn_monitor.core.textnorm import normalize_text
from gdnn_monitor.demo.farm.sites import Expected
from store.models import Item
from tests.crawlers.farm.corpus import TZ

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str | None) -> list[str]:
    return _TOKEN.findall(normalize_text(text or "").lower())


def token_f1(found: str | None, served: str) -> float:
    got, want = Counter(tokens(found)), Counter(tokens(served))
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def date_right(item: Item, expected: Expected) -> bool:
    if item.published_at is None:
        return False
    if expected.has_time:
        return abs((item.published_at - expected.published).total_seconds()) < 60
    return item.published_at.astimezone(TZ).date() == expected.published.date()


@dataclass
class Quality:
    expected: int
    found: int
    recall: float
    duplicates: list[str]
    unexpected: list[str]
    title_exact: float
    mean_body_f1: float
    bodies_below: list[tuple[str, float]]
    date_exact: float
    wrong_dates: list[tuple[str, object, object]]
    wrong_titles: list[tuple[str, str]]

    def line(self) -> str:
        return (
            f"recall {self.recall:.3f} ({self.found}/{self.expected}), duplicates {len(self.duplicates)}, "
            f"non-articles {len(self.unexpected)}, title exact {self.title_exact:.3f}, "
            f"body F1 mean {self.mean_body_f1:.3f}, date exact {self.date_exact:.3f}"
        )


def compare(items: list[Item], expected: list[Expected], f1_floor: float = 0.95) -> Quality:
    """Each stored item is matched to the served article at its URL (or one of the page's alias URLs)."""
    truth = {e.url: e for e in expected}
    owner = {url: e.url for e in expected for url in (e.url, *e.aliases)}
    placed = Counter(owner.get(item.url, item.url) for item in items)
    matched = [(item, truth[owner[item.url]]) for item in items if item.url in owner]
    f1s = [(e.url, token_f1(item.text, e.body)) for item, e in matched]
    wrong_dates = [(e.url, item.published_at, e.published) for item, e in matched if not date_right(item, e)]
    wrong_titles = [(item.title, e.title) for item, e in matched if item.title != e.title]
    found = len({e.url for _item, e in matched})
    count = max(len(matched), 1)
    return Quality(
        expected=len(truth),
        found=found,
        recall=found / max(len(truth), 1),
        duplicates=[url for url, n in placed.items() if n > 1],
        unexpected=sorted(item.url for item in items if item.url not in owner),
        title_exact=1 - len(wrong_titles) / count,
        mean_body_f1=sum(f for _, f in f1s) / count,
        bodies_below=[(url, round(f, 3)) for url, f in f1s if f < f1_floor],
        date_exact=1 - len(wrong_dates) / count,
        wrong_dates=wrong_dates,
        wrong_titles=wrong_titles,
    )
