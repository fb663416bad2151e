"""Process look-ups for the tests that kill a crawl: which processes a parent has, read from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path


def children_of(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.append(int(entry.name))
    return children
