"""Commands: `gdnn-monitor classifier train|evaluate|predict` and `gdnn-monitor classify [--all]`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from gdnn_monitor.core.errors import EXIT_CONFIG, UserError

PREDICT_BATCH = 64
CLASSIFY_CHUNK = 500


def _load(model_path: Path | None):
    from classifier.model import ModelError, load_model

    try:
        return load_model(model_path)
    except ModelError as exc:
        raise UserError(str(exc), EXIT_CONFIG) from exc


def default_output() -> Path:
    """Where `train` writes unless told: GDNN_MODEL_PATH, else the data directory (picked up by load_model)."""
    from classifier.model import trained_model_path

    return trained_model_path()


@click.group("classifier")
def classifier_group() -> None:
    """Bộ phân loại GDNN: huấn luyện, đánh giá, dự đoán. Train, evaluate and run the GDNN relevance classifier."""


@classifier_group.command("train")
@click.option("--with-reviews", is_flag=True, help="Add officers' confirmed/rejected items from the database.")
@click.option(
    "--data",
    "data_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Labelled JSONL (default: ../shared/data/labeled/dev.jsonl).",
)
@click.option(
    "--raw",
    "raw_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of unlabelled corpora for negatives (default: ../shared/data/raw; skipped if absent).",
)
@click.option("--no-cv", is_flag=True, help="Skip cross-validation (default thresholds, no metrics).")
@click.option("--compare-tokenisers", is_flag=True, help="Also compare syllable n-grams with underthesea words (slow).")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Model file to write (default: GDNN_MODEL_PATH or <data dir>/gdnn_model.joblib).",
)
def train_command(
    with_reviews: bool,
    data_path: Path | None,
    raw_dir: Path | None,
    no_cv: bool,
    compare_tokenisers: bool,
    output: Path | None,
) -> None:
    """Huấn luyện mô hình. Trains the model, cross-validates it and stores thresholds and metrics with it."""
    from classifier.data import DEFAULT_DEV, DEFAULT_RAW, DataError, read_reviews
    from classifier.train import compare_tokenisers as compare
    from classifier.train import gather_data, train_model
    from gdnn_monitor.core.logs import configure_logging

    configure_logging()  # training takes minutes: each fold is reported as a log line on stderr
    reviews = []
    if with_reviews:
        from store.db import session_scope

        with session_scope() as session:
            reviews = read_reviews(session)
        click.echo(f"reviews from the database: {len(reviews)}", err=True)
    try:
        data = gather_data(data_path or DEFAULT_DEV, raw_dir or DEFAULT_RAW, reviews)
    except DataError as exc:
        raise UserError(f"training data: {exc}") from exc
    click.echo(
        f"labelled: {len(data.labelled)}, training-only: {len(data.extra)}, random-news check: {len(data.proxy)}",
        err=True,
    )
    model = train_model(data, run_cv=not no_cv)
    if compare_tokenisers:
        model.metrics["tokenisers"] = compare(data)
    output = output or default_output()
    model.save(output)
    metrics_path = output.with_suffix(".metrics.json")
    metrics_path.write_text(
        json.dumps(
            {
                "version": model.version,
                "thresholds": vars(model.thresholds),
                "sklearn_version": model.sklearn_version,
                **model.metrics,
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    click.echo(f"model {model.version} written to {output} (metrics: {metrics_path})")
    for row in model.metrics.get("cv", []):
        click.echo(f"CV precision {row['precision']:.3f} recall {row['recall']:.3f} F1 {row['f1']:.3f}")


@classifier_group.command("evaluate")
@click.option(
    "--data",
    "data_path",
    type=click.Path(path_type=Path),
    required=True,
    help="Labelled JSONL with 'title', 'text', 'gdnn' (0/1) and optionally 'theme'.",
)
@click.option("--model", "model_path", type=click.Path(path_type=Path), default=None, help="Model file to evaluate.")
def evaluate_command(data_path: Path, model_path: Path | None) -> None:
    """Đánh giá mô hình trên dữ liệu có nhãn. Prints precision, recall, F1, confusion matrix, zones, theme accuracy."""
    from classifier.data import DataError, read_labelled
    from classifier.evaluate import evaluate, format_report

    try:
        examples = read_labelled(data_path)
    except DataError as exc:
        raise UserError(f"evaluation data: {exc}") from exc
    click.echo(format_report(evaluate(_load(model_path), examples)))


def _parse_predict_line(line: str) -> dict:
    """One stdin line to {'id','title','text'}; ValueError with a readable reason otherwise."""
    from gdnn_monitor.core.textnorm import normalize_inline, normalize_text

    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(row, dict):
        raise ValueError("expected a JSON object with 'id', 'title', 'text'")
    title, text = row.get("title"), row.get("text")
    for name, value in (("title", title), ("text", text)):
        if value is not None and not isinstance(value, str):
            raise ValueError(f"'{name}' must be a string")
    if not (title or text):
        raise ValueError("needs a non-empty 'title' or 'text'")
    return {"id": row.get("id"), "title": normalize_inline(title), "text": normalize_text(text)}


@classifier_group.command("predict")
@click.option("--model", "model_path", type=click.Path(path_type=Path), default=None, help="Model file to use.")
def predict_command(model_path: Path | None) -> None:
    """Đọc JSON lines {"id","title","text"} từ stdin, ghi kết quả ra stdout. Bad lines are reported on stderr."""
    model = _load(model_path)
    bad = 0
    batch: list[dict] = []

    def flush() -> None:
        for row, prediction in zip(batch, model.predict(batch)):
            out = {
                "id": row["id"],
                "gdnn_score": prediction.gdnn_score,
                "gdnn": prediction.gdnn,
                "theme": prediction.theme,
                "zone": prediction.zone,
                "explanation": prediction.explanation,
                "activity_group": prediction.activity_group,
                "tone": prediction.tone,
                "tone_phrases": prediction.tone_phrases,
            }
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        batch.clear()

    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            batch.append(_parse_predict_line(line))
        except ValueError as exc:
            bad += 1
            click.echo(f"line {number}: {exc}", err=True)
            continue
        if len(batch) >= PREDICT_BATCH:
            flush()
    flush()
    if bad:
        raise UserError(f"{bad} line(s) could not be classified (see the messages above)")


@click.command("classify")
@click.option("--all", "reclassify_all", is_flag=True, help="Reclassify every item, not only new or outdated ones.")
@click.option("--model", "model_path", type=click.Path(path_type=Path), default=None, help="Model file to use.")
def classify_command(reclassify_all: bool, model_path: Path | None) -> None:
    """Phân loại các tin đã lưu. Classifies stored items without a decision from the current model (or all)."""
    from sqlmodel import select

    from classifier.apply import classify_items
    from classifier.store_query import items_to_classify
    from store.db import session_scope
    from store.models import Item

    model = _load(model_path)
    with session_scope() as session:
        ids = items_to_classify(session, model.version, reclassify_all)
    if not ids:
        click.echo(f"nothing to classify: every item already has a decision from {model.version}")
        return
    with _progress(len(ids)) as advance:
        for start in range(0, len(ids), CLASSIFY_CHUNK):
            chunk = ids[start : start + CLASSIFY_CHUNK]
            with session_scope() as session:
                items = list(session.exec(select(Item).where(Item.id.in_(chunk)).order_by(Item.id)))
                classify_items(session, items, model, progress=advance)
    click.echo(f"classified {len(ids)} item(s) with model {model.version}")


class _progress:
    """A rich progress bar on a terminal; silent when output is piped or logged."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.bar = None

    def __enter__(self):
        from gdnn_monitor.core.console import on_terminal

        if on_terminal():
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            task = self.bar.add_task("classifying", total=self.total)
            return lambda n: self.bar.advance(task, n)
        return lambda n: None

    def __exit__(self, *exc_info) -> None:
        if self.bar is not None:
            self.bar.stop()
