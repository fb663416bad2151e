"""Evaluate a model on labelled items: relevance metrics, confusion matrix, zones and theme accuracy."""

from __future__ import annotations

import numpy as np

from classifier.data import Example
from classifier.model import GdnnModel
from classifier.train import binary_metrics, zone_report


def evaluate(model: GdnnModel, examples: list[Example]) -> dict:
    predictions = model.predict([e.as_item() for e in examples])
    labels = np.array([e.gdnn for e in examples], dtype=int)
    predicted = np.array([p.gdnn for p in predictions], dtype=int)
    scores = np.array([p.gdnn_score for p in predictions])
    themed = [(e.theme, p.theme) for e, p in zip(examples, predictions) if e.gdnn == 1 and e.theme and p.gdnn]
    return {
        "model": model.version,
        "relevance": binary_metrics(labels, predicted),
        "zones": zone_report(labels, scores, model.thresholds),
        "theme_accuracy": round(sum(t == p for t, p in themed) / len(themed), 4) if themed else None,
        "theme_evaluated": len(themed),
    }


def format_report(result: dict) -> str:
    r, c = result["relevance"], result["relevance"]["confusion"]
    lines = [
        f"model {result['model']} on {r['n']} items",
        f"precision {r['precision']:.3f}  recall {r['recall']:.3f}  F1 {r['f1']:.3f}",
        "confusion matrix (rows = truth, columns = predicted):",
        "             pred 0  pred 1",
        f"  truth 0  {c['tn']:7d} {c['fp']:7d}",
        f"  truth 1  {c['fn']:7d} {c['tp']:7d}",
        "zones:",
    ]
    for zone, entry in result["zones"].items():
        precision = "-" if entry["precision"] is None else f"{entry['precision']:.3f}"
        lines.append(
            f"  {zone:7s} {entry['items']:6d} items, {entry['positives']:5d} GDNN (precision {precision}, "
            f"{entry['share_of_positives']:.1%} of GDNN items)"
        )
    if result["theme_accuracy"] is not None:
        lines.append(
            f"theme accuracy {result['theme_accuracy']:.3f} on {result['theme_evaluated']} GDNN items "
            "labelled and predicted GDNN"
        )
    return "\n".join(lines)
