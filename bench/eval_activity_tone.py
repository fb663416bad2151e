"""Accuracy of the activity-group rules and the negative-tone flag against hand labels.

Usage: python bench/eval_activity_tone.py [--rules PATH_TO_keywords.py] [-v]

Labels (no texts): classifier/labels/dev_activity_tone.jsonl (the 138 GDNN items of dev.jsonl) and
classifier/labels/guide_checked_activity_tone.jsonl (90 guide-checked GDNN raw-corpus items, labelled without looking
at any rule's output); texts come from ../shared. All items are press articles, so the channel is 'bao'. --rules loads
another version of classifier/keywords.py (e.g. `git show eb8936b:classifier/keywords.py > /tmp/old.py`) to compare.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LABELS = ROOT / "classifier" / "labels"
SETS = {
    "dev (138 GDNN items)": "dev_activity_tone.jsonl",
    "guide-checked hold-out (90 GDNN items)": "guide_checked_activity_tone.jsonl",
}


def texts() -> dict[str, tuple[str, str]]:
    """uid -> (title, text) for dev.jsonl and the raw corpora's guide-checked items."""
    from classifier.data import DEFAULT_DEV, DEFAULT_RAW, read_guide_checked, read_labelled

    found = {e.uid: (e.title, e.text) for e in read_labelled(DEFAULT_DEV)}
    found.update({e.uid: (e.title, e.text) for e in read_guide_checked(raw_dir=DEFAULT_RAW)})
    return found


def group_rule(path: Path | None):
    """infer_activity_group of this checkout or of another keywords.py (older ones take no channel)."""
    if path is None:
        from classifier.keywords import infer_activity_group
    else:
        spec = importlib.util.spec_from_file_location("other_keywords", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        infer_activity_group = module.infer_activity_group

    def rule(title: str, text: str):
        try:
            return infer_activity_group(title, text, "bao")
        except TypeError:
            return infer_activity_group(title, text)

    return rule


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rules", type=Path, default=None)
    parser.add_argument("-v", "--verbose", action="store_true", help="list the disagreements")
    args = parser.parse_args()
    from classifier.tone import detect_tone

    rule, found = group_rule(args.rules), texts()
    for name, filename in SETS.items():
        with (LABELS / filename).open(encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle]
        rows = [row for row in rows if row["uid"] in found]
        groups, tone = Counter(), Counter()
        for row in rows:
            title, text = found[row["uid"]]
            predicted = rule(title, text)
            groups[predicted == row["activity_group"]] += 1
            flagged, negative = detect_tone(title, text).negative, row["tone"] == "negative"
            tone[(flagged, negative)] += 1
            if args.verbose and (predicted != row["activity_group"] or flagged != negative):
                print(
                    f"  label {row['activity_group']} / {row['tone']}, rules {predicted} / "
                    f"{'negative' if flagged else 'neutral'}: {title[:90]}"
                )
        true_pos = tone[(True, True)]
        print(
            f"{name}: activity group accuracy {groups[True] / len(rows):.3f} ({groups[True]}/{len(rows)}); "
            f"negative tone: {true_pos + tone[(False, True)]} labelled, precision "
            f"{true_pos / max(true_pos + tone[(True, False)], 1):.3f}, recall "
            f"{true_pos / max(true_pos + tone[(False, True)], 1):.3f}"
        )


if __name__ == "__main__":
    main()
