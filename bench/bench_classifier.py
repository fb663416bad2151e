"""Classifier speed: items/s for 1,000-word articles on one core, and model load time (target >= 200 items/s).

Usage: python bench/bench_classifier.py [--items 1000] [--model PATH]
Articles are real dev.jsonl texts stretched to 1,000 words when ../shared is present, else the test fixtures'.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURE = ROOT / "tests" / "fixtures" / "classifier" / "examples.jsonl"
WORDS = 1000


def source_texts() -> tuple[str, list[dict]]:
    from classifier.data import DEFAULT_DEV

    path = DEFAULT_DEV if DEFAULT_DEV.is_file() else FIXTURE
    with path.open(encoding="utf-8") as handle:
        return str(path), [json.loads(line) for line in handle if line.strip()]


def thousand_word_articles(rows: list[dict], count: int) -> list[dict]:
    """Each article: a real headline and its body continued with the next bodies until it has 1,000 words."""
    articles = []
    for index in range(count):
        words: list[str] = []
        step = 0
        while len(words) < WORDS:
            words.extend(rows[(index + step) % len(rows)]["text"].split())
            step += 1
        articles.append({"title": rows[index % len(rows)]["title"], "text": " ".join(words[:WORDS])})
    return articles


def cold_load_seconds(model_path: str) -> float:
    """Import + load in a fresh interpreter, as the CLI or a crawler child pays it."""
    code = (
        "import time; t = time.perf_counter(); from classifier.model import load_model; "
        f"load_model({model_path!r}); print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    import joblib

    from classifier.model import SHIPPED_MODEL, load_model

    model_path = Path(args.model or SHIPPED_MODEL)
    started = time.perf_counter()
    joblib.load(model_path)
    warm_load = time.perf_counter() - started
    model = load_model(model_path)
    origin, rows = source_texts()
    articles = thousand_word_articles(rows, args.items)
    model.predict(articles[:16])

    started = time.perf_counter()
    for start in range(0, len(articles), 64):
        model.predict(articles[start : start + 64])
    batched = len(articles) / (time.perf_counter() - started)
    single_count = min(len(articles), 200)
    started = time.perf_counter()
    for article in articles[:single_count]:
        model.predict([article])
    single = single_count / (time.perf_counter() - started)

    print(f"model            {model_path.name} ({model.version}), {model_path.stat().st_size / 1e6:.2f} MB")
    print(f"articles         {len(articles)} x {WORDS} words built from {origin}")
    print(f"throughput       {batched:.0f} items/s in batches of 64 (one core; target >= 200)")
    print(f"throughput       {single:.0f} items/s one item per call")
    print(f"load time        {warm_load:.2f} s joblib.load in a warm process")
    print(f"load time        {cold_load_seconds(str(model_path)):.2f} s import + load in a fresh process")


if __name__ == "__main__":
    main()
