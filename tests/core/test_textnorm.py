"""Vietnamese text gets one Unicode form and one tone-mark convention where it enters the system."""

import unicodedata

import pytest

from gdnn_monitor.core.textnorm import normalize_inline, normalize_text, search_index, search_words


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Thanh Hoá", "Thanh Hóa"),
        ("hoà nhập", "hòa nhập"),
        ("khoẻ", "khỏe"),
        ("thuỷ sản", "thủy sản"),
        ("HOÀ BÌNH", "HÒA BÌNH"),
        ("Thuỵ", "Thụy"),
        ("xoá mù", "xóa mù"),
        ("quý", "quý"),
        ("quả", "quả"),
        ("hoàng", "hoàng"),
        ("khuyến", "khuyến"),
        ("Hòa", "Hòa"),
    ],
)
def test_tone_marks_follow_the_classic_convention(raw, expected):
    assert normalize_text(raw) == expected


def test_decomposed_unicode_becomes_nfc():
    decomposed = unicodedata.normalize("NFD", "Giáo dục nghề nghiệp")
    assert decomposed != "Giáo dục nghề nghiệp"
    assert normalize_text(decomposed) == "Giáo dục nghề nghiệp"


def test_spaces_are_folded_but_paragraphs_kept():
    assert normalize_text("  Đào\u00a0tạo   nghề \r\n\u200bcho lao động  ") == "Đào tạo nghề\ncho lao động"
    assert normalize_inline("Tiêu đề\n  dài ") == "Tiêu đề dài"


def test_empty_input_is_an_empty_string():
    assert normalize_text(None) == "" and normalize_text("") == ""


def test_search_index_holds_the_words_with_and_without_tone_marks():
    assert search_index("Trường CĐ Nghề Lạng Sơn: tuyển sinh!") == (
        "trường cđ nghề lạng sơn tuyển sinh | truong cd nghe lang son tuyen sinh"
    )
    assert search_index(unicodedata.normalize("NFD", "Hoà Bình")) == "hòa bình | hoa binh"
    assert search_index(None) == " | "
    marked, bare = search_index("Đào tạo nghề " * 500).split(" | ")
    assert len(marked) == len(bare) == 400 and bare.startswith("dao tao nghe")


def test_search_words_are_normalised_like_stored_text():
    assert search_words("ĐÀO TẠO, nghề…") == ["đào", "tạo", "nghề"]
    assert search_words(unicodedata.normalize("NFD", "hoà")) == ["hòa"]
