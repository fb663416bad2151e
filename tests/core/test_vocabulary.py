"""The vocabulary is defined once: every kind counts under a known channel, and no product module spells one of its
codes-with-label again (a second copy is how the source kinds had drifted apart in three places)."""

from __future__ import annotations

import re
from pathlib import Path

from gdnn_monitor.core import vocabulary
from gdnn_monitor.core.vocabulary import (
    CHANNELS,
    CRAWL_KINDS,
    GENRES,
    KINDS,
    MANUAL_CHANNELS,
    METRICS,
    ROLES,
    THEMES,
    ZONES,
    channel_of_kind,
    metric_of_genre,
)

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("gdnn_monitor", "crawlers", "classifier", "store", "web")


def test_every_kind_counts_under_a_channel_with_a_label():
    for kind, entry in KINDS.items():
        assert entry.channel in CHANNELS and entry.label, kind
    assert all(entry.channel in MANUAL_CHANNELS for entry in CRAWL_KINDS.values())
    assert channel_of_kind("zalo") == vocabulary.OTHER_CHANNEL


def test_products_and_events_have_their_own_metric_and_every_other_genre_counts_as_tin_bai():
    assert {metric_of_genre(genre) for genre in GENRES} == set(METRICS)
    assert metric_of_genre("article") == metric_of_genre("video") == vocabulary.DEFAULT_METRIC


def _product_sources() -> list[tuple[Path, str]]:
    files = [ROOT / "scheduler.py"] + [path for name in PRODUCT for path in (ROOT / name).rglob("*.py")]
    return [(path, path.read_text(encoding="utf-8")) for path in files if path.name != "vocabulary.py"]


def test_no_module_spells_a_vocabulary_label_a_second_time():
    labels = {label for table in (CHANNELS, GENRES, THEMES, METRICS, ZONES, ROLES) for label in table.values()}
    labels |= {entry.label for entry in KINDS.values()}
    copies = [
        f"{path.relative_to(ROOT)}: {label!r}"
        for path, text in _product_sources()
        for label in labels
        if re.search(r"[\"']" + re.escape(label) + r"[\"']", text)
    ]
    assert copies == [], "labels defined again outside gdnn_monitor/core/vocabulary.py:\n" + "\n".join(copies)
