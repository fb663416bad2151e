"""The password of `users add`/`users passwd` is typed at a hidden prompt or piped, never shown on the command line
by the documented way, and a piped confirmation line must match (issue 16 point 4)."""

from __future__ import annotations

from store.db import session_scope
from store.users import get_user, verify_login
from tests.cli_runner import run_cli


def test_help_documents_the_prompt_not_a_password_option(settings_env):
    for command in (["users", "add", "--help"], ["users", "passwd", "--help"]):
        assert "--password" not in run_cli(*command).stdout


def test_a_piped_password_with_a_matching_confirmation_line_is_taken(settings_env):
    result = run_cli("users", "add", "lan", "--role", "reviewer", stdin="mat-khau-dai-1\r\nmat-khau-dai-1\r\n")
    assert result.returncode == 0, result.stderr
    with session_scope() as session:
        assert verify_login(session, "lan", "mat-khau-dai-1") is not None


def test_a_piped_confirmation_that_differs_changes_nothing(settings_env):
    result = run_cli("users", "add", "lan", "--role", "reviewer", stdin="mat-khau-dai-1\nmat-khau-khac-2\n")
    assert result.returncode == 2 and "không khớp" in result.stderr
    with session_scope() as session:
        assert get_user(session, "lan") is None


def test_the_old_password_option_still_works_but_warns(settings_env):
    result = run_cli("users", "add", "lan", "--role", "reviewer", "--password", "mat-khau-dai-1")
    assert result.returncode == 0 and "Cảnh báo" in result.stderr
