"""Errors a user can fix, each with the exit code scripts rely on (documented in the README)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_NOT_BUILT = 3
EXIT_CONFIG = 4
EXIT_DATABASE = 5
EXIT_NETWORK = 6
EXIT_PORT_IN_USE = 7


class UserError(Exception):
    """A problem the user can fix; the CLI prints the message (no traceback) and exits with exit_code."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class ConfigError(UserError):
    exit_code = EXIT_CONFIG


class NotBuiltError(UserError):
    exit_code = EXIT_NOT_BUILT
