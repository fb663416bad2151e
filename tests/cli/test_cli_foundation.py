"""The gdnn-monitor command: help everywhere, honest placeholders, trustworthy exit codes, the items JSONL format."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from store.db import session_scope
from store.models import Item, Source
from tests.cli_runner import run_cli

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"


def all_command_paths() -> list[list[str]]:
    import click

    from gdnn_monitor.cli import cli

    paths: list[list[str]] = []

    def walk(command: click.Command, prefix: list[str]) -> None:
        paths.append(prefix)
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, prefix + [name])

    walk(cli, [])
    return paths


@pytest.mark.parametrize("path", all_command_paths(), ids=lambda p: " ".join(p) or "gdnn-monitor")
def test_every_command_has_help(path):
    from click.testing import CliRunner

    from gdnn_monitor.cli import cli

    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Cách dùng: ") and "Tùy chọn (options):" in result.output


def test_init_then_sources_list_prints_the_shipped_sources(settings_env):
    init = run_cli("init")
    assert init.returncode == 0, init.stderr
    assert "14 nguồn" in init.stdout or "nguồn" in init.stdout
    listed = run_cli("sources", "list")
    assert listed.returncode == 0, listed.stderr
    for source_id in ("bao-lang-son", "langson-tv", "bao-binh-thuan", "gdnn-gov", "molisa"):
        assert source_id in listed.stdout
    assert "chưa thu thập" in listed.stdout  # health column for a source never crawled


def test_bad_sources_file_exits_4_naming_file_entry_and_field(settings_env, monkeypatch):
    monkeypatch.setenv("GDNN_SOURCES", str(FIXTURES / "typo_key.yaml"))
    result = run_cli("sources", "list")
    assert result.returncode == 4
    assert "typo_key.yaml" in result.stderr and "trường feed" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_database_exits_5_without_traceback(settings_env, monkeypatch):
    monkeypatch.setenv("GDNN_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    result = run_cli("init")
    assert result.returncode == 5
    assert "GDNN_DATABASE_URL" in result.stderr and "Traceback" not in result.stderr


def test_invalid_setting_exits_4_naming_the_variable(settings_env, monkeypatch):
    monkeypatch.setenv("GDNN_TIMEZONE", "Mars/Olympus")
    result = run_cli("items")
    assert result.returncode == 4
    assert "GDNN_TIMEZONE" in result.stderr and "Traceback" not in result.stderr


def _seed_items() -> None:
    with session_scope() as session:
        session.add(Source(id="bao-mau", name="Báo Mẫu", kind="newspaper"))
        session.flush()
        session.add(
            Item(
                url="http://127.0.0.2/tuyen-sinh-1.html",
                source_id="bao-mau",
                title="Tuyển sinh trung cấp nghề",
                text="Nội dung",
                published_at=datetime(2024, 5, 31, 23, 30, tzinfo=HCM),
                gdnn_score=0.97,
                gdnn=True,
                theme="tuyen_sinh",
                zone="accept",
                story_id="s1",
                explanation=json.dumps(["tuyển sinh trung cấp"], ensure_ascii=False),
            )
        )
        session.add(
            Item(
                url="http://127.0.0.2/bong-da-2.html",
                source_id="bao-mau",
                title="Bóng đá",
                published_at=datetime(2024, 6, 1, 0, 30, tzinfo=HCM),
                gdnn_score=0.02,
                gdnn=False,
                zone="reject",
                review="rejected",
                story_id="s2",
            )
        )


def test_items_jsonl_has_the_documented_fields(settings_env):
    _seed_items()
    result = run_cli("items", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["title"] for r in rows] == ["Tuyển sinh trung cấp nghề", "Bóng đá"]
    first = rows[0]
    for key in (
        "url",
        "source",
        "title",
        "published",
        "genre",
        "gdnn",
        "gdnn_score",
        "theme",
        "review",
        "counted",
        "story",
        "text",
    ):
        assert key in first
    assert first["published"] == "2024-05-31T23:30:00+07:00"
    assert first["source"] == "bao-mau" and first["gdnn"] is True and first["counted"] is True
    assert first["review"] is None and first["story"] == "s1" and first["genre"] == "article"
    assert rows[1]["gdnn"] is False and rows[1]["review"] == "rejected" and rows[1]["counted"] is False


def test_items_since_and_until_are_local_calendar_days(settings_env):
    _seed_items()
    may = [json.loads(line)["title"] for line in run_cli("items", "--until", "2024-05-31").stdout.splitlines()]
    june = [json.loads(line)["title"] for line in run_cli("items", "--since", "2024-06-01").stdout.splitlines()]
    assert may == ["Tuyển sinh trung cấp nghề"]
    assert june == ["Bóng đá"]


def test_a_date_typed_the_wrong_way_exits_2_with_the_expected_form(settings_env):
    result = run_cli("items", "--since", "5/2024")
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr and "Traceback" not in result.stderr


def test_unbuilt_commands_say_so_and_exit_3():
    from click.testing import CliRunner

    from gdnn_monitor.cli import cli, not_built

    cli.add_command(not_built("future-thing", 99))
    try:
        result = CliRunner().invoke(cli, ["future-thing", "--x"])
    finally:
        cli.commands.pop("future-thing")
    assert result.exit_code == 3
    assert "chưa được xây dựng" in result.output and "#99" in result.output
