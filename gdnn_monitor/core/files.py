"""Private files: the data folder holds password hashes, the session key, attachments and crawl logs, so only the
service's own account may read it (folders 0700, files 0600), whatever the umask of the shell that started it."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_dir(path: Path, tighten_existing: bool = True) -> Path:
    """Create the folder (and missing parents) readable by the owner only; tighten an existing one we own unless it
    may be the operator's own folder (tighten_existing=False, e.g. the folder an SQLite path points into)."""
    path = Path(path).expanduser()
    missing = [parent for parent in (path, *path.parents) if not parent.exists()]
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    for created in missing:
        _chmod_if_owned(created, PRIVATE_DIR_MODE)
    if tighten_existing:
        _chmod_if_owned(path, PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create the file if needed and make it readable by the owner only (before anything secret is written)."""
    path = Path(path).expanduser()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE)
    os.close(descriptor)
    _chmod_if_owned(path, PRIVATE_FILE_MODE)
    return path


def open_private(path: Path, mode: str = "wb"):
    """open() for a new file that is 0600 from its first byte (no window where it is world-readable)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    descriptor = os.open(path, flags, PRIVATE_FILE_MODE)
    _chmod_if_owned(Path(path), PRIVATE_FILE_MODE)
    return os.fdopen(descriptor, mode, encoding=None if "b" in mode else "utf-8")


def _chmod_if_owned(path: Path, mode: int) -> None:
    """Only our own files: an operator's shared folder (e.g. /var/lib) given as a parent is left as it is."""
    try:
        if path.stat().st_uid == os.getuid() and (path.stat().st_mode & 0o777) != mode:
            path.chmod(mode)
    except OSError:
        pass
