"""The shipped GDNN model: relevance score, label, zone, theme, activity group and an explanation per item."""

from __future__ import annotations

import re
import threading
import warnings
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn

from classifier.features import LEAD_CHARS, has_vocational_cue, join_item, lexicon_pattern
from classifier.keywords import infer_activity_group
from classifier.tone import detect_tone

SHIPPED_MODEL = Path(__file__).resolve().parent / "gdnn_model.joblib"
MAX_EXPLANATION = 5
EXPLAIN_CANDIDATES = 25
EXPLAIN_MIN_SHARE = 0.15
_PREFIX = "t:"


class ModelError(RuntimeError):
    """The model file is missing or unreadable; the message says which file and what to do."""


@dataclass
class Prediction:
    """What the classifier says about one item. Outside the reject zone, theme, activity group and explanation speak
    for GDNN (for a review-zone item: the suggestion an officer weighs); in the reject zone the explanation says
    what argued against it. Bad news about a vocational school (tone 'negative', with the phrases that say so) is
    never in the accept zone: an officer decides whether it counts."""

    gdnn_score: float
    gdnn: bool
    zone: str
    theme: str | None = None
    activity_group: int | None = None
    explanation: list[str] = field(default_factory=list)
    tone: str | None = None
    tone_phrases: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Thresholds:
    """Score cut-offs chosen on out-of-fold predictions: reject < reject_below <= review < accept_from <= accept.
    An item whose headline and lead carry no vocational cue at all is also rejected below reject_without_cue_below
    (higher): a low score with a vocational word in the lead is worth an officer's look, one without is not."""

    gdnn: float
    accept_from: float
    reject_below: float
    reject_without_cue_below: float | None = None

    def zone(self, score: float, vocational_cue: bool = True) -> str:
        if score >= self.accept_from:
            return "accept"
        if score < self.reject_below:
            return "reject"
        without_cue = getattr(self, "reject_without_cue_below", None)
        if not vocational_cue and without_cue is not None and score < without_cue:
            return "reject"
        return "review"


@dataclass
class GdnnModel:
    """A fitted relevance pipeline, a theme pipeline, the thresholds and the numbers measured when it was trained."""

    relevance: Any  # a fitted scikit-learn Pipeline (features + calibrated SVM)
    theme_model: Any | None
    thresholds: Thresholds
    version: str
    explain_weights: np.ndarray
    metrics: dict = field(default_factory=dict)
    sklearn_version: str = sklearn.__version__
    _feature_names: np.ndarray | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict:
        """Feature names are rebuilt from the vectoriser on demand: not storing them keeps the file small."""
        return {**self.__dict__, "_feature_names": None}

    @property
    def feature_names(self) -> np.ndarray:
        if self._feature_names is None:
            names = self.relevance.named_steps["features"].get_feature_names_out()
            self._feature_names = np.array([n.split("__", 1)[1] if "__" in n else n for n in names], dtype=object)
        return self._feature_names

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
        zones = [
            self.thresholds.zone(float(score), has_vocational_cue(document))
            for score, document in zip(scores, documents)
        ]
        candidates = np.array([zone != "reject" for zone in zones], dtype=bool)
        themes = self._themes(documents, candidates)
        predictions = []
        for row, (item, score, label, zone) in enumerate(zip(items, scores, labels, zones)):
            title, text = item.get("title") or "", item.get("text") or ""
            tone = detect_tone(title, text) if candidates[row] else None
            predictions.append(
                Prediction(
                    gdnn_score=round(float(score), 4),
                    gdnn=bool(label),
                    zone=review_if_negative(zone, tone),
                    theme=themes[row],
                    activity_group=infer_activity_group(title, text, item.get("channel")) if candidates[row] else None,
                    explanation=self._explain(features[row], title, text, positive=bool(candidates[row])),
                    tone=tone.tone if tone else None,
                    tone_phrases=tone.phrases if tone else [],
                )
            )
        return predictions

    def _themes(self, documents: list[str], wanted: np.ndarray) -> list[str | None]:
        themes: list[str | None] = [None] * len(documents)
        chosen = np.flatnonzero(wanted)
        if self.theme_model is not None and len(chosen):
            for row, theme in zip(chosen, self.theme_model.predict([documents[i] for i in chosen])):
                themes[row] = str(theme)
        return themes

    def _explain(self, feature_row, title: str, text: str, positive: bool) -> list[str]:
        """The phrases that pushed the score most towards GDNN (positive) or away from it, as written in the item
        (overlapping n-grams are merged, so "trường", "trung cấp", "cấp nghề" become "trường trung cấp nghề")."""
        row = feature_row.tocsr() if hasattr(feature_row, "tocsr") else feature_row
        contributions = row.data * self.explain_weights[row.indices]
        if not positive:
            contributions = -contributions
        top = np.argsort(-contributions)[:EXPLAIN_CANDIDATES]
        haystacks = (title, text)
        lowered = (title.lower(), text.lower())
        spans: list[tuple[int, int, int, float]] = []
        for position in top:
            if contributions[position] <= 0:
                break
            found = _locate(str(self.feature_names[row.indices[position]]), title, text, lowered)
            if found is not None:
                spans.append((*found, float(contributions[position])))
        phrases = _merge_spans(spans, haystacks)
        if not phrases:
            return []
        floor = phrases[0][1] * EXPLAIN_MIN_SHARE
        return [phrase for phrase, weight in phrases[:MAX_EXPLANATION] if weight >= floor]

    def save(self, path: Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path, compress=3)
        return path


