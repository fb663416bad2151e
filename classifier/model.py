"""The shipped GDNN model: relevance score, label, zone, theme, activity group and an explanation per item."""

from __future__ import annotations

import re
import threading
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import joblib
import numpy as np
import sklearn

from classifier.features import join_item
from classifier.keywords import infer_activity_group

SHIPPED_MODEL = Path(__file__).resolve().parent / "gdnn_model.joblib"
MAX_EXPLANATION = 5
_PREFIX = "t:"


class ModelError(RuntimeError):
    """The model file is missing or unreadable; the message says which file and what to do."""


@dataclass
class Prediction:
    """What the classifier says about one item (theme only for GDNN items)."""

    gdnn_score: float
    gdnn: bool
    zone: str
    theme: str | None = None
    activity_group: int | None = None
    explanation: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Thresholds:
    """Score cut-offs chosen on out-of-fold predictions: reject < reject_below <= review < accept_from <= accept."""

    gdnn: float
    accept_from: float
    reject_below: float

    def zone(self, score: float) -> str:
        if score >= self.accept_from:
            return "accept"
        if score < self.reject_below:
            return "reject"
        return "review"


@dataclass
class GdnnModel:
    """A fitted relevance pipeline, a theme pipeline, the thresholds and the numbers measured when it was trained."""

    relevance: object
    theme_model: object | None
    thresholds: Thresholds
    version: str
    explain_weights: np.ndarray
    feature_names: np.ndarray
    metrics: dict = field(default_factory=dict)
    sklearn_version: str = sklearn.__version__

    def scores(self, items: list[dict]) -> np.ndarray:
        """Calibrated GDNN probabilities for items with 'title' and 'text'."""
        if not items:
            return np.zeros(0)
        return self.relevance.predict_proba([_document(item) for item in items])[:, 1]

    def predict(self, items: list[dict]) -> list[Prediction]:
        """Score, label, zone, theme, activity group and explanation for each item, in order."""
        if not items:
            return []
        documents = [_document(item) for item in items]
        features = self.relevance.named_steps["features"].transform(documents)
        scores = self.relevance.named_steps["svm"].predict_proba(features)[:, 1]
        labels = scores >= self.thresholds.gdnn
        themes = self._themes(documents, labels)
        predictions = []
        for row, (item, score, label) in enumerate(zip(items, scores, labels)):
            title, text = item.get("title") or "", item.get("text") or ""
            predictions.append(Prediction(
                gdnn_score=round(float(score), 4), gdnn=bool(label), zone=self.thresholds.zone(float(score)),
                theme=themes[row], activity_group=infer_activity_group(title, text) if label else None,
                explanation=self._explain(features[row], title, text, positive=bool(label)),
            ))
        return predictions

    def _themes(self, documents: list[str], labels: np.ndarray) -> list[str | None]:
        themes: list[str | None] = [None] * len(documents)
        chosen = np.flatnonzero(labels)
        if self.theme_model is not None and len(chosen):
            for row, theme in zip(chosen, self.theme_model.predict([documents[i] for i in chosen])):
                themes[row] = str(theme)
        return themes

    def _explain(self, feature_row, title: str, text: str, positive: bool) -> list[str]:
        """The n-grams that pushed the score most in the decided direction, as they are written in the item."""
        row = feature_row.tocsr() if hasattr(feature_row, "tocsr") else feature_row
        indices, values = row.indices, row.data
        contributions = values * self.explain_weights[indices]
        if not positive:
            contributions = -contributions
        phrases: list[str] = []
        for position in np.argsort(-contributions):
            if contributions[position] <= 0 or len(phrases) >= MAX_EXPLANATION:
                break
            name = str(self.feature_names[indices[position]])
            surface = _surface(name, title, text)
            if surface and not any(surface.lower() in p.lower() or p.lower() in surface.lower() for p in phrases):
                phrases.append(surface)
        return phrases

    def save(self, path: Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path, compress=3)
        return path


def _document(item: dict) -> str:
    return join_item(item.get("title") or "", item.get("text") or "")


def _surface(feature: str, title: str, text: str) -> str | None:
    """Find a syllable n-gram feature in the item and return it with the item's own case and spacing."""
    if feature.startswith("lex:"):
        return None
    in_title = feature.startswith(_PREFIX)
    syllables = feature[len(_PREFIX):].split(" ") if in_title else feature.split(" ")
    if "|" in syllables or any(s.isdigit() for s in syllables):
        return None
    pattern = re.compile(r"(?<!\w)" + r"[\W_]+".join(re.escape(s) for s in syllables) + r"(?!\w)", re.IGNORECASE)
    for haystack in ((title,) if in_title else (title, text)):
        match = pattern.search(haystack)
        if match:
            return match.group(0)
    return None


_cache: dict[tuple[Path, float], GdnnModel] = {}
_cache_lock = threading.Lock()


def trained_model_path() -> Path:
    """Where a locally trained model lives: GDNN_MODEL_PATH, else gdnn_model.joblib in the data directory."""
    from gdnn_monitor.settings import get_settings

    settings = get_settings()
    return Path(settings.model_path or Path(settings.data_dir) / SHIPPED_MODEL.name).expanduser()


def default_model_path() -> Path:
    """GDNN_MODEL_PATH if set; else a model trained here (e.g. with reviews) if present; else the shipped one."""
    from gdnn_monitor.settings import get_settings

    if get_settings().model_path:
        return Path(get_settings().model_path).expanduser()
    local = trained_model_path()
    return local if local.is_file() else SHIPPED_MODEL


def load_model(path: Path | str | None = None) -> GdnnModel:
    """Load (once per process, path and file version) the model; a clear ModelError if the file is missing or not a model."""
    resolved = Path(path or default_model_path()).expanduser().resolve()
    if not resolved.is_file():
        raise ModelError(f"model file {resolved} not found; train one with `gdnn-monitor classifier train -o "
                         f"{resolved}` or unset GDNN_MODEL_PATH to use the shipped model")
    key = (resolved, resolved.stat().st_mtime)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module="sklearn")
            try:
                model = joblib.load(resolved)
            except Exception as exc:
                raise ModelError(f"cannot read the model file {resolved}: {exc}") from exc
        if not isinstance(model, GdnnModel):
            raise ModelError(f"{resolved} is not a GDNN model file")
        if model.sklearn_version != sklearn.__version__:
            warnings.warn(f"model {model.version} was trained with scikit-learn {model.sklearn_version}, running "
                          f"{sklearn.__version__}; retrain if predictions look wrong", RuntimeWarning, stacklevel=2)
        _cache[key] = model
        return model
