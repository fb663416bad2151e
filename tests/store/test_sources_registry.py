"""The sources file is validated on load, with errors naming file, entry and field."""

from pathlib import Path

import pytest

from gdnn_monitor.core.settings import SHIPPED_SOURCES
from store.registry import SourcesFileError, load_sources

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"


def test_valid_file_loads_entries_in_order_with_defaults():
    registry = load_sources(FIXTURES / "valid.yaml")
    assert [s.id for s in registry.sources] == ["bao-mau", "truong-mau"]
    assert [s.id for s in registry.enabled()] == ["bao-mau"]
    source = registry.get("bao-mau")
    assert source.feeds == ["http://127.0.0.2/rss/home.rss"]
    assert source.sitemaps == []
    assert source.channel == "bao"
    assert source.article_regex.search("http://127.0.0.2/a-b-123.html")


def test_shipped_sources_file_is_valid_and_covers_both_provinces_and_national_pages():
    registry = load_sources(SHIPPED_SOURCES)
    provinces = {s.province for s in registry.sources}
    assert {"Lạng Sơn", "Bình Thuận"} <= provinces
    ids = {s.id for s in registry.sources}
    assert {"bao-lang-son", "bao-binh-thuan", "gdnn-gov", "langson-tv"} <= ids
    kinds = {s.kind for s in registry.sources}
    assert {"newspaper", "tv", "school", "government", "portal"} <= kinds


def test_unknown_key_is_refused_with_a_did_you_mean_hint():
    with pytest.raises(SourcesFileError) as error:
        load_sources(FIXTURES / "typo_key.yaml")
    message = str(error.value)
    assert "typo_key.yaml" in message
    assert "entry 1 (id 'bao-mau')" in message
    assert "field feed" in message and "did you mean 'feeds'" in message


def test_every_problem_of_a_file_is_reported_at_once():
    with pytest.raises(SourcesFileError) as error:
        load_sources(FIXTURES / "many_errors.yaml")
    lines = str(error.value).splitlines()
    text = "\n".join(lines)
    assert "entry 1 (id 'Bao Mau'): field id: must be a slug" in text
    assert "entry 1 (id 'Bao Mau'): field kind: must be one of" in text and "'magazine'" in text
    assert "entry 1 (id 'Bao Mau'): field homepage" in text
    assert "entry 2: field id: required key is missing" in text
    assert "entry 4 (id 'dup'): field id: 'dup' is already used by entry 3" in text
    assert "entry 5 (id 'bad-regex'): field article_pattern: is not a valid regular expression" in text
    assert "entry 6 (id 'no-way-in')" in text and "needs at least one of homepage" in text
    assert all("many_errors.yaml" in line for line in lines)


def test_broken_yaml_names_the_line():
    with pytest.raises(SourcesFileError, match=r"broken_yaml\.yaml: line \d+, column \d+ is not valid YAML"):
        load_sources(FIXTURES / "broken_yaml.yaml")


def test_missing_file_says_which_setting_to_change(tmp_path):
    with pytest.raises(SourcesFileError, match=r"sources file not found .*GDNN_SOURCES"):
        load_sources(tmp_path / "nope.yaml")


def test_non_utf8_file_is_refused_clearly(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("sources:\n  - id: a\n    name: Báo\n".encode("cp1258", errors="replace") + b"\xff\xfe")
    with pytest.raises(SourcesFileError, match="not UTF-8"):
        load_sources(path)


def test_unknown_source_id_suggests_the_closest():
    registry = load_sources(FIXTURES / "valid.yaml")
    with pytest.raises(SourcesFileError, match="did you mean 'bao-mau'"):
        registry.select(["bao-mao"])


def test_social_sources_need_their_channel_or_page_id(tmp_path):
    path = tmp_path / "social.yaml"
    path.write_text(
        "sources:\n  - id: yt\n    name: Kênh\n    kind: youtube\n  - id: fb\n    name: Trang\n    kind: facebook\n",
        encoding="utf-8",
    )
    with pytest.raises(SourcesFileError) as error:
        load_sources(path)
    assert "youtube_channel_id" in str(error.value)
    assert "facebook_page_id" in str(error.value)


def test_names_are_normalised_to_nfc_with_classic_tone_marks(tmp_path):
    import unicodedata

    path = tmp_path / "nfd.yaml"
    name = unicodedata.normalize("NFD", "Báo Thanh Hoá")
    path.write_text(
        f"sources:\n  - id: a\n    name: {name}\n    kind: newspaper\n    homepage: http://127.0.0.2/\n",
        encoding="utf-8",
    )
    assert load_sources(path).sources[0].name == "Báo Thanh Hóa"
