"""The GDNN classifier: prediction API, decisions on clear cases, CLI commands, store writes, training, quality gate."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from classifier.cli import classifier_group, classify_command
from classifier.features import first_sentence
from classifier.model import SHIPPED_MODEL, Prediction, load_model

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "classifier" / "examples.jsonl"

THEMES = {"tuyen_sinh", "dao_tao", "co_so", "chinh_sach", "ky_nang", "doanh_nghiep"}
SHARED_DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "labeled" / "dev.jsonl"
# Pinned just under the shipped model's cross-validated numbers on the settled dev.jsonl (F1 0.860 / 0.850, on sure
# items 0.898 / 0.899, theme accuracy 0.790 / 0.775, see MODEL.md): a retrained model that does worse must not ship.
MIN_CV_F1 = 0.84
MIN_CV_F1_SURE = 0.88
MIN_THEME_ACCURACY = 0.77


def _items(examples: list[dict]) -> list[dict]:
    return [{"title": e["title"], "text": e["text"]} for e in examples]


def test_predict_returns_one_calibrated_prediction_per_item(shipped_model, examples):
    from classifier.features import has_vocational_cue, join_item

    predictions = shipped_model.predict(_items(examples))
    assert len(predictions) == len(examples)
    assert shipped_model.predict([]) == []
    for item, prediction in zip(_items(examples), predictions):
        assert isinstance(prediction, Prediction)
        assert 0.0 <= prediction.gdnn_score <= 1.0
        assert prediction.zone in {"accept", "review", "reject"}
        cue = has_vocational_cue(join_item(item["title"], item["text"]))
        expected = shipped_model.thresholds.zone(prediction.gdnn_score, cue)
        assert prediction.zone == ("review" if expected == "accept" and prediction.tone == "negative" else expected)
        assert prediction.tone in ({"negative", "neutral"} if prediction.zone != "reject" else {None})
        assert prediction.gdnn == (prediction.gdnn_score >= shipped_model.thresholds.gdnn)
        assert prediction.activity_group is None or 1 <= prediction.activity_group <= 8
        if prediction.zone == "reject":
            assert prediction.theme is None and prediction.activity_group is None
        else:  # GDNN items and review-zone items (a suggestion for the officer) carry a theme
            assert prediction.theme in THEMES
    assert {p.zone for p in predictions} >= {"review", "reject"}, "the examples must exercise both branches"


def test_thresholds_are_ordered_reject_below_gdnn_below_accept(shipped_model):
    t = shipped_model.thresholds
    assert 0.0 < t.reject_below <= t.gdnn <= t.accept_from <= 1.0
    if t.reject_without_cue_below is not None:
        assert t.reject_below <= t.reject_without_cue_below <= t.gdnn


def test_a_review_zone_item_is_explained_by_what_argues_for_gdnn(shipped_model, examples):
    from classifier.features import join_item

    items = _items(examples)
    review = [(item, p) for item, p in zip(items, shipped_model.predict(items)) if p.zone == "review" and not p.gdnn]
    assert review, "the examples must hold a review-zone item below the label cut"
    for item, prediction in review:
        features = shipped_model.relevance.named_steps["features"].transform([join_item(item["title"], item["text"])])
        towards = shipped_model._explain(features[0], item["title"], item["text"], positive=True)
        against = shipped_model._explain(features[0], item["title"], item["text"], positive=False)
        assert prediction.explanation == towards != against


def test_explanation_phrases_occur_verbatim_in_the_item(shipped_model, examples):
    for example, prediction in zip(examples, shipped_model.predict(_items(examples))):
        assert 1 <= len(prediction.explanation) <= 5
        for phrase in prediction.explanation:
            assert phrase in example["title"] or phrase in example["text"], (phrase, example["id"])


@pytest.mark.parametrize(
    "example", [json.loads(line) for line in EXAMPLES.read_text("utf-8").splitlines() if line], ids=lambda e: e["id"]
)
def test_clear_cases_from_the_guide_get_the_guides_label(shipped_model, example):
    prediction = shipped_model.predict(_items([example]))[0]
    assert prediction.gdnn == bool(example["gdnn"]), (example["title"], prediction)


def test_scores_rank_clear_positives_above_clear_negatives(shipped_model, examples):
    scores = [p.gdnn_score for p in shipped_model.predict(_items(examples))]
    positives = [s for s, e in zip(scores, examples) if e["gdnn"]]
    negatives = [s for s, e in zip(scores, examples) if not e["gdnn"]]
    assert min(positives) > max(negatives)


def test_short_social_post_and_missing_text_are_classified(shipped_model):
    post, headline_only = shipped_model.predict(
        [
            {
                "title": "",
                "text": "Trường Cao đẳng nghề tỉnh thông báo tuyển sinh trung cấp, cao đẳng năm 2026 👉 "
                "đăng ký học nghề miễn học phí",
            },
            {"title": "Khai giảng lớp đào tạo nghề cho lao động nông thôn", "text": None},
        ]
    )
    assert post.gdnn and headline_only.gdnn


def test_a_post_without_headline_is_read_with_its_first_sentence_as_one(shipped_model):
    text = (
        "🎉 Trường Cao đẳng Công nghệ và Nông lâm Đông Bắc thông báo tuyển sinh năm 2026: miễn 100% học phí cho "
        "học sinh tốt nghiệp THCS có hộ khẩu trong tỉnh. Liên hệ phòng Đào tạo để được tư vấn.\nHotline: 0205…"
    )
    first = (
        "🎉 Trường Cao đẳng Công nghệ và Nông lâm Đông Bắc thông báo tuyển sinh năm 2026: miễn 100% học phí cho "
        "học sinh tốt nghiệp THCS có hộ khẩu trong tỉnh."
    )
    assert first_sentence(text) == first
    untitled, titled = shipped_model.predict([{"title": "", "text": text}, {"title": first, "text": text}])
    assert untitled.gdnn_score == titled.gdnn_score and untitled.gdnn
    assert first_sentence("Một dòng ngắn\nDòng hai") == "Một dòng ngắn"
    assert len(first_sentence("chữ " * 100)) <= 160


def test_load_model_is_cached_and_missing_file_is_a_clear_error(tmp_path):
    from classifier.model import ModelError

    assert load_model(SHIPPED_MODEL) is load_model(SHIPPED_MODEL)
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "nope.joblib")
    garbage = tmp_path / "garbage.joblib"
    garbage.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="cannot read"):
        load_model(garbage)


def test_model_path_setting_overrides_the_shipped_model(settings_env, monkeypatch, tmp_path):
    from classifier.model import default_model_path
    from gdnn_monitor.core.settings import get_settings

    assert default_model_path() == SHIPPED_MODEL
    monkeypatch.setenv("GDNN_MODEL_PATH", str(tmp_path / "other.joblib"))
    get_settings.cache_clear()
    assert default_model_path() == tmp_path / "other.joblib"


# --- CLI ----------------------------------------------------------------------------------------------------------


def test_cli_predict_reports_bad_lines_with_their_number_and_keeps_the_good_ones():
    lines = [
        json.dumps(
            {
                "id": "a",
                "title": "Tuyển sinh trung cấp nghề năm 2026",
                "text": "Trường trung cấp nghề tuyển sinh 500 chỉ tiêu học nghề.",
            },
            ensure_ascii=False,
        ),
        "{not json",
        json.dumps({"id": "c", "title": 42, "text": "x"}),
        json.dumps(
            {"id": "d", "title": "Giá vàng hôm nay tăng mạnh", "text": "Giá vàng trong nước tăng."}, ensure_ascii=False
        ),
    ]
    result = CliRunner().invoke(
        classifier_group, ["predict", "--model", str(SHIPPED_MODEL)], input="\n".join(lines) + "\n"
    )
    assert result.exit_code != 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in out] == ["a", "d"]
    assert set(out[0]) == {
        "id",
        "gdnn_score",
        "gdnn",
        "theme",
        "zone",
        "explanation",
        "activity_group",
        "tone",
        "tone_phrases",
    }
    assert out[0]["gdnn"] is True and out[1]["gdnn"] is False
    assert "line 2" in result.stderr and "line 3" in result.stderr and "title" in result.stderr


def test_cli_predict_exits_zero_when_every_line_is_good():
    line = json.dumps(
        {"id": 1, "title": "Hội thi tay nghề", "text": "Hội thi kỹ năng nghề cấp tỉnh."}, ensure_ascii=False
    )
    result = CliRunner().invoke(classifier_group, ["predict", "--model", str(SHIPPED_MODEL)], input=line + "\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == 1


def test_cli_evaluate_prints_metrics_and_confusion_matrix():
    result = CliRunner().invoke(classifier_group, ["evaluate", "--data", str(EXAMPLES), "--model", str(SHIPPED_MODEL)])
    assert result.exit_code == 0, result.output
    for expected in ("precision", "recall", "F1", "confusion matrix", "truth 0", "truth 1", "accept", "theme accuracy"):
        assert expected in result.stdout


def test_cli_evaluate_missing_or_bad_file_is_a_clear_error(tmp_path):
    from gdnn_monitor.cli import cli

    missing = CliRunner().invoke(cli, ["classifier", "evaluate", "--data", str(tmp_path / "none.jsonl")])
    assert missing.exit_code != 0 and "no such file" in missing.stderr and "Traceback" not in missing.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"title": "a", "text": "b", "gdnn": 1}\n{"title": "c", "text": "d", "gdnn": "maybe"}\n', encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["classifier", "evaluate", "--data", str(bad)])
    assert result.exit_code != 0 and "bad.jsonl:2" in result.stderr and "gdnn" in result.stderr


# --- store --------------------------------------------------------------------------------------------------------


def _store_items(examples: list[dict]) -> None:
    from store.db import session_scope
    from store.models import Item, Source

    with session_scope() as session:
        session.add(Source(id="bao-tinh", name="Báo tỉnh", kind="newspaper"))
        session.flush()
        for example in examples:
            session.add(
                Item(
                    url=f"https://bao.example.vn/{example['id']}.html",
                    source_id="bao-tinh",
                    title=example["title"],
                    text=example["text"],
                    published_at=datetime(2026, 3, 1, tzinfo=UTC),
                )
            )


def test_classify_writes_decisions_and_history_and_skips_up_to_date_items(settings_env, examples):
    from sqlmodel import select

    from store.db import session_scope
    from store.models import Classification, Item

    _store_items(examples[:6] + examples[-3:])
    runner = CliRunner()
    first = runner.invoke(classify_command, ["--model", str(SHIPPED_MODEL)])
    assert first.exit_code == 0, first.output
    assert "classified 9" in first.stdout
    model = load_model(SHIPPED_MODEL)
    with session_scope() as session:
        items = session.exec(select(Item).order_by(Item.id)).all()
        assert all(i.model_version == model.version and i.zone and i.gdnn_score is not None for i in items)
        assert [i.gdnn for i in items] == [True] * 6 + [False] * 3
        assert all(isinstance(json.loads(i.explanation), list) for i in items)
        assert len(session.exec(select(Classification)).all()) == 9
    again = runner.invoke(classify_command, ["--model", str(SHIPPED_MODEL)])
    assert "nothing to classify" in again.stdout
    everything = runner.invoke(classify_command, ["--all", "--model", str(SHIPPED_MODEL)])
    assert "classified 9" in everything.stdout
    with session_scope() as session:
        assert len(session.exec(select(Classification)).all()) == 18


def test_classify_items_helper_is_what_the_crawler_calls(settings_env, examples):
    from sqlmodel import select

    from classifier import classify_items
    from store.db import session_scope
    from store.models import Item

    _store_items(examples[:2])
    with session_scope() as session:
        assert classify_items(session, session.exec(select(Item)).all(), load_model(SHIPPED_MODEL)) == 2
    with session_scope() as session:
        assert all(i.theme in THEMES for i in session.exec(select(Item)).all())


# --- training -----------------------------------------------------------------------------------------------------


def test_train_on_a_tiny_set_writes_a_loadable_model_with_metrics(tmp_path):
    output = tmp_path / "tiny.joblib"
    result = CliRunner().invoke(
        classifier_group, ["train", "--data", str(EXAMPLES), "--raw", str(tmp_path / "none"), "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    model = load_model(output)
    assert model.metrics["n_labelled"] == 24 and len(model.metrics["cv"]) == 2
    assert json.loads(output.with_suffix(".metrics.json").read_text("utf-8"))["version"] == model.version
    prediction = model.predict([{"title": "Tuyển sinh cao đẳng nghề", "text": "Trường cao đẳng nghề tuyển sinh."}])[0]
    assert prediction.gdnn


def test_train_with_reviews_uses_officers_decisions(settings_env, tmp_path, examples):
    from sqlmodel import select

    from store.db import session_scope
    from store.models import Item, Review

    _store_items([{**e, "id": f"r{e['id']}", "title": e["title"] + " (bản tin tỉnh)"} for e in examples[:3]])
    with session_scope() as session:
        items = session.exec(select(Item).order_by(Item.id)).all()
        for item, decision in zip(items, ("confirmed", "confirmed", "rejected")):
            item.review = decision
            session.add(item)
            session.flush()
            session.add(
                Review(
                    item_id=item.id,
                    user="canbo",
                    decision=decision,
                    corrected=json.dumps({"theme": "dao_tao"}) if decision == "confirmed" else None,
                )
            )
    output = tmp_path / "reviewed.joblib"
    result = CliRunner().invoke(
        classifier_group,
        ["train", "--with-reviews", "--data", str(EXAMPLES), "--raw", str(tmp_path / "none"), "-o", str(output)],
    )
    assert result.exit_code == 0, result.output
    assert "reviews from the database: 3" in result.stderr
    metrics = load_model(output).metrics
    assert metrics["n_reviews"] == 3 and metrics["n_extra"] == 3  # training-only: dev.jsonl alone sets the cuts


def test_reviews_become_labels_with_the_corrected_theme(settings_env, examples):
    from sqlmodel import select

    from classifier.data import read_reviews
    from store.db import session_scope
    from store.models import Item, Review

    _store_items(examples[:2])
    with session_scope() as session:
        first, second = session.exec(select(Item).order_by(Item.id)).all()
        first.review, second.review = "confirmed", "rejected"
        session.add_all([first, second])
        session.add(Review(item_id=first.id, user="canbo", decision="confirmed", corrected='{"theme": "co_so"}'))
    with session_scope() as session:
        labels = {e.title: (e.gdnn, e.theme) for e in read_reviews(session)}
    assert labels == {examples[0]["title"]: (1, "co_so"), examples[1]["title"]: (0, None)}


# --- quality gate -------------------------------------------------------------------------------------------------


def test_shipped_model_cross_validated_quality_is_at_least_the_pinned_minimum(shipped_model):
    """The numbers were measured out-of-fold on dev.jsonl when the shipped model was trained (see MODEL.md)."""
    metrics = shipped_model.metrics
    sidecar = json.loads(SHIPPED_MODEL.with_suffix(".metrics.json").read_text("utf-8"))
    assert sidecar["version"] == shipped_model.version
    assert metrics["n_labelled"] >= 800, "the shipped model must be cross-validated on the full dev.jsonl"
    for run in metrics["cv"]:
        assert run["f1"] >= MIN_CV_F1
        assert run["f1"] > metrics["baseline_any_strong_term"]["f1"] + 0.2
    for run in metrics["cv_sure_only"]:
        assert run["f1"] >= MIN_CV_F1_SURE
    assert min(metrics["theme_accuracy"]) >= MIN_THEME_ACCURACY
    zones = metrics["zones_oof_per_repeat"]
    accepted = sum(z["accept"]["items"] for z in zones)
    assert sum(z["accept"]["positives"] for z in zones) / accepted >= 0.98  # the accept cut's promise, pooled
    for zone in zones:
        assert zone["reject"]["share_of_positives"] <= 0.01


@pytest.mark.skipif(
    not SHARED_DEV.is_file(),
    reason=f"{SHARED_DEV} absent: quality was checked when the model was trained (recorded metrics above)",
)
def test_shipped_model_metrics_count_every_dev_item():
    from classifier.data import read_labelled

    labelled = read_labelled(SHARED_DEV)
    metrics = load_model(SHIPPED_MODEL).metrics
    assert metrics["n_labelled"] == len(labelled)
    assert metrics["n_positive"] == sum(e.gdnn for e in labelled)


# --- guide-checked raw-corpus labels --------------------------------------------------------------------------------


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def _tiny_raw_dir(root: Path) -> Path:
    _write_jsonl(
        root / "tc201805_baomoi_25topics" / "tc201805.jsonl",
        [
            {
                "id": "1",
                "title": "Trường cao đẳng nghề tuyển sinh",
                "text": "Trường tuyển 500 học sinh học nghề.",
                "category": "Giáo dục và Việc làm - Giáo dục",
            },
            {"id": "2", "title": "Giá vàng tăng", "text": "Giá vàng hôm nay tăng mạnh.", "category": "Kinh tế"},
        ],
    )
    _write_jsonl(
        root / "vietnews_summarization" / "vietnews_subset.jsonl",
        [
            {
                "id": "train/1.txt.seg",
                "title": "Làng_nghề gốm mùa Tết",
                "abstract": "Làng_nghề tất_bật .",
                "text": "Những người thợ gốm làm việc suốt đêm .",
            },
        ],
    )
    return root


def test_guide_checked_labels_are_joined_to_raw_texts_by_uid_and_absent_corpora_are_skipped(tmp_path):
    from classifier.data import read_guide_checked

    raw = _tiny_raw_dir(tmp_path / "raw")
    labels = _write_jsonl(
        tmp_path / "labels.jsonl",
        [
            {"uid": "tc201805:1", "gdnn": 1, "theme": "tuyen_sinh", "sure": True},
            {"uid": "vietnews:train/1.txt.seg", "gdnn": 0, "theme": None, "sure": False},
            {"uid": "baomoi:99", "gdnn": 1, "theme": "co_so", "sure": True},
            {"uid": "tc201805:404", "gdnn": 0, "theme": None, "sure": True},
        ],
    )
    examples = {e.uid: e for e in read_guide_checked(labels, raw)}
    assert set(examples) == {"tc201805:1", "vietnews:train/1.txt.seg"}
    assert (examples["tc201805:1"].gdnn, examples["tc201805:1"].theme) == (1, "tuyen_sinh")
    segmented = examples["vietnews:train/1.txt.seg"]
    assert segmented.title == "Làng nghề gốm mùa Tết" and segmented.text.startswith("Làng nghề tất bật")
    assert not segmented.sure and segmented.origin == "guide_checked"
    assert read_guide_checked(labels, tmp_path / "no-corpora") == []


def test_guide_checked_label_for_a_gdnn_item_without_theme_is_a_clear_error(tmp_path):
    from classifier.data import DataError, read_guide_checked

    labels = _write_jsonl(
        tmp_path / "labels.jsonl",
        [{"uid": "tc201805:1", "gdnn": 0, "theme": None}, {"uid": "tc201805:2", "gdnn": 1, "theme": None}],
    )
    with pytest.raises(DataError, match=r"labels\.jsonl:2"):
        read_guide_checked(labels, _tiny_raw_dir(tmp_path / "raw"))


def test_guide_checked_items_that_copy_a_labelled_item_are_not_trained_on(tmp_path):
    from classifier.train import GUIDE_CHECKED_WEIGHT, gather_data, sample_weight

    raw = _tiny_raw_dir(tmp_path / "raw")
    dev = _write_jsonl(
        tmp_path / "dev.jsonl",
        [
            {
                "uid": "dev:1",
                "title": "Trường Cao đẳng nghề tuyển sinh!",
                "text": "Bản sao.",
                "gdnn": 1,
                "theme": "tuyen_sinh",
            },
            {"uid": "dev:2", "title": "Mưa lớn", "text": "Trời mưa.", "gdnn": 0},
        ],
    )
    labels = _write_jsonl(
        tmp_path / "labels.jsonl",
        [
            {"uid": "tc201805:1", "gdnn": 1, "theme": "tuyen_sinh", "sure": True},
            {"uid": "vietnews:train/1.txt.seg", "gdnn": 0, "theme": None, "sure": True},
        ],
    )
    data = gather_data(dev, raw, negatives_per_corpus=0, guide_checked=labels)
    assert [e.uid for e in data.labelled] == ["dev:1", "dev:2"]
    assert [e.uid for e in data.extra] == ["vietnews:train/1.txt.seg"]
    assert sample_weight(data.extra[0]) == GUIDE_CHECKED_WEIGHT


def test_shipped_guide_checked_labels_hold_no_article_text_and_no_dev_item():
    from classifier.data import GUIDE_CHECKED
    from classifier.data import THEMES as THEME_NAMES

    rows = [json.loads(line) for line in GUIDE_CHECKED.read_text("utf-8").splitlines() if line.strip()]
    assert len(rows) >= 600 and len({r["uid"] for r in rows}) == len(rows)
    assert all(set(r) == {"uid", "gdnn", "theme", "sure"} for r in rows)
    assert all((r["theme"] in THEME_NAMES) if r["gdnn"] else r["theme"] is None for r in rows)
    if SHARED_DEV.is_file():
        dev_uids = {json.loads(line)["uid"] for line in SHARED_DEV.read_text("utf-8").splitlines() if line.strip()}
        assert not dev_uids & {r["uid"] for r in rows}


def test_a_retuned_recipe_gets_a_new_model_version_on_the_same_data(monkeypatch):
    import classifier.train as train

    data = train.TrainingData(labelled=[], extra=[])
    before = train.model_version(data)
    assert train.model_version(data) == before
    monkeypatch.setattr(train, "LEXICON_WEIGHT", train.LEXICON_WEIGHT * 2)
    assert train.model_version(data) != before


def test_zones_reject_a_low_score_without_vocational_cue_but_keep_one_with_a_cue_for_review():
    from classifier.model import Thresholds

    t = Thresholds(gdnn=0.5, accept_from=0.9, reject_below=0.01, reject_without_cue_below=0.05)
    assert t.zone(0.03, vocational_cue=False) == "reject"
    assert t.zone(0.03, vocational_cue=True) == "review"
    assert t.zone(0.005, vocational_cue=True) == "reject"
    assert t.zone(0.95, vocational_cue=False) == "accept"
    assert Thresholds(gdnn=0.5, accept_from=0.9, reject_below=0.01).zone(0.03, vocational_cue=False) == "review"


def test_chosen_zones_keep_accept_precision_and_lose_at_most_the_allowed_positives():
    import numpy as np

    from classifier.train import ACCEPT_PRECISION, REJECT_MAX_LOST, choose_thresholds, zones_of

    rng = np.random.default_rng(3)
    labels = np.r_[np.ones(200, dtype=int), np.zeros(800, dtype=int)]
    scores = np.clip(np.r_[rng.beta(5, 2, 200), rng.beta(1, 6, 800)], 0, 1)
    cues = np.r_[np.ones(200, dtype=bool), rng.random(800) < 0.3]
    acceptable = rng.random(1000) > 0.05
    t = choose_thresholds(labels, scores, acceptable, cues)
    zones = zones_of(scores, t, acceptable, cues)
    assert labels[zones == "accept"].mean() >= ACCEPT_PRECISION
    assert labels[zones == "reject"].sum() <= np.floor(REJECT_MAX_LOST * 200)
    assert not ((zones == "accept") & ~acceptable).any()
    plain = choose_thresholds(labels, scores, acceptable)
    assert (zones == "review").sum() <= (zones_of(scores, plain, acceptable) == "review").sum()
