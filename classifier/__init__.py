"""GDNN relevance classifier: score, label, zone, theme, activity group and explanation for Vietnamese items.

Names are imported lazily so `gdnn-monitor --help` does not pay for loading scikit-learn.
"""

from __future__ import annotations

_EXPORTS = {
    "classify_items": "classifier.apply",
    "GdnnModel": "classifier.model",
    "ModelError": "classifier.model",
    "Prediction": "classifier.model",
    "Thresholds": "classifier.model",
    "load_model": "classifier.model",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'classifier' has no attribute {name!r}")