def review_if_negative(zone: str, tone) -> str:
    """A negative item the score would accept goes to review instead (GUIDE.md ruling 4: the officer decides)."""
    return "review" if zone == "accept" and tone is not None and tone.negative else zone


def _document(item: dict) -> str:
    return join_item(item.get("title") or "", item.get("text") or "")


@lru_cache(maxsize=4096)
def _term_pattern(syllables: tuple[str, ...]) -> re.Pattern[str]:
    """Syllables separated by any punctuation or spacing, case-insensitive."""
    return re.compile(r"(?<!\w)" + r"[\W_]+".join(re.escape(s) for s in syllables) + r"(?!\w)", re.IGNORECASE)


def _find(syllables: list[str], haystack: str, lowered: str) -> tuple[int, int] | None:
    """Plain substring search on the lower-cased text first (fast); the regex only when punctuation intervenes."""
    needle = " ".join(syllables)
    start = lowered.find(needle)
    while start != -1 and len(lowered) == len(haystack):
        end = start + len(needle)
        if (start == 0 or not lowered[start - 1].isalnum()) and (end == len(lowered) or not lowered[end].isalnum()):
            return start, end
        start = lowered.find(needle, start + 1)
    match = _term_pattern(tuple(syllables)).search(haystack) if len(syllables) > 1 else None
    return (match.start(), match.end()) if match else None


def _locate(feature: str, title: str, text: str, lowered: tuple[str, str]) -> tuple[int, int, int] | None:
    """(0 = title / 1 = text, start, end) of the first place the feature's words occur, or None."""
    if feature.startswith(("theme:", "rule:")):
        return None
    if feature.startswith("lex:"):
        _, group, kind = feature.split(":")
        pattern = lexicon_pattern(group)
        places = ((0, title),) if kind == "title" else ((0, title), (1, text[:LEAD_CHARS] if kind == "lead" else text))
        for where, haystack in places:
            match = pattern.search(haystack)
            if match:
                return where, match.start(), match.end()
        return None
    in_title = feature.startswith(_PREFIX)
    syllables = feature[len(_PREFIX) :].split(" ") if in_title else feature.split(" ")
    if "|" in syllables or any(s.isdigit() for s in syllables):
        return None
    for where in (0,) if in_title else (0, 1):
        found = _find(syllables, (title, text)[where], lowered[where])
        if found:
            return where, *found
    return None


def _merge_spans(spans: list[tuple[int, int, int, float]], haystacks: tuple[str, str]) -> list[tuple[str, float]]:
    """Join spans that overlap or touch (only spaces/punctuation between), add their weights, strongest first."""
    merged: list[list] = []
    for where, start, end, weight in sorted(spans):
        last = merged[-1] if merged else None
        if last and last[0] == where and start <= last[2] + 1 and not haystacks[where][last[2] : start].strip(" -"):
            last[2] = max(last[2], end)
            last[3] += weight
        else:
            merged.append([where, start, end, weight])
    best: dict[str, tuple[str, float]] = {}
    for where, start, end, weight in merged:
        phrase = haystacks[where][start:end].strip(" -,.")
        key = phrase.lower()
        if phrase and (key not in best or best[key][1] < weight):
            best[key] = (phrase, weight)
    return sorted(best.values(), key=lambda pair: -pair[1])


_cache: dict[tuple[Path, float], GdnnModel] = {}
_cache_lock = threading.Lock()


def trained_model_path() -> Path:
    """Where a locally trained model lives: GDNN_MODEL_PATH, else gdnn_model.joblib in the data directory."""
    from gdnn_monitor.core.settings import get_settings

    settings = get_settings()
    return Path(settings.model_path or Path(settings.data_dir) / SHIPPED_MODEL.name).expanduser()


def default_model_path() -> Path:
    """GDNN_MODEL_PATH if set; else a model trained here (e.g. with reviews) if present; else the shipped one."""
    from gdnn_monitor.core.settings import get_settings

    configured = get_settings().model_path
    if configured:
        return Path(configured).expanduser()
    local = trained_model_path()
    return local if local.is_file() else SHIPPED_MODEL


def load_model(path: Path | str | None = None) -> GdnnModel:
    """Load (once per process, path and file version) the model; a clear ModelError if the file is missing or not a
    model."""
    resolved = Path(path or default_model_path()).expanduser().resolve()
    if not resolved.is_file():
        raise ModelError(
            f"model file {resolved} not found; train one with `gdnn-monitor classifier train -o "
            f"{resolved}` or unset GDNN_MODEL_PATH to use the shipped model"
        )
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
            warnings.warn(
                f"model {model.version} was trained with scikit-learn {model.sklearn_version}, running "
                f"{sklearn.__version__}; retrain if predictions look wrong",
                RuntimeWarning,
                stacklevel=2,
            )
        _cache[key] = model
        return model
