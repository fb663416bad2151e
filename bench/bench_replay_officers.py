"""Learning from officers, replayed: does the model send fewer items to review as officers' decisions accumulate?

Usage: python bench/bench_replay_officers.py [--months 4] [--review-weight W] [--folds 3] [--repeats 1]
                                            [--reviews-in-cv] [--json OUT]

The hand-labelled dev.jsonl items arrive as a stream of monthly batches (seeded, each month with the same share of
GDNN items). Each month the current model classifies the batch into a real SQLite store (classifier.apply, as the
crawler does); the officer decides every review-zone item — confirmed or rejected, theme corrected — taking the answer
from the item's label, through the store's review API (store.reviews.decide); then the model is retrained on
everything it had plus all reviews so far (classifier.data.read_reviews + classifier.train.train_model: what
`gdnn-monitor classifier train --with-reviews` runs). Printed per month, on that month's batch before the model has
seen any of it: items sent to review, auto-accept precision, GDNN items lost in the reject zone, F1 at the label cut —
and, beside it, the same numbers for the first model (trained before any review) on the same batch, so the effect of
the reviews is not confused with one month's batch being easier than another's.

The dev items are the stream, so they cannot also be the labelled set whose cross-validation sets the thresholds:
here the guide-checked raw-corpus items (classifier/labels/guide_checked.jsonl) play that role, and raw negatives plus
the reviews are training-only, as in production. Cross-validation runs with --folds x --repeats (3 x 1 by default,
against 5 x 2 for the shipped model) to keep the run within a few minutes of one core.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OFFICER = "can-bo-thu-nghiem"


def monthly_batches(examples: list, months: int, seed: int = 13) -> list[list]:
    """Seeded shuffle of GDNN and other items separately, dealt round-robin: every month gets the same GDNN share."""
    rng = random.Random(seed)
    batches: list[list] = [[] for _ in range(months)]
    for group in ([e for e in examples if e.gdnn == 1], [e for e in examples if e.gdnn != 1]):
        group = list(group)
        rng.shuffle(group)
        for index, example in enumerate(group):
            batches[index % months].append(example)
    for batch in batches:
        rng.shuffle(batch)
    return batches


def store_and_classify(session, batch: list, model, month: int) -> list:
    """The month's items enter the store and are classified there, as crawled items are."""
    from classifier.apply import classify_items
    from store.models import Item

    items = [
        Item(
            url=f"https://replay.invalid/{month}/{index}",
            source_id="replay",
            title=e.title or e.text[:120],
            text=e.text,
            channel="bao",
        )
        for index, e in enumerate(batch)
    ]
    session.add_all(items)
    session.flush()
    classify_items(session, items, model)
    return items


def officer_decides(session, items: list, batch: list) -> int:
    """The officer reads every review-zone item: confirms or rejects it as labelled, correcting a wrong theme."""
    from store.reviews import Decision, decide

    decided = 0
    for item, example in zip(items, batch):
        if item.zone != "review":
            continue
        if example.gdnn == 1:
            theme = example.theme if example.theme and example.theme != item.theme else None
            decide(session, item.id, OFFICER, Decision("confirmed", theme=theme))
        else:
            decide(session, item.id, OFFICER, Decision("rejected"))
        decided += 1
    return decided


def month_metrics(predictions: list, batch: list, label_cut: float) -> dict:
    """Zones, precision, losses and F1 of one month's predictions (stored Items or Predictions) against the labels."""
    import numpy as np

    from classifier.train import binary_metrics

    labels = np.array([e.gdnn for e in batch])
    zones = np.array([p.zone for p in predictions])
    scores = np.array([p.gdnn_score for p in predictions])
    accepted = zones == "accept"
    themed = [(e.theme, p.theme) for e, p in zip(batch, predictions) if e.gdnn == 1 and p.zone != "reject"]
    return {
        "items": len(batch),
        "gdnn": int(labels.sum()),
        "review": int((zones == "review").sum()),
        "review_share": round(float((zones == "review").mean()), 4),
        "accepted": int(accepted.sum()),
        "accept_precision": round(float(labels[accepted].mean()), 4) if accepted.any() else None,
        "gdnn_lost": int(labels[zones == "reject"].sum()),
        "gdnn_lost_share": round(float(labels[zones == "reject"].sum() / max(labels.sum(), 1)), 4),
        "f1": binary_metrics(labels, scores >= label_cut)["f1"],
        "theme_accuracy": round(sum(t == p for t, p in themed) / len(themed), 4) if themed else None,
    }


