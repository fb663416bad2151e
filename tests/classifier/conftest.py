"""Fixtures for the classifier tests: the shipped model and hand-written Vietnamese examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "classifier"
EXAMPLES = FIXTURES / "examples.jsonl"


def read_examples() -> list[dict]:
    with EXAMPLES.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="session")
def examples() -> list[dict]:
    """12 clear GDNN items (two per theme) and 12 clear non-GDNN items from the guide's exclusion list."""
    return read_examples()


@pytest.fixture(scope="session")
def shipped_model():
    from classifier.model import SHIPPED_MODEL, load_model

    return load_model(SHIPPED_MODEL)
