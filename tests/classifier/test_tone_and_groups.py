"""Negative tone (GUIDE.md ruling 4) and the plan's activity groups, checked on real labelled items and on the
behaviour the officer sees: flagged bad news never skips review, and the phrases that flagged it are in the item."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifier.keywords import infer_activity_group
from classifier.tone import NEGATIVE, NEUTRAL, detect_tone

LABELS = Path(__file__).resolve().parents[2] / "classifier" / "labels" / "dev_activity_tone.jsonl"
SHARED_DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "labeled" / "dev.jsonl"
needs_dev = pytest.mark.skipif(not SHARED_DEV.is_file(), reason=f"{SHARED_DEV} absent (labels hold no texts)")

# Real dev.jsonl items (uids) read by a person: bad news about a vocational school, and items that look like it
# but are not (a denial, a policy complaint, an ordinary refusal for lack of funds, criticism of a programme).
NEGATIVE_ITEMS = {
    "vietnews:test/016401.txt.seg": "Cảnh cáo hiệu trưởng Cao đẳng Việt Nam - Hàn Quốc - Quảng Ngãi",
    "vietnews:train/011830.txt.seg": "Giáo viên dạy lái xe dùng bằng lái giả",
    "vietnews:test/002964.txt.seg": "Trung tá công an ký văn bản ' chui ' tiếp nhận hồ sơ đào tạo lái xe",
    "vntc:Test_Full/Chinh tri Xa hoi/XH_VNE_T_ (6879).txt": "Nhiều khuất tất tại Trung tâm dạy nghề ITAC",
    "vietnews:train/062366.txt.seg": "Trường nghề hơn 100 tỷ “bỏ hoang” tại Nghệ An",
    "vietnews:val/002987.txt.seg": "Đề nghị xử phạt hành chính nhiều cơ sở đào tạo lái xe",
}
NOT_NEGATIVE_ITEMS = {
    "vietnews:train/093746.txt.seg": "Hải Phòng bác bỏ thông tin ' học viên mù chữ được bao đậu bằng lái xe '",
    "tc201805:21942994": "Bức xúc tuyển sinh đào tạo nghề",
    "vietnews:train/070272.txt.seg": "Ninh Thuận: Vì sao hàng trăm bộ đội ... không được học nghề lái xe?",
    "tc201805:24408557": "Dạy nghề cho lao động nông thôn còn xa rời thực tế",
    "tc201805:22212546": "Những hạn chế, bất cập trong đào tạo nghề cho lao động nông thôn",
}


def _dev_items() -> dict[str, dict]:
    with SHARED_DEV.open(encoding="utf-8") as handle:
        return {row["uid"]: row for row in map(json.loads, handle)}


def _labels() -> list[dict]:
    with LABELS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


@needs_dev
def test_bad_news_about_vocational_schools_is_flagged_with_phrases_from_the_item():
    items = _dev_items()
    for uid, title in NEGATIVE_ITEMS.items():
        item = items[uid]
        tone = detect_tone(item["title"], item["text"])
        assert tone.tone == NEGATIVE, title
        assert tone.phrases
        for phrase in tone.phrases:
            assert phrase in item["title"] or phrase in item["text"], (title, phrase)


@needs_dev
def test_items_that_only_sound_negative_are_not_flagged():
    items = _dev_items()
    for uid, title in NOT_NEGATIVE_ITEMS.items():
        assert detect_tone(items[uid]["title"], items[uid]["text"]).tone == NEUTRAL, title


@needs_dev
def test_tone_agrees_with_the_labels_of_the_gdnn_dev_items():
    """classifier/labels/dev_activity_tone.jsonl: tone of the 138 GDNN dev items (MODEL.md says who labelled them)."""
    items = _dev_items()
    labels = _labels()
    flagged = {
        row["uid"] for row in labels if detect_tone(items[row["uid"]]["title"], items[row["uid"]]["text"]).negative
    }
    negatives = {row["uid"] for row in labels if row["tone"] == NEGATIVE}
    recall = len(flagged & negatives) / len(negatives)
    precision = len(flagged & negatives) / len(flagged)
    assert recall >= 0.8 and precision >= 0.9, (recall, precision)


def test_a_denial_or_a_rule_being_explained_is_not_bad_news():
    assert detect_tone("Bác bỏ thông tin trường nghề cấp bằng giả", "Sở khẳng định không có sai phạm.").tone == NEUTRAL
    assert (
        detect_tone(
            "Trường Cao đẳng nghề tuyển sinh 2026",
            "Trường tuyển 1.200 chỉ tiêu. "
            + "Học sinh được hướng dẫn quy chế. " * 30
            + "Thí sinh vi phạm quy chế sẽ bị xử lý.",
        ).tone
        == NEUTRAL
    )


def test_a_negative_item_the_score_would_accept_goes_to_review(shipped_model):
    item = {
        "title": "Hiệu trưởng Trường Cao đẳng nghề bị cảnh cáo vì sai phạm trong tuyển sinh, đào tạo nghề",
        "text": "Thanh tra tỉnh kết luận Trường Cao đẳng nghề có nhiều sai phạm trong tuyển sinh trình độ cao đẳng, "
        "trung cấp và đào tạo nghề cho lao động nông thôn; hiệu trưởng bị kỷ luật cảnh cáo.",
    }
    [prediction] = shipped_model.predict([item])
    assert prediction.gdnn_score >= shipped_model.thresholds.accept_from, "the example must score in the accept range"
    assert prediction.zone == "review" and prediction.tone == NEGATIVE
    assert {"cảnh cáo", "sai phạm"} <= {phrase.lower() for phrase in prediction.tone_phrases}
    neutral = dict(
        item,
        title="Trường Cao đẳng nghề tuyển sinh trình độ cao đẳng, trung cấp, đào tạo nghề",
        text="Trường tuyển sinh trình độ cao đẳng, trung cấp và đào tạo nghề cho lao động nông thôn.",
    )
    [plain] = shipped_model.predict([neutral])
    assert plain.tone == NEUTRAL and plain.tone_phrases == []


def test_a_rejected_item_has_no_tone(shipped_model):
    [prediction] = shipped_model.predict([{"title": "Giá vàng hôm nay giảm mạnh", "text": "Giá vàng giảm."}])
    assert prediction.zone == "reject" and prediction.tone is None


# --- activity groups ------------------------------------------------------------------------------------------------


def test_the_activity_named_in_the_headline_wins_and_the_channel_decides_otherwise():
    assert infer_activity_group("Khai mạc Hội giảng nhà giáo GDNN tỉnh", "", "bao") == 8
    assert infer_activity_group("Ngày hội tư vấn tuyển sinh - hướng nghiệp 2026", "", "trang_truong") == 5
    assert infer_activity_group("Phát hành cẩm nang chọn nghề - chọn trường", "", None) == 2
    assert infer_activity_group("Trường Cao đẳng nghề sửa chữa ký túc xá", "Trường đầu tư 5 tỷ đồng.", "bao") == 3
    assert infer_activity_group("Trường Cao đẳng nghề sửa chữa ký túc xá", "", "mang_xa_hoi") == 4
    assert infer_activity_group("Trường Cao đẳng nghề sửa chữa ký túc xá", "", None) is None


def test_a_term_deep_in_the_body_does_not_name_the_activity():
    body = "Trường đầu tư xưởng thực hành mới. " * 40 + "Thông tin đăng trên fanpage của trường."
    assert infer_activity_group("Trường nghề khánh thành xưởng thực hành", body, "bao") == 3


@needs_dev
def test_activity_groups_agree_with_the_labels_of_the_gdnn_dev_items():
    items = _dev_items()
    labels = _labels()
    right = sum(
        infer_activity_group(items[row["uid"]]["title"], items[row["uid"]]["text"], "bao") == row["activity_group"]
        for row in labels
    )
    assert right / len(labels) >= 0.9


def test_classifying_stored_items_records_tone_phrases_and_the_channels_activity_group(settings_env, shipped_model):
    from sqlmodel import select

    from classifier import classify_items
    from store.db import session_scope
    from store.models import Classification, Item, Source

    with session_scope() as session:
        session.add(Source(id="truong-cd", name="Trường CĐ", kind="school"))
        session.flush()
        session.add(
            Item(
                url="https://truong.example.vn/1.html",
                source_id="truong-cd",
                channel="trang_truong",
                title="Hiệu trưởng Trường Cao đẳng nghề bị cảnh cáo vì sai phạm trong tuyển sinh",
                text="Thanh tra tỉnh kết luận Trường Cao đẳng nghề có sai phạm trong tuyển sinh trình độ cao "
                "đẳng, trung cấp và đào tạo nghề; hiệu trưởng bị kỷ luật cảnh cáo.",
            )
        )
    with session_scope() as session:
        classify_items(session, session.exec(select(Item)).all(), shipped_model)
    with session_scope() as session:
        item = session.exec(select(Item)).one()
        assert item.zone == "review" and item.tone == "negative"
        assert "sai phạm" in json.loads(item.tone_phrases)
        assert item.activity_group == 4  # a school's own site, no activity named
        assert session.exec(select(Classification.tone)).one() == "negative"
