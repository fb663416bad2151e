"""What an officer or an admin reads at the command line: Vietnamese first, only valid suggestions, dates both ways,
database URLs, output paths, piped passwords, training data, and exit codes that each mean one thing (issue 14)."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli_runner import run_cli

README = Path(__file__).resolve().parents[2] / "README.md"


def assert_clean(result: subprocess.CompletedProcess, code: int) -> str:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stderr


# --- 11: click's usage errors in Vietnamese ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, vietnamese, english",
    [
        (["report", "--fromat", "csv"], "Không có tùy chọn '--fromat' — có phải '--format'?", "No such option"),
        (["report", "--year", "abc"], "'abc' không phải số nguyên", "is not a valid integer"),
        (
            ["report", "--year", "2024", "--format", "pdf"],
            "'pdf' không thuộc các giá trị 'xlsx', 'csv'",
            "is not one of",
        ),
        (["users", "add"], "Thiếu tham số bắt buộc 'NAME'", "Missing argument"),
        (["reprt"], "Không có lệnh 'reprt' — có phải 'report'?", "No such command"),
    ],
)
def test_usage_errors_are_told_in_vietnamese_first_with_the_english_after(settings_env, args, vietnamese, english):
    stderr = assert_clean(run_cli(*args), 2)
    line = next(line for line in stderr.splitlines() if line.startswith("Lỗi: "))
    assert vietnamese in line and line.index(vietnamese) < line.index(english)
    assert "Error:" not in stderr and "Cách dùng: gdnn-monitor" in stderr and "Cách dùng: Cách dùng" not in stderr


def test_help_pages_have_vietnamese_headings(settings_env):
    page = run_cli("report", "--help").stdout
    assert page.startswith("Cách dùng: gdnn-monitor report") and "Tùy chọn (options):" in page
    assert "Hiện hướng dẫn này rồi thoát." in page and "Usage:" not in page and "Show this message" not in page


def test_a_sources_file_error_is_told_in_vietnamese(settings_env, tmp_path, monkeypatch):
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n  - id: bao-mau\n    name: Báo Mẫu\n    kind: newspaper\n    feed: []\n"
        "    homepage: http://127.0.0.2:9/\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("GDNN_SOURCES", str(sources))
    stderr = assert_clean(run_cli("sources", "list"), 4)
    assert "mục 1 (id 'bao-mau'): trường feed" in stderr and "có phải 'feeds'" in stderr
    assert "unknown key" not in stderr and "did you mean" not in stderr


def test_the_counting_rule_is_vietnamese_without_an_english_aside():
    from store.reports import counting_rule_text

    for rule in ("distinct_outlets", "every_placement", "unique_stories"):
        text = counting_rule_text(rule)
        assert "counts" not in text and "every placement" not in text and "không bao giờ cộng lẫn" in text


def test_numbers_and_percentages_are_written_the_vietnamese_way():
    from gdnn_monitor.core import vnformat

    assert vnformat.number(10_000_000) == "10.000.000" and vnformat.number(1000) == "1.000"
    assert vnformat.percent(28.0) == "28,0 %" and vnformat.percent(1234.56) == "1.234,6 %"


def test_targets_are_printed_with_vietnamese_digit_grouping(settings_env):
    assert_clean(run_cli("targets", "set", "--year", "2026", "--metric", "san_pham", "--target", "10000000"), 0)
    listed = run_cli("targets", "list")
    assert "10.000.000" in listed.stdout and "10000000" not in listed.stdout


# --- 7: only a valid month is suggested -------------------------------------------------------------------------


def test_a_thirteenth_month_is_refused_without_suggesting_an_impossible_month(settings_env):
    stderr = assert_clean(run_cli("report", "--month", "13/2026", "--format", "csv"), 2)
    assert "2026-13" not in stderr and "YYYY-MM" in stderr and "01–12" in stderr
    assert "2026-05" in assert_clean(run_cli("report", "--month", "5/2026", "--format", "csv"), 2)


# --- 20: dates typed the Vietnamese way or ISO ------------------------------------------------------------------


def test_items_accepts_vietnamese_and_iso_days_and_says_so_in_its_help(settings_env):
    from datetime import datetime

    from store.db import session_scope
    from store.models import Item, Source

    with session_scope() as session:
        session.add(Source(id="bao", name="Báo", kind="newspaper"))
    with session_scope() as session:
        for day in (1, 2):
            session.add(
                Item(
                    url=f"http://127.0.0.1:9/{day}",
                    source_id="bao",
                    title=f"Tin ngày {day}/11",
                    published_at=datetime.fromisoformat(f"2026-11-0{day}T10:00:00+07:00"),
                )
            )
    help_text = run_cli("items", "--help").stdout
    assert "DD/MM/YYYY" in help_text and "YYYY-MM-DD" in help_text
    vietnamese = run_cli("items", "--since", "02/11/2026", "--until", "02/11/2026")
    iso = run_cli("items", "--since", "2026-11-02", "--until", "2026-11-02")
    assert [json.loads(line)["title"] for line in vietnamese.stdout.splitlines()] == ["Tin ngày 2/11"]
    assert vietnamese.stdout == iso.stdout
    assert "DD/MM/YYYY" in assert_clean(run_cli("items", "--since", "11/31/2026"), 2)


# --- 8: database URLs ---------------------------------------------------------------------------------------------


def test_a_postgres_scheme_url_is_read_as_postgresql(settings_env, postgres_url, monkeypatch):
    monkeypatch.setenv("GDNN_DATABASE_URL", postgres_url.replace("postgresql+psycopg://", "postgres://"))
    result = run_cli("init")
    assert_clean(result, 0)
    assert "postgresql" in result.stdout


@pytest.mark.parametrize("url", ["mysql://gdnn:mk@127.0.0.1/gdnn", "mssql+pyodbc://h/db", "oracle://h/db"])
def test_an_unsupported_database_is_refused_with_a_clear_configuration_error(settings_env, monkeypatch, url):
    monkeypatch.setenv("GDNN_DATABASE_URL", url)
    stderr = assert_clean(run_cli("report", "--year", "2026"), 4)
    assert "GDNN_DATABASE_URL" in stderr and "chỉ hỗ trợ SQLite và PostgreSQL" in stderr


# --- 9: an output path whose parent is a file ------------------------------------------------------------------


def test_report_into_a_path_under_a_file_says_so_with_the_output_exit_code(settings_env, tmp_path):
    (tmp_path / "bao-cao").write_text("tệp, không phải thư mục", encoding="utf-8")
    stderr = assert_clean(run_cli("report", "--year", "2026", "-o", str(tmp_path / "bao-cao" / "nam.xlsx")), 8)
    assert "là một tệp, không phải thư mục" in stderr and "File exists" not in stderr


# --- 12: every exit code documented, meaning one thing ----------------------------------------------------------


def _documented_codes() -> dict[int, str]:
    section = README.read_text(encoding="utf-8").split("## Mã thoát của lệnh", 1)[1].split("\n## ", 1)[0]
    return {int(match.group(1)): match.group(2) for match in re.finditer(r"^\| (\d+) \| (.+) \|$", section, re.M)}


def test_every_exit_code_of_the_program_is_in_the_readme_table():
    from gdnn_monitor.core import errors

    codes = {value for name, value in vars(errors).items() if name.startswith("EXIT_")}
    assert codes == set(_documented_codes())
    assert len(codes) == len([name for name in vars(errors) if name.startswith("EXIT_")]), "one code, one meaning"


def test_another_crawl_running_is_its_own_exit_code_not_a_partial_failure(settings_env):
    from store.locks import CRAWL_LOCK, try_acquire

    assert try_acquire(CRAWL_LOCK, "may-chu-khac:4242:abcd", ttl=timedelta(minutes=10))
    for command in (["crawl"], ["schedule", "--once"]):
        stderr = assert_clean(run_cli(*command), 9)
        assert "một lần thu thập khác đang chạy" in stderr
    assert "thu thập khác" in _documented_codes()[9]


def test_training_without_the_default_data_says_what_to_pass(settings_env, tmp_path, monkeypatch):
    import classifier.data
    from gdnn_monitor.cli import cli

    monkeypatch.setattr(classifier.data, "DEFAULT_DEV", tmp_path / "khong-co" / "dev.jsonl")
    result = CliRunner().invoke(cli, ["classifier", "train", "--no-cv"])
    assert result.exit_code == 2, result.output
    assert "--data" in result.output and "khong-co" in result.output
    missing = CliRunner().invoke(cli, ["classifier", "train", "--data", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2 and "nope.jsonl" in missing.output


# --- 16: a piped password is checked against its confirmation line ----------------------------------------------


def _users() -> list[str]:
    from sqlmodel import select

    from store.db import session_scope
    from store.models import User

    with session_scope() as session:
        return list(session.exec(select(User.username)))


def test_a_piped_confirmation_line_must_match_the_password(settings_env):
    differ = run_cli("users", "add", "lan", "--role", "reviewer", stdin="mat-khau-dai-1\nmat-khau-dai-2\n")
    assert "không khớp" in assert_clean(differ, 2)
    assert _users() == []
    assert_clean(run_cli("users", "add", "lan", "--role", "reviewer", stdin="mat-khau-dai-1\nmat-khau-dai-1\n"), 0)
    assert _users() == ["lan"]