def train(checked: list, negatives: list, reviews: list, folds: int, repeats: int, reviews_in_cv: bool):
    """Reviews are training-only items, as `train --with-reviews` uses them; with reviews_in_cv they are also scored in
    cross-validation, so the zone cuts are set on the province's own items too (tried; see MODEL.md)."""
    from classifier.train import TrainingData, train_model

    if reviews_in_cv:
        data = TrainingData(labelled=[*checked, *reviews], extra=negatives)
    else:
        data = TrainingData(labelled=checked, extra=[*negatives, *reviews])
    return train_model(data, folds=folds, repeats=repeats)


def replay(months: int, folds: int, repeats: int, review_weight: float, reviews_in_cv: bool) -> list[dict]:
    import classifier.train as training
    from classifier.data import DEFAULT_DEV, DEFAULT_RAW, read_reviews
    from store.db import reset_engines, session_scope
    from store.models import Source

    training.REVIEW_WEIGHT = review_weight
    base = training.gather_data(DEFAULT_DEV, DEFAULT_RAW)
    checked = [e for e in base.extra if e.origin == "guide_checked"]
    negatives = [e for e in base.extra if e.origin != "guide_checked"]
    batches = monthly_batches(base.labelled, months)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'replay.sqlite3'}"
        with session_scope(url) as session:
            session.add(Source(id="replay", name="Báo thử nghiệm", kind="newspaper"))
        reviews: list = []
        started = time.perf_counter()
        model = first = train(checked, negatives, reviews, folds, repeats, reviews_in_cv)
        for month, batch in enumerate(batches, start=1):
            with session_scope(url) as session:
                items = store_and_classify(session, batch, model, month)
                row = {
                    "month": month,
                    "model": model.version,
                    "reviews_trained_on": len(reviews),
                    **month_metrics(items, batch, model.thresholds.gdnn),
                }
                row["decided"] = officer_decides(session, items, batch)
            # the same month as the first model (no reviews) sees it: what the reviews changed, batch for batch
            frozen = month_metrics(
                first.predict([{"title": e.title, "text": e.text, "channel": "bao"} for e in batch]),
                batch,
                first.thresholds.gdnn,
            )
            row["without_reviews"] = {
                key: frozen[key]
                for key in ("review", "review_share", "accept_precision", "gdnn_lost", "f1", "theme_accuracy")
            }
            with session_scope(url) as session:
                reviews = read_reviews(session)
            row["seconds"] = round(time.perf_counter() - started, 1)
            rows.append(row)
            print(format_row(row), flush=True)
            if month < months:
                model = train(checked, negatives, reviews, folds, repeats, reviews_in_cv)
        reset_engines()
    return rows


def format_row(row: dict) -> str:
    frozen = row["without_reviews"]
    precision = "-" if row["accept_precision"] is None else f"{row['accept_precision']:.3f}"
    return (
        f"month {row['month']}: {row['items']} items ({row['gdnn']} GDNN), model trained on "
        f"{row['reviews_trained_on']} reviews | review zone {row['review']} ({row['review_share']:.1%}) | "
        f"accepted {row['accepted']}, precision {precision} | GDNN lost {row['gdnn_lost']} "
        f"({row['gdnn_lost_share']:.1%}) | F1 {row['f1']:.3f} | theme {row['theme_accuracy']} | "
        f"officer decided {row['decided']} | {row['seconds']:.0f} s\n"
        f"         first model (no reviews) on the same batch: review zone {frozen['review']} "
        f"({frozen['review_share']:.1%}), precision {frozen['accept_precision']}, GDNN lost {frozen['gdnn_lost']}, "
        f"F1 {frozen['f1']:.3f}, theme {frozen['theme_accuracy']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--months", type=int, default=4)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument(
        "--review-weight",
        type=float,
        default=None,
        help="weight of an officer's decision in training (default: the recipe's REVIEW_WEIGHT)",
    )
    parser.add_argument(
        "--reviews-in-cv",
        action="store_true",
        help="also score the reviews in cross-validation, so they set the zone cuts (measured: no gain)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON here")
    args = parser.parse_args()
    from classifier.data import DEFAULT_DEV
    from classifier.train import REVIEW_WEIGHT

    if not DEFAULT_DEV.is_file():
        sys.exit(f"{DEFAULT_DEV} not found: the replay needs the hand-labelled items (../shared/data/labeled)")
    weight = REVIEW_WEIGHT if args.review_weight is None else args.review_weight
    in_cv = args.reviews_in_cv
    print(
        f"replaying {DEFAULT_DEV.name} as {args.months} monthly batches; CV {args.folds} x {args.repeats}; "
        f"review weight {weight}; reviews {'scored in CV' if in_cv else 'training-only'}",
        flush=True,
    )
    rows = replay(args.months, args.folds, args.repeats, weight, in_cv)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
