"""Scoring extraction against stored pages with expected output (used by the fixture test and the bench script)."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from gdnn_monitor.core.textnorm import normalize_text


def tokens(text: str | None) -> list[str]:
    """Lower-case word tokens of NFC-normalised text (punctuation and layout do not count)."""
    return re.findall(r"\w+", normalize_text(text or "").lower())


def token_f1(predicted: str | None, expected: str | None) -> float:
    """Bag-of-words F1 between extracted and served text, as the crawl acceptance measures it."""
    got, want = Counter(tokens(predicted)), Counter(tokens(expected))
    if not got and not want:
        return 1.0
    common = sum((got & want).values())
    if common == 0:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def same_minute(predicted: datetime | None, expected: str | None) -> bool:
    """Publication time right to the minute (both missing counts as right)."""
    if expected is None or predicted is None:
        return expected is None and predicted is None
    wanted = datetime.fromisoformat(expected)
    return abs((predicted - wanted).total_seconds()) < 60


@dataclass
class Fixture:
    """A stored page and what extraction must return for it (`expected["article"] is False`: must return None)."""

    name: str
    html: bytes
    expected: dict

    @property
    def fetched_url(self) -> str:
        return self.expected.get("fetched_url") or self.expected["url"]

    @property
    def is_article(self) -> bool:
        return self.expected.get("article", True)


def load_fixtures(folder: Path) -> list[Fixture]:
    """Every <name>.html with its <name>.json; a page without an expectation file raises, so none goes untested."""
    fixtures = []
    for page in sorted(folder.glob("*.html")):
        expectation = page.with_suffix(".json")
        if not expectation.exists():
            raise FileNotFoundError(f"{page.name} has no expectation file {expectation.name}")
        fixtures.append(Fixture(page.stem, page.read_bytes(), json.loads(expectation.read_text(encoding="utf-8"))))
    return fixtures
