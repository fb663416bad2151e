"""Write the model's decisions onto stored items, keeping every decision in the Classification history."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from classifier.model import GdnnModel, Prediction

BATCH = 256


def item_input(item) -> dict:
    """What the model reads from a stored item: the headline, the body (or the summary of a short post) and the
    channel it was published on (the activity group of an item that names no activity)."""
    return {"title": item.title or "", "text": item.text or item.summary or "", "channel": item.channel}


def apply_prediction(session, item, prediction: Prediction, version: str) -> None:
    """Update the item's current decision and append the same decision to its history."""
    from store.models import Classification

    explanation = json.dumps(prediction.explanation, ensure_ascii=False)
    item.gdnn_score = prediction.gdnn_score
    item.gdnn = prediction.gdnn
    item.theme = prediction.theme
    item.activity_group = prediction.activity_group
    item.zone = prediction.zone
    item.explanation = explanation
    item.tone = prediction.tone
    item.tone_phrases = json.dumps(prediction.tone_phrases, ensure_ascii=False) if prediction.tone else None
    item.model_version = version
    session.add(item)
    session.add(
        Classification(
            item_id=item.id,
            model_version=version,
            score=prediction.gdnn_score,
            label=prediction.gdnn,
            theme=prediction.theme,
            activity_group=prediction.activity_group,
            zone=prediction.zone,
            explanation=explanation,
            tone=prediction.tone,
        )
    )


def classify_items(session, items: Iterable, model: GdnnModel, progress: Callable[[int], None] | None = None) -> int:
    """Classify store Items in batches (the caller's session commits); returns how many were classified."""
    items = list(items)
    for start in range(0, len(items), BATCH):
        batch = items[start : start + BATCH]
        for item, prediction in zip(batch, model.predict([item_input(i) for i in batch])):
            apply_prediction(session, item, prediction, model.version)
        session.flush()
        if progress is not None:
            progress(len(batch))
    return len(items)
