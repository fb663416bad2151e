"""Training and evaluation data: the hand-labelled JSONL, the unlabelled news corpora and officers' reviews.

Everything read here enters the system, so it is normalised once with normalize_text on the way in.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gdnn_monitor.core.textnorm import normalize_inline, normalize_text
from gdnn_monitor.core.vocabulary import THEMES

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
DEFAULT_DEV = SHARED_DATA / "labeled" / "dev.jsonl"
DEFAULT_RAW = SHARED_DATA / "raw"
# Labels (no texts) for raw-corpus items, each judged against GUIDE.md; texts are joined from DEFAULT_RAW by uid.
GUIDE_CHECKED = Path(__file__).resolve().parent / "labels" / "guide_checked.jsonl"

# Corpus file, the field holding the lead paragraph (if any), and the uid prefix dev.jsonl uses for that corpus.
RAW_CORPORA = {
    "tc201805": ("tc201805_baomoi_25topics/tc201805.jsonl", None),
    "vntc": ("vntc_10topics/vntc_subset.jsonl", None),
    "vietnews": ("vietnews_summarization/vietnews_subset.jsonl", "abstract"),
    "baomoi": ("baomoi_vn_news_magizbox/baomoi_subset.jsonl", "sapo"),
}


class DataError(ValueError):
    """A data file is missing or malformed; the message names the file and line."""


@dataclass
class Example:
    """One item with an optional label; uid ties it to its origin so duplicates and leaks can be traced."""

    uid: str
    title: str
    text: str
    gdnn: int | None = None
    theme: str | None = None
    sure: bool = True
    origin: str = "dev"
    extra: dict = field(default_factory=dict)

    def as_item(self) -> dict:
        return {"title": self.title, "text": self.text}


def title_key(title: str) -> str:
    """A loose identity for a story: lower-cased title letters only, so re-spaced or re-punctuated copies collide."""
    letters = re.sub(r"[\W_]+", "", title.lower())
    return hashlib.sha1(letters.encode("utf-8")).hexdigest()


def _parse_label(value: object, where: str) -> int:
    if value in (0, 1, True, False):
        return int(value)
    if isinstance(value, str) and value.strip() in ("0", "1"):
        return int(value.strip())
    raise DataError(f"{where}: 'gdnn' must be 0 or 1, got {value!r}")


def _jsonl_rows(path: Path) -> Iterator[tuple[int, str, object]]:
    """(line number, "file:line", decoded value) for each non-blank line; a line that is not JSON is an error."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{where}: not valid JSON ({exc.msg})") from exc
            yield number, where, row


