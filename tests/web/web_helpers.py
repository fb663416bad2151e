"""Fills a test database with the web fixtures: sources, items, one account per role, a source failing for days."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

from store.db import session_scope
from store.models import Item, Source
from store.registry import load_sources
from store.sources import sync_sources
from store.types import utcnow
from store.users import create_user

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "web"
PASSWORDS = {"admin": "admin-pass-123", "reviewer": "reviewer-pass-123", "viewer": "viewer-pass-123"}


def seed_accounts() -> None:
    with session_scope() as session:
        for role, password in PASSWORDS.items():
            create_user(session, f"{role}1", role, password)


def seed_items(path: Path = FIXTURES / "items.json") -> dict[str, int]:
    """Insert the fixture items; returns fixture key -> item id."""
    ids: dict[str, int] = {}
    with session_scope() as session:
        sync_sources(session, load_sources())
        for index, entry in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            item = Item(
                url=entry.get("url") or f"http://127.0.0.1:9/{entry['source']}/{index}-{entry['key']}.html",
                source_id=entry["source"],
                title=entry["title"],
                text=entry["text"],
                published_at=datetime.fromisoformat(entry["published"]),
                genre=entry["genre"],
                gdnn_score=entry["score"],
                gdnn=entry["score"] >= 0.5,
                zone=entry["zone"],
                theme=entry["theme"],
                explanation=json.dumps(entry["explanation"], ensure_ascii=False),
                story_id=entry.get("story"),
                model_version="test",
            )
            session.add(item)
            session.flush()
            ids[entry["key"]] = item.id
        failing = session.get(Source, "fb-truong")
        failing.last_crawl_at = utcnow()
        failing.last_success_at = utcnow() - timedelta(days=6)
        failing.last_failure_at = utcnow()
        failing.consecutive_failures = 6
        failing.last_error = "HTTP 403 từ Graph API"
        ok = session.get(Source, "bao-tinh")
        ok.last_crawl_at = ok.last_success_at = utcnow()
    return ids


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


def login(test_client, role: str) -> str:
    """Log in as the fixture account of this role; returns the CSRF token of the new session."""
    page = test_client.get("/login")
    response = test_client.post(
        "/login",
        data={"username": f"{role}1", "password": PASSWORDS[role], "csrf_token": csrf_of(page.text), "next": "/queue"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_of(test_client.get("/queue").text)
