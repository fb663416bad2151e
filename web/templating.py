"""Jinja2 set-up: autoescape for every template, Vietnamese labels and dates, and the explanation highlighter."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from gdnn_monitor.core.settings import get_settings
from gdnn_monitor.core.vocabulary import CHANNELS, GENRES, METRICS, REVIEW_ACTIONS, ROLES, THEMES, ZONES
from web.security import csrf_token

TEMPLATES = Path(__file__).resolve().parent / "templates"
_SAFE_LINK = re.compile(r"^https?://", re.IGNORECASE)


def explanation_phrases(raw: str | None) -> list[str]:
    """The classifier's explaining words: a JSON list of phrases, or of [phrase, weight] / {"phrase": ...}."""
    if not raw:
        return []
    try:
        data = json.loads(raw)
    except ValueError:
        return []
    phrases: list[str] = []
    for entry in data if isinstance(data, list) else []:
        if isinstance(entry, str):
            phrase = entry
        elif isinstance(entry, (list, tuple)) and entry and isinstance(entry[0], str):
            phrase = entry[0]
        elif isinstance(entry, dict):
            phrase = str(entry.get("phrase") or entry.get("term") or entry.get("word") or "")
        else:
            continue
        phrase = phrase.replace("_", " ").strip()
        if phrase and re.search(r"\w", phrase):
            phrases.append(phrase)
    return phrases


def highlight(text: str | None, phrases: list[str]) -> Markup:
    """Escape the untrusted text FIRST, then wrap the (escaped) phrases in <mark>; nothing else becomes markup."""
    escaped = str(escape(text or ""))
    wanted = sorted({str(escape(p)) for p in phrases}, key=len, reverse=True)
    if wanted:
        pattern = re.compile(r"(?<![\w&#])(" + "|".join(re.escape(p) for p in wanted) + r")(?!\w)", re.IGNORECASE)
        escaped = pattern.sub(r"<mark>\1</mark>", escaped)
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", escaped) if part.strip()]
    return Markup("".join(f"<p>{part.replace(chr(10), '<br>')}</p>" for part in paragraphs))


def safe_link(url: str | None) -> str | None:
    """Only http(s) links become clickable; 'javascript:' and the like from a page never reach an href."""
    return url if url and _SAFE_LINK.match(url) else None


def local_time(value: datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    return value.astimezone(get_settings().tz).strftime(fmt) if value else "—"


def number(value: int | float | None) -> str:
    """Vietnamese digit grouping: 1.000."""
    if value is None:
        return "—"
    return f"{value:,.0f}".replace(",", ".")


def _query(request: Request, **changes) -> str:
    """The current query string with some parameters changed (pagination and filter links)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"


def _context(request: Request) -> dict:
    return {
        "csrf_token": csrf_token(request),
        "user": getattr(request.state, "user", None),
        "flashes": request.session.pop("flash", []) if "flash" in request.session else [],
    }


def build_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    from store.reviews import changes_of

    env.filters.update(
        local_time=local_time,
        number=number,
        safe_link=safe_link,
        review_changes=changes_of,
        tone_phrases=explanation_phrases,
    )
    env.globals.update(
        CHANNEL_LABELS=CHANNELS,
        GENRE_LABELS=GENRES,
        THEME_LABELS=THEMES,  # core/vocabulary.py
        METRICS=METRICS,
        ZONE_LABELS=ZONES,
        REVIEW_LABELS=REVIEW_ACTIONS,
        ROLE_LABELS=ROLES,
        query=_query,
        active="",
    )
    return Jinja2Templates(env=env, context_processors=[_context])


def flash(request: Request, message: str, kind: str = "ok", undo_item: int | None = None) -> None:
    """A one-time message shown on the next page (after a redirect), optionally with an undo button."""
    entry = {"kind": kind, "text": message, "undo_item": undo_item}
    request.session["flash"] = [*request.session.get("flash", []), entry]
