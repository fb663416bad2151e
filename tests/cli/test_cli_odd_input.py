"""Odd input on the command line ends in one clear message and the documented exit code, never a traceback
(issue 16 point 14); `classifier predict` keeps every good line and always writes valid JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from gdnn_monitor.core.errors import EXIT_DATABASE, EXIT_USAGE


def run_cli(*args: str, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gdnn_monitor.cli", *args],
        capture_output=True,
        input=stdin,
        env={**os.environ, **(env or {})},
        timeout=180,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["items", "--until", "9999-12-31"],
        ["items", "--since", "0001-01-01"],
        ["report", "--month", "0000-01"],
        ["report", "--month", "9999-12"],
        ["report", "--year", "99999"],
        ["targets", "set", "--year", "2026", "--metric", "tin_bai", "--target", "99999999999999999999"],
    ],
)
def test_out_of_range_dates_and_numbers_are_usage_errors_not_tracebacks(settings_env, args):
    result = run_cli(*args)
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr, stderr
    assert result.returncode == EXIT_USAGE and stderr.startswith("Lỗi:"), (result.returncode, stderr)


def test_an_unwritable_sqlite_path_is_a_database_error(settings_env, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        result = run_cli("users", "list", env={"GDNN_DATABASE_URL": f"sqlite:///{locked / 'sub' / 'db.sqlite3'}"})
    finally:
        locked.chmod(0o700)
    assert result.returncode == EXIT_DATABASE and "Traceback" not in result.stderr.decode()


def test_an_sqlite_path_inside_a_file_is_a_database_error(settings_env, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_cli("users", "list", env={"GDNN_DATABASE_URL": f"sqlite:///{blocker / 'db.sqlite3'}"})
    assert result.returncode == EXIT_DATABASE, result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


def _predict(stdin: bytes) -> tuple[list[dict], str, int]:
    result = run_cli("classifier", "predict", stdin=stdin)
    out = result.stdout.decode()
    rows = [json.loads(line) for line in out.splitlines()]  # every output line is strict JSON
    for line in out.splitlines():
        json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} in output"))
    return rows, result.stderr.decode(), result.returncode


GOOD = (
    b'{"id": 1, "title": "Tr\xc6\xb0\xe1\xbb\x9dng cao \xc4\x91\xe1\xba\xb3ng ngh\xe1\xbb\x81 tuy\xe1\xbb\x83n sinh"}\n'
)


def test_predict_survives_a_deeply_nested_line_and_keeps_the_lines_around_it(settings_env):
    nested = b'{"id": 2, "title": ' + b"[" * 200_000 + b"]" * 200_000 + b"}\n"
    rows, stderr, code = _predict(GOOD + nested + GOOD.replace(b'"id": 1', b'"id": 3'))
    assert [row["id"] for row in rows] == [1, 3]
    assert "dòng 2" in stderr and "Traceback" not in stderr and code != 0


def test_predict_refuses_infinity_and_nan_so_the_output_stays_valid_json(settings_env):
    rows, stderr, _code = _predict(b'{"id": Infinity, "title": "x"}\n{"id": NaN, "title": "y"}\n' + GOOD)
    assert [row["id"] for row in rows] == [1]
    assert "dòng 1" in stderr and "dòng 2" in stderr


def test_predict_skips_an_oversize_line_without_reading_it_whole(settings_env):
    huge = b'{"id": 9, "title": "' + b"a" * (3 * 1024 * 1024) + b'"}\n'
    rows, stderr, _code = _predict(GOOD + huge + GOOD.replace(b'"id": 1', b'"id": 3'))
    assert [row["id"] for row in rows] == [1, 3]
    assert "dòng 2" in stderr and "KB" in stderr


def test_predict_reports_where_an_unterminated_string_line_ends(settings_env):
    line = b'{"id": 5, "title": "' + b"x" * 80 + b"\n"
    _rows, stderr, _code = _predict(line)
    assert "column 20" in stderr and "column 100" in stderr
