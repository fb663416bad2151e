"""Commands: `gdnn-monitor classifier train|evaluate|predict` and `gdnn-monitor classify [--all]`."""

from __future__ import annotations

import itertools
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from gdnn_monitor.core.errors import EXIT_CONFIG, EXIT_USAGE, UserError

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
    help="Tệp JSONL có nhãn, mỗi dòng {\"title\", \"text\", \"gdnn\": 0/1, \"theme\"} (mặc định: "
    "../shared/data/labeled/dev.jsonl của bộ mã nguồn). Labelled JSONL.",
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
    if data_path is None and not DEFAULT_DEV.is_file():
        raise UserError(
            f"Không có dữ liệu huấn luyện mặc định {DEFAULT_DEV} (chỉ có trong bộ mã nguồn đầy đủ). "
            "Chỉ định tệp có nhãn: gdnn-monitor classifier train --data TỆP.jsonl (mỗi dòng một JSON "
            "với title, text, gdnn 0/1, theme). Mô hình đi kèm đã được huấn luyện sẵn; không cần huấn "
            "luyện lại để dùng. (no default training data: pass --data FILE)",
            EXIT_USAGE,
        )
    try:
        data = gather_data(data_path or DEFAULT_DEV, raw_dir or DEFAULT_RAW, reviews)
    except DataError as exc:
        raise UserError(f"Dữ liệu huấn luyện không dùng được (training data): {exc}", EXIT_USAGE) from exc
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
        raise UserError(f"Dữ liệu đánh giá không dùng được (evaluation data): {exc}", EXIT_USAGE) from exc
    click.echo(format_report(evaluate(_load(model_path), examples)))


MAX_PREDICT_LINE_BYTES = 1024 * 1024  # an article is tens of KB; a bigger line is a mistake, not an article
MAX_PREDICT_DEPTH = 20  # the input is a flat object; deeper nesting would only exhaust the parser's stack
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _nesting_depth(line: str) -> int:
    """How deeply [ and { nest outside strings, so a hostile line is refused before json.loads recurses into it."""
    depth = deepest = 0
    for char in _JSON_STRING.sub("", line):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _json_error_place(exc: json.JSONDecodeError, line: str) -> str:
    """Where the line goes wrong: json names the *start* of a string that never ends, so say where the line ends."""
    if exc.msg.startswith("Unterminated string"):
        return f"a string starting at column {exc.colno} never ends; the line ends at column {len(line.rstrip())}"
    return f"{exc.msg.removesuffix(' at')} at column {exc.colno}"


def _reject_constant(name: str) -> None:
    raise ValueError(f"không phải JSON hợp lệ (not valid JSON: {name} is not a JSON number)")


def _parse_predict_line(line: str) -> dict:
    """One stdin line to {'id','title','text'}; ValueError with a readable reason otherwise."""
    from gdnn_monitor.core.textnorm import normalize_inline, normalize_text

    if _nesting_depth(line) > MAX_PREDICT_DEPTH:
        raise ValueError(f"lồng sâu quá {MAX_PREDICT_DEPTH} mức (nested more than {MAX_PREDICT_DEPTH} levels deep)")
    try:
        row = json.loads(line.rstrip("\r\n"), parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ValueError(f"không phải JSON hợp lệ (not valid JSON: {_json_error_place(exc, line)})") from exc
    if not isinstance(row, dict):
        raise ValueError("cần một đối tượng JSON có 'id', 'title', 'text' (expected a JSON object)")
    title, text, row_id = row.get("title"), row.get("text"), row.get("id")
    for name, value in (("title", title), ("text", text)):
        if value is not None and not isinstance(value, str):
            raise ValueError(f"'{name}' phải là chuỗi văn bản ('{name}' must be a string)")
    if row_id is not None and (isinstance(row_id, bool) or not isinstance(row_id, (str, int))):
        raise ValueError("'id' phải là chuỗi hoặc số nguyên ('id' must be a string or an integer)")
    if not (title or text):
        raise ValueError("cần 'title' hoặc 'text' không rỗng (needs a non-empty 'title' or 'text')")
    return {"id": row_id, "title": normalize_inline(title), "text": normalize_text(text)}


def _predict_lines(stream) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, text, problem) for each line of a binary stream, holding at most one bounded line in memory:
    an oversize line is skipped to its end and reported, never read whole."""
    for number in itertools.count(1):
        chunk = stream.readline(MAX_PREDICT_LINE_BYTES + 1)
        if not chunk:
            return
        if len(chunk) > MAX_PREDICT_LINE_BYTES and not chunk.endswith(b"\n"):
            while chunk and not chunk.endswith(b"\n"):
                chunk = stream.readline(MAX_PREDICT_LINE_BYTES)
            yield number, None, f"dòng dài quá {MAX_PREDICT_LINE_BYTES // 1024} KB, bỏ qua (line too long, skipped)"
            continue
        try:
            yield number, chunk.decode("utf-8-sig" if number == 1 else "utf-8"), None
        except UnicodeDecodeError as exc:
            yield number, None, f"không phải văn bản UTF-8 (byte {exc.start + 1}) (not UTF-8 text)"


@classifier_group.command("predict")
@click.option("--model", "model_path", type=click.Path(path_type=Path), default=None, help="Model file to use.")
def predict_command(model_path: Path | None) -> None:
    """Đọc JSON lines {"id","title","text"} từ stdin, ghi kết quả ra stdout. Bad lines are reported on stderr.

    Every good line gets its prediction, whatever the other lines hold; the output is always valid JSON lines."""
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
            sys.stdout.write(json.dumps(out, ensure_ascii=False, allow_nan=False) + "\n")
        sys.stdout.flush()
        batch.clear()

    try:
        for number, line, problem in _predict_lines(sys.stdin.buffer):
            if line is not None and not line.strip():
                continue
            try:
                if problem:
                    raise ValueError(problem)
                batch.append(_parse_predict_line(line))
            except (ValueError, RecursionError) as exc:
                bad += 1
                click.echo(f"dòng {number}: {exc}", err=True)
                continue
            if len(batch) >= PREDICT_BATCH:
                flush()
    finally:
        flush()
    if bad:
        raise UserError(
            f"{bad} dòng không phân loại được, xem thông báo ở trên ({bad} line(s) could not be classified)"
        )


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
