"""Training recipe, cross-validation, zone thresholds and the numbers that go into the model card.

Recipe: hand-labelled items (borderline ones at half weight) + officers' reviews + raw-corpus items labelled
against the guide (classifier/labels/guide_checked.jsonl, training-only) + a seeded random sample of unlabelled news
with no strong GDNN term as negatives. Features: syllable n-grams (headline kept apart) and
lexicon position/density features. Model: linear SVM with sigmoid calibration (CalibratedClassifierCV).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from classifier.data import (
    DEFAULT_DEV,
    DEFAULT_RAW,
    GUIDE_CHECKED,
    Example,
    read_guide_checked,
    read_labelled,
    sample_raw,
    title_key,
)
from classifier.features import (
    MAX_BODY_SYLLABLES,
    THEME_BODY_SYLLABLES,
    LexiconFeatures,
    RulingFeatures,
    ThemeCueFeatures,
    has_vocational_cue,
    has_vocational_terms,
    join_item,
    syllable_analyzer,
    theme_analyzer,
    word_analyzer,
)
from classifier.keywords import keyword_baseline, strong_term_hits
from classifier.model import GdnnModel, Thresholds
from classifier.tone import detect_tone

log = logging.getLogger(__name__)

NEGATIVES_PER_CORPUS = 750
HARD_NEGATIVES_PER_CORPUS = 1000
EDUCATION_JOBS_TOPICS = ("Giáo dục và Việc làm - Giáo dục", "Giáo dục và Việc làm - Việc làm")
PROXY_PER_CORPUS = 500
UNSURE_WEIGHT = 0.25  # items the dev labeller marked unsure: a third are GDNN, so they teach the boundary weakly
GUIDE_CHECKED_WEIGHT = 1.0
THEME_HAND_WEIGHT = 2.0  # in the theme model, the dev labeller's and officers' themes against guide-checked ones (1)
REVIEW_WEIGHT = (
    3.0  # an officer's decision on the province's own stream, against a dev.jsonl item (replay bench: 3 beat 1)
)
SVM_C = 10.0
LEXICON_WEIGHT = 0.1  # scale of the guide-term block against TF-IDF; 0.1 beat 0.3 on six CV shuffles (MODEL.md)
RULING_WEIGHT = (
    0.0  # the rulings' term groups as features: measured at 0.1 / 0.3 / 1.0, no gain on the settled labels (MODEL.md)
)
CLASS_WEIGHT: str | dict | None = "balanced"
NGRAM_MIN_DF = 3
ACCEPT_PRECISION = 0.98  # auto-accepted items are counted without a reader: at most 1 in 50 wrong
REJECT_MAX_LOST = 0.01  # GDNN items silently dropped in the reject zone: at most 1 in 100
USE_CUE_REJECT = True  # a second, higher reject cut for items with no vocational cue in headline and lead
CV_FOLDS = 5
CV_REPEATS = 2


@dataclass
class TrainingData:
    """Labelled items (evaluated in CV) and extra training-only items (negatives, reviews)."""

    labelled: list[Example]
    extra: list[Example] = field(default_factory=list)
    proxy: list[Example] = field(default_factory=list)


def relevance_pipeline(analyzer=syllable_analyzer, svm_c: float | None = None) -> Pipeline:
    features = FeatureUnion(
        [
            (
                "ngrams",
                TfidfVectorizer(
                    analyzer=analyzer, sublinear_tf=True, min_df=NGRAM_MIN_DF, max_df=0.5, dtype=np.float32
                ),
            ),
            ("lexicon", LexiconFeatures(weight=LEXICON_WEIGHT)),
            *([("rulings", RulingFeatures(weight=RULING_WEIGHT))] if RULING_WEIGHT else []),
        ]
    )
    svm = LinearSVC(C=svm_c or SVM_C, class_weight=CLASS_WEIGHT)
    return Pipeline([("features", features), ("svm", CalibratedClassifierCV(svm, method="sigmoid", cv=5))])


def theme_pipeline() -> Pipeline:
    features = FeatureUnion(
        [
            ("ngrams", TfidfVectorizer(analyzer=theme_analyzer, sublinear_tf=True, min_df=1, dtype=np.float32)),
            ("cues", ThemeCueFeatures(weight=0.5)),
        ]
    )
    return Pipeline([("features", features), ("svm", LinearSVC(C=1.0, class_weight="balanced"))])


def _is_clean_negative(example: Example) -> bool:
    """Random news without a strong GDNN term: almost surely not GDNN (the guide's base rate is far below 1%)."""
    return not strong_term_hits(f"{example.title}\n{example.text}")


def _is_hard_negative(example: Example) -> bool:
    """Education / jobs news (by the corpus' weak topic label) with no vocational term at all: schools, universities,
    labour news — the near misses the guide excludes, with labels reliable enough to train on."""
    return example.extra.get("category") in EDUCATION_JOBS_TOPICS and not has_vocational_terms(
        f"{example.title}\n{example.text}"
    )


def gather_data(
    dev_path: Path = DEFAULT_DEV,
    raw_dir: Path | None = DEFAULT_RAW,
    reviews: Sequence[Example] = (),
    negatives_per_corpus: int = NEGATIVES_PER_CORPUS,
    seed: int = 13,
    guide_checked: Path | None = GUIDE_CHECKED,
) -> TrainingData:
    """Labelled data plus training-only items (officers' reviews, guide-checked raw items, raw negatives) that are
    neither dev items nor copies of them, so nothing leaks into a CV fold."""
    labelled = read_labelled(dev_path)
    seen_uids = {e.uid for e in labelled}
    seen_titles = {title_key(e.title) for e in labelled}
    reviews = [r for r in reviews if title_key(r.title) not in seen_titles]
    seen_titles |= {title_key(r.title) for r in reviews}
    checked = _unseen(read_guide_checked(guide_checked, raw_dir) if guide_checked else [], seen_uids, seen_titles)
    seen_uids |= {e.uid for e in checked}
    seen_titles |= {title_key(e.title) for e in checked}
    negatives, proxy = [], []
    if raw_dir is not None and Path(raw_dir).is_dir() and negatives_per_corpus:
        negatives = sample_raw(raw_dir, negatives_per_corpus, seed, seen_uids, seen_titles, _is_clean_negative)
        seen_uids |= {e.uid for e in negatives}
        seen_titles |= {title_key(e.title) for e in negatives}
        hard = sample_raw(raw_dir, HARD_NEGATIVES_PER_CORPUS, seed + 2, seen_uids, seen_titles, _is_hard_negative)
        negatives += hard
        for example in negatives:
            example.gdnn = 0
        seen_uids |= {e.uid for e in hard}
        seen_titles |= {title_key(e.title) for e in hard}
        proxy = sample_raw(raw_dir, PROXY_PER_CORPUS, seed + 1, seen_uids, seen_titles)
    # officers' decisions train the model; scoring them in cross-validation too (so they would set the zone cuts) was
    # measured in bench_replay_officers and did not shrink the review zone (MODEL.md)
    return TrainingData(labelled=labelled, extra=[*reviews, *checked, *negatives], proxy=proxy)


def _unseen(examples: list[Example], uids: set[str], titles: set[str]) -> list[Example]:
    """Drop items that are (copies of) items already taken, keeping the first of any duplicates among themselves."""
    kept: list[Example] = []
    uids, titles = set(uids), set(titles)
    for example in examples:
        key = title_key(example.title)
        if example.uid in uids or key in titles:
            continue
        uids.add(example.uid)
        titles.add(key)
        kept.append(example)
    return kept


def sample_weight(example: Example) -> float:
    """Borderline items count less; guide-checked raw items and officers' reviews carry their own weights (labelled by
    other hands, and reviews come from the stream the model serves)."""
    weight = {"guide_checked": GUIDE_CHECKED_WEIGHT, "review": REVIEW_WEIGHT}.get(example.origin, 1.0)
    return weight * (1.0 if example.sure else UNSURE_WEIGHT)


def _arrays(examples: list[Example]) -> tuple[list[str], np.ndarray, np.ndarray]:
    documents = [join_item(e.title, e.text) for e in examples]
    labels = np.array([1 if e.gdnn else 0 for e in examples], dtype=np.int64)
    weights = np.array([sample_weight(e) for e in examples])
    return documents, labels, weights


def fit_relevance(examples: list[Example], analyzer=syllable_analyzer) -> Pipeline:
    documents, labels, weights = _arrays(examples)
    return relevance_pipeline(analyzer).fit(documents, labels, svm__sample_weight=weights)


def fit_theme(examples: list[Example]) -> Pipeline | None:
    """Themes are learned from every GDNN item; the dev labeller's and officers' themes (the convention the reports
    follow) count THEME_HAND_WEIGHT against the guide-checked ones (another hand's reading of the definitions)."""
    positives = [e for e in examples if e.gdnn == 1 and e.theme]
    if len({e.theme for e in positives}) < 2:
        return None
    weights = np.array([1.0 if e.origin == "guide_checked" else THEME_HAND_WEIGHT for e in positives])
    return theme_pipeline().fit(
        [join_item(e.title, e.text) for e in positives], [e.theme for e in positives], svm__sample_weight=weights
    )


def cross_validate(
    data: TrainingData, analyzer=syllable_analyzer, folds: int = CV_FOLDS, repeats: int = CV_REPEATS
) -> dict:
    """Out-of-fold scores for the labelled items: each fold's model sees the other folds plus the extra items only."""
    documents, labels, _ = _arrays(data.labelled)
    scores = np.zeros((repeats, len(labels)))
    themes: list[list[str | None]] = [[None] * len(labels) for _ in range(repeats)]
    started = time.perf_counter()
    for repeat in range(repeats):
        splitter = StratifiedKFold(folds, shuffle=True, random_state=repeat)
        for fold, (train_rows, test_rows) in enumerate(splitter.split(documents, labels)):
            train = [data.labelled[i] for i in train_rows] + data.extra
            model = fit_relevance(train, analyzer)
            scores[repeat, test_rows] = model.predict_proba([documents[i] for i in test_rows])[:, 1]
            theme_model = fit_theme(train)
            if theme_model is not None:
                for row, theme in zip(test_rows, theme_model.predict([documents[i] for i in test_rows])):
                    themes[repeat][row] = str(theme)
            log.info(
                "cross-validation: fold %d/%d done (%.0f s)",
                repeat * folds + fold + 1,
                repeats * folds,
                time.perf_counter() - started,
            )
    return {"scores": scores, "themes": themes, "labels": labels, "seconds": time.perf_counter() - started}


def binary_metrics(labels: np.ndarray, predicted: np.ndarray) -> dict:
    precision, recall, f1, _ = precision_recall_fscore_support(labels, predicted, average="binary", zero_division=0)
    matrix = confusion_matrix(labels, predicted, labels=[0, 1])
    return {
        "precision": round(float(precision), 4),
        "recall": round(float(recall), 4),
        "f1": round(float(f1), 4),
        "confusion": {
            "tn": int(matrix[0, 0]),
            "fp": int(matrix[0, 1]),
            "fn": int(matrix[1, 0]),
            "tp": int(matrix[1, 1]),
        },
        "n": len(labels),
    }


def choose_thresholds(
    labels: np.ndarray, scores: np.ndarray, acceptable: np.ndarray | None = None, cues: np.ndarray | None = None
) -> Thresholds:
    """gdnn: best F1. accept: the lowest cut above which every cut keeps precision >= ACCEPT_PRECISION (a cut where
    precision only touches the target by luck is not taken), counting only items that may be accepted (negative-tone
    items go to review whatever their score). reject: the pair of cuts (any item / item without a vocational cue in
    headline and lead) that loses at most REJECT_MAX_LOST of the positives with the fewest items left for review.
    Between accept and reject is the officers' queue, as small as these two promises allow."""
    acceptable = np.ones(len(scores), dtype=bool) if acceptable is None else acceptable
    candidates = np.unique(np.round(scores, 4))
    f1s = [binary_metrics(labels, scores >= t)["f1"] for t in candidates]
    gdnn = float(candidates[int(np.argmax(f1s))])
    accept = 1.0
    for t in candidates[::-1]:
        chosen = (scores >= t) & acceptable
        if chosen.sum() < 5:
            continue
        if labels[chosen].mean() < ACCEPT_PRECISION:
            break
        accept = float(t)
    accept = max(accept, gdnn)
    reject, without_cue = _reject_cuts(labels, scores, cues, ceiling=gdnn)
    return Thresholds(
        gdnn=round(gdnn, 4),
        accept_from=round(accept, 4),
        reject_below=_floor4(reject),
        reject_without_cue_below=None if without_cue is None else _floor4(without_cue),
    )


def _floor4(cut: float) -> float:
    """A reject cut rounded down, so rounding never moves a positive it spared into the reject zone."""
    return float(np.floor(cut * 10_000) / 10_000)


def _reject_cuts(
    labels: np.ndarray, scores: np.ndarray, cues: np.ndarray | None, ceiling: float
) -> tuple[float, float | None]:
    """(cut for every item, cut for items without a vocational cue or None) losing <= REJECT_MAX_LOST of positives
    and rejecting the most items."""
    positives = np.sort(scores[labels == 1])
    if not len(positives):
        return 0.5, None
    budget = int(np.floor(REJECT_MAX_LOST * len(positives)))
    plain = min(float(positives[budget]), ceiling)
    if cues is None:
        return plain, None
    best: tuple[int, float, float | None] = (int((scores < plain).sum()), plain, None)
    for without_cue in np.unique(scores[(~cues) & (scores < ceiling)]):
        rejected_without_cue = (~cues) & (scores < without_cue)
        lost_there = int((rejected_without_cue & (labels == 1)).sum())
        if lost_there > budget:
            break
        rest = np.sort(scores[(labels == 1) & ~rejected_without_cue])
        cut = min(float(rest[budget - lost_there]), ceiling) if budget - lost_there < len(rest) else ceiling
        rejected = int(((scores < cut) | rejected_without_cue).sum())
        if rejected > best[0]:
            best = (rejected, cut, float(without_cue))
    return best[1], best[2]


def zones_of(
    scores: np.ndarray, thresholds: Thresholds, acceptable: np.ndarray | None = None, cues: np.ndarray | None = None
) -> np.ndarray:
    """The zone of each score, with items that may not be accepted (negative tone) moved to review."""
    cues = np.ones(len(scores), dtype=bool) if cues is None else cues
    zones = np.array([thresholds.zone(float(s), bool(c)) for s, c in zip(scores, cues)], dtype=object)
    if acceptable is not None:
        zones[(zones == "accept") & ~acceptable] = "review"
    return zones


def zone_report(
    labels: np.ndarray | None,
    scores: np.ndarray,
    thresholds: Thresholds,
    acceptable: np.ndarray | None = None,
    cues: np.ndarray | None = None,
) -> dict:
    """Items, positives and precision per zone (labels=None for unlabelled data: counts only)."""
    zones = zones_of(scores, thresholds, acceptable, cues)
    report: dict = {}
    for zone in ("accept", "review", "reject"):
        mask = zones == zone
        entry: dict[str, float | int | None] = {
            "items": int(mask.sum()),
            "share": round(float(mask.mean()), 4) if len(mask) else 0.0,
        }
        if labels is not None:
            entry["positives"] = int(labels[mask].sum())
            entry["precision"] = round(float(labels[mask].mean()), 4) if mask.any() else None
            entry["share_of_positives"] = round(float(labels[mask].sum() / max(labels.sum(), 1)), 4)
        report[zone] = entry
    return report


def vocational_cues(examples: list[Example]) -> np.ndarray:
    """Whether each item's headline or lead carries a vocational cue (see features.has_vocational_cue)."""
    return np.array([has_vocational_cue(join_item(e.title, e.text)) for e in examples], dtype=bool)


def may_accept(examples: list[Example]) -> np.ndarray:
    """False for items the model never accepts without review (negative tone, GUIDE.md ruling 4)."""
    return np.array([not detect_tone(e.title, e.text).negative for e in examples], dtype=bool)


def summarise_cv(data: TrainingData, cv: dict) -> tuple[Thresholds, dict]:
    """Thresholds from the out-of-fold scores of all repeats pooled (a cut must hold on every shuffle, not on one);
    metrics for every repeat at those thresholds and at 0.5."""
    labels, scores = cv["labels"], cv["scores"]
    acceptable, cues, repeats = may_accept(data.labelled), vocational_cues(data.labelled), len(scores)
    thresholds = choose_thresholds(
        np.tile(labels, repeats),
        scores.ravel(),
        np.tile(acceptable, repeats),
        np.tile(cues, repeats) if USE_CUE_REJECT else None,
    )
    per_repeat = [binary_metrics(labels, s >= thresholds.gdnn) for s in scores]
    sure = np.array([e.sure for e in data.labelled])
    theme_truth = [e.theme for e in data.labelled]
    theme_acc = []
    for themes in cv["themes"]:
        pairs = [(t, p) for t, p, y in zip(theme_truth, themes, labels) if y == 1 and t]
        theme_acc.append(round(sum(t == p for t, p in pairs) / max(len(pairs), 1), 4))
    baseline = np.array([keyword_baseline(e.title, e.text) for e in data.labelled])
    summary = {
        "procedure": (
            f"{CV_FOLDS}-fold stratified CV on the labelled items, repeated {len(scores)}x with different "
            "shuffles; every fold's model is trained on the other folds plus the training-only items "
            "(guide-checked raw-corpus items and raw-corpus negatives, all with dev uids/titles removed; "
            "officers' reviews), never on the held-out "
            "fold. Thresholds are chosen on the pooled out-of-fold scores of all repeats; negative-tone "
            "items are never in the accept zone."
        ),
        "n_labelled": len(labels),
        "n_positive": int(labels.sum()),
        "n_extra": len(data.extra),
        "n_reviews": sum(e.origin == "review" for e in [*data.labelled, *data.extra]),
        "n_guide_checked": sum(e.origin == "guide_checked" for e in data.extra),
        "n_guide_checked_positive": sum(e.origin == "guide_checked" and e.gdnn == 1 for e in data.extra),
        "training_weights": training_recipe(),
        "cv": per_repeat,
        "cv_at_0.5": [binary_metrics(labels, s >= 0.5) for s in scores],
        "cv_sure_only": [binary_metrics(labels[sure], s[sure] >= thresholds.gdnn) for s in scores],
        "baseline_any_strong_term": binary_metrics(labels, baseline),
        "theme_accuracy": theme_acc,
        "theme_counts": dict(Counter(t for t in theme_truth if t)),
        "zones_oof": zone_report(labels, scores[0], thresholds, acceptable, cues),
        "zones_oof_per_repeat": [zone_report(labels, s, thresholds, acceptable, cues) for s in scores],
        "negative_tone_items": int((~acceptable).sum()),
        "cv_seconds": round(cv["seconds"], 1),
    }
    return thresholds, summary


def explain_weights(pipeline: Pipeline) -> np.ndarray:
    """Average the linear SVMs inside the calibrated ensemble: one weight per feature for explanations."""
    calibrated = pipeline.named_steps["svm"].calibrated_classifiers_
    return np.mean([c.estimator.coef_[0] for c in calibrated], axis=0).astype(np.float32)


def training_recipe() -> dict:
    """The knobs that change what a model learns from the same data; part of the version, so a re-tuned model is
    never mistaken for the one that classified stored items."""
    return {
        "unsure": UNSURE_WEIGHT,
        "guide_checked": GUIDE_CHECKED_WEIGHT,
        "svm_c": SVM_C,
        "class_weight": CLASS_WEIGHT,
        "ngram_min_df": NGRAM_MIN_DF,
        "lexicon_weight": LEXICON_WEIGHT,
        "review": REVIEW_WEIGHT,
        "theme_hand": THEME_HAND_WEIGHT,
        "ruling_weight": RULING_WEIGHT,
        "max_body_syllables": MAX_BODY_SYLLABLES,
        "theme_body_syllables": THEME_BODY_SYLLABLES,
    }


def model_version(data: TrainingData) -> str:
    digest = hashlib.sha1(json.dumps(training_recipe(), sort_keys=True).encode())
    for example in [*data.labelled, *data.extra]:
        digest.update(f"{example.uid}\t{example.gdnn}\t{example.theme}\n".encode())
    return f"gdnn-{datetime.now(UTC):%Y%m%d}-{digest.hexdigest()[:8]}"


def train_model(data: TrainingData, run_cv: bool = True, folds: int = CV_FOLDS, repeats: int = CV_REPEATS) -> GdnnModel:
    """Fit the shipped model on everything; with run_cv, thresholds and metrics come from cross-validation."""
    metrics: dict = {"trained_at": datetime.now(UTC).isoformat(timespec="seconds")}
    everything = data.labelled + data.extra
    if run_cv and sum(1 for e in data.labelled if e.gdnn) >= folds:
        log.info("cross-validation: %d folds x %d repeats on %d labelled items", folds, repeats, len(data.labelled))
        thresholds, summary = summarise_cv(data, cross_validate(data, folds=folds, repeats=repeats))
        metrics.update(summary)
    else:
        thresholds = Thresholds(gdnn=0.5, accept_from=0.9, reject_below=0.1)
        metrics["note"] = "trained without cross-validation: default thresholds"
    log.info("fitting the final model on %d items", len(everything))
    relevance = compact(fit_relevance(everything))
    model = GdnnModel(
        relevance=relevance,
        theme_model=compact_theme(fit_theme(everything)),
        thresholds=thresholds,
        version=model_version(data),
        explain_weights=explain_weights(relevance),
        metrics=metrics,
    )
    if data.proxy:
        proxy_scores = model.scores([e.as_item() for e in data.proxy])
        metrics["zones_random_news"] = zone_report(
            None, proxy_scores, thresholds, may_accept(data.proxy), vocational_cues(data.proxy)
        )
        metrics["random_news_labelled_gdnn"] = int((proxy_scores >= thresholds.gdnn).sum())
    return model


def compact(pipeline: Pipeline) -> Pipeline:
    """Store the linear weights and IDF in float32: halves the shipped file, scores change below 1e-6."""
    for calibrated in pipeline.named_steps["svm"].calibrated_classifiers_:
        calibrated.estimator.coef_ = calibrated.estimator.coef_.astype(np.float32)
    return pipeline


def compact_theme(pipeline: Pipeline | None) -> Pipeline | None:
    """The theme SVM's weights in float32 too (one row per theme): the predicted theme does not change."""
    if pipeline is not None:
        svm = pipeline.named_steps["svm"]
        svm.coef_ = svm.coef_.astype(np.float32)
    return pipeline


def compare_tokenisers(data: TrainingData) -> dict:
    """Syllable n-grams vs underthesea word segmentation: same folds, labelled items only (segmenting the
    training-only negatives too would take many minutes at underthesea's speed); also segmenting speed."""
    labelled_only = TrainingData(labelled=data.labelled)
    documents = [join_item(e.title, e.text) for e in data.labelled]
    results = {}
    for name, analyzer in (("syllable", syllable_analyzer), ("underthesea_words", word_analyzer)):
        started = time.perf_counter()
        cache = {document: analyzer(document) for document in documents}
        per_second = len(documents) / (time.perf_counter() - started)
        cv = cross_validate(labelled_only, analyzer=cache.__getitem__, repeats=CV_REPEATS)
        labels = cv["labels"]
        results[name] = {
            "cv_f1_at_best_threshold": [
                binary_metrics(labels, s >= choose_thresholds(labels, s).gdnn)["f1"] for s in cv["scores"]
            ],
            "analyzer_items_per_second": round(per_second, 1),
        }
    return results
