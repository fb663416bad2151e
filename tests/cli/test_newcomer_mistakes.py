"""Mistakes a newcomer makes get one clear message and the documented exit code, never a traceback.

Covered here or next to the code they concern: unreachable database (tests/cli/test_cli_foundation.py), port in use
(tests/web/test_web_cli.py, tests/demo), sources-file typo (tests/store/test_sources_registry.py and below), a source
that answers nothing and no internet at all (tests/crawlers/test_crawl_cli.py), a month typed as 5/2024
(tests/web/test_web_reports.py and below)."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.cli_runner import run_cli


def assert_clean_failure(result: subprocess.CompletedProcess, code: int, *fragments: str) -> None:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


@pytest.mark.parametrize("command", [["classify"], ["classifier", "predict"]])
def test_a_missing_model_file_is_a_configuration_error_saying_what_to_do(settings_env, monkeypatch, tmp_path, command):
    missing = tmp_path / "khong-co.joblib"
    monkeypatch.setenv("GDNN_MODEL_PATH", str(missing))
    stdin = json.dumps({"id": 1, "title": "Tuyển sinh trung cấp", "text": "..."}) + "\n"
    result = run_cli(*command, stdin=stdin)
    assert_clean_failure(result, 4, str(missing), "not found", "GDNN_MODEL_PATH")


def test_a_typo_in_the_sources_file_stops_the_crawl_before_any_request(settings_env, tmp_path, monkeypatch):
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n  - id: bao-mau\n    name: Báo Mẫu\n    kind: newspapr\n    homepage: http://127.0.0.2:9/\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("GDNN_SOURCES", str(sources))
    result = run_cli("crawl")
    assert_clean_failure(result, 4, "sources.yaml", "mục 1 (id 'bao-mau')", "trường kind", "'newspapr'")


def test_a_month_typed_the_vietnamese_way_gets_the_expected_form(settings_env):
    result = run_cli("report", "--month", "5/2024", "--format", "csv")
    assert_clean_failure(result, 2, "YYYY-MM", "2024-05")


def test_an_unknown_source_id_suggests_the_closest(settings_env):
    result = run_cli("crawl", "--source", "bao-lang-sonn")
    assert_clean_failure(result, 4, "bao-lang-sonn", "có phải 'bao-lang-son'")


@pytest.mark.parametrize(
    "command",
    [["sources", "list"], ["report", "--year", "2026"], ["users", "list"], ["targets", "list"], ["items"], ["crawl"]],
)
def test_a_bad_setting_is_a_configuration_error_in_every_command(settings_env, monkeypatch, command):
    monkeypatch.setenv("GDNN_LOG_FORMAT", "jsonl")
    result = run_cli(*command)
    assert_clean_failure(result, 4, "GDNN_LOG_FORMAT", "'text' or 'json'")