def read_labelled(path: Path) -> list[Example]:
    """Read a labelled JSONL file ({"title","text","gdnn"[,"theme","uid","sure"]}); any bad line is an error."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    examples: list[Example] = []
    for number, where, row in _jsonl_rows(path):
        if not isinstance(row, dict):
            raise DataError(f"{where}: expected a JSON object")
        if "gdnn" not in row:
            raise DataError(f"{where}: missing field 'gdnn'")
        title, text = row.get("title") or "", row.get("text") or ""
        if not isinstance(title, str) or not isinstance(text, str) or not (title or text):
            raise DataError(f"{where}: needs a non-empty 'title' or 'text' string")
        label = _parse_label(row["gdnn"], where)
        theme = row.get("theme") if label else None
        if theme is not None and theme not in THEMES:
            raise DataError(f"{where}: unknown theme {theme!r} (expected one of {', '.join(THEMES)})")
        examples.append(
            Example(
                uid=str(row.get("uid") or f"{path.name}:{number}"),
                title=normalize_inline(title),
                text=normalize_text(text),
                gdnn=label,
                theme=theme,
                sure=bool(row.get("sure", True)),
                origin=str(row.get("source") or "dev"),
            )
        )
    if not examples:
        raise DataError(f"{path}: no labelled items")
    return examples


def _raw_example(corpus: str, row: dict, lead_field: str | None) -> Example:
    """Corpus rows use different field names; VietNews is word-segmented with '_' (turned back into spaces)."""
    title, text = row.get("title") or "", row.get("text") or ""
    lead = row.get(lead_field) if lead_field else None
    if lead:
        text = f"{lead}\n{text}"
    if corpus == "vietnews":
        title, text = title.replace("_", " "), text.replace("_", " ")
    return Example(
        uid=f"{corpus}:{row.get('id')}",
        title=normalize_inline(title),
        text=normalize_text(text),
        origin=corpus,
        extra={"category": row.get("category") or row.get("tc201805_category")},
    )


def _corpus_lines(raw_dir: Path, corpus: str) -> list[str]:
    path = Path(raw_dir) / RAW_CORPORA[corpus][0]
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        return handle.readlines()


def iter_raw(
    raw_dir: Path = DEFAULT_RAW, corpora: tuple[str, ...] = tuple(RAW_CORPORA), seed: int | None = None
) -> Iterator[Example]:
    """Items of the unlabelled corpora under raw_dir (missing corpora are skipped), shuffled when seed is given."""
    rng = random.Random(seed)
    for corpus in corpora:
        lines = _corpus_lines(raw_dir, corpus)
        if seed is not None:
            rng.shuffle(lines)
        for line in lines:
            yield _raw_example(corpus, json.loads(line), RAW_CORPORA[corpus][1])


def sample_raw(
    raw_dir: Path,
    per_corpus: int,
    seed: int,
    exclude_uids: set[str],
    exclude_titles: set[str],
    accept: Callable[[Example], bool] = lambda example: True,
) -> list[Example]:
    """A seeded random sample of each corpus, skipping items that are (copies of) excluded items."""
    sample: list[Example] = []
    for corpus in RAW_CORPORA:
        taken = 0
        for example in iter_raw(raw_dir, (corpus,), seed=seed):
            if taken >= per_corpus:
                break
            if not example.title or example.uid in exclude_uids or title_key(example.title) in exclude_titles:
                continue
            if accept(example):
                sample.append(example)
                taken += 1
    return sample


def _read_label_rows(path: Path) -> dict[str, dict]:
    """uid -> {"gdnn", "theme", "sure"} from a labels-only JSONL file; any bad line is an error."""
    rows: dict[str, dict] = {}
    for _number, where, row in _jsonl_rows(Path(path)):
        if not isinstance(row, dict) or not isinstance(row.get("uid"), str) or ":" not in row["uid"]:
            raise DataError(f"{where}: expected an object with a '<corpus>:<id>' uid")
        label = _parse_label(row.get("gdnn"), where)
        theme = row.get("theme") if label else None
        if label and theme not in THEMES:
            raise DataError(f"{where}: a GDNN item needs a theme (one of {', '.join(THEMES)})")
        rows[row["uid"]] = {"gdnn": label, "theme": theme, "sure": bool(row.get("sure", True))}
    return rows


def read_guide_checked(path: Path = GUIDE_CHECKED, raw_dir: Path | None = DEFAULT_RAW) -> list[Example]:
    """Labelled raw-corpus items: labels from path, texts joined by uid from raw_dir. Items whose corpus is absent
    (e.g. on a machine without ../shared) are skipped, so training still runs there."""
    if raw_dir is None or not Path(path).is_file():
        return []
    labels = _read_label_rows(path)
    wanted = {uid.split(":", 1)[0] for uid in labels} & set(RAW_CORPORA)
    examples: list[Example] = []
    for corpus in sorted(wanted):
        for line in _corpus_lines(raw_dir, corpus):
            row = json.loads(line)
            label = labels.get(f"{corpus}:{row.get('id')}")
            if label is None:
                continue
            example = _raw_example(corpus, row, RAW_CORPORA[corpus][1])
            example.gdnn, example.theme, example.sure = label["gdnn"], label["theme"], label["sure"]
            example.origin = "guide_checked"
            examples.append(example)
    return examples


def read_reviews(session) -> list[Example]:
    """Officers' decisions as labelled examples: confirmed -> 1, rejected -> 0, theme from the latest correction."""
    from sqlmodel import select

    from store.models import Item, Review

    examples: list[Example] = []
    reviewed = session.exec(select(Item).where(Item.review.in_(("confirmed", "rejected")))).all()
    for item in reviewed:
        label = int(item.review == "confirmed")
        theme = item.theme if label else None
        latest = session.exec(select(Review).where(Review.item_id == item.id).order_by(Review.id.desc())).first()
        if label and latest is not None and latest.corrected:
            try:
                corrected = json.loads(latest.corrected)
            except json.JSONDecodeError:
                corrected = {}
            if isinstance(corrected, dict) and corrected.get("theme") in THEMES:
                theme = corrected["theme"]
        if theme not in THEMES:
            theme = None
        examples.append(
            Example(
                uid=f"review:{item.id}",
                title=item.title or "",
                text=item.text or item.summary or "",
                gdnn=label,
                theme=theme,
                origin="review",
            )
        )
    return examples
