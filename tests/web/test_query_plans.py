"""Each page costs one page of results: every statement a page runs against the items is recorded, counted, and
EXPLAINed; none may scan the items table or add up all matching items (SQLite EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN).

A statement that reads `item` passes when it looks rows up by a selective key (id, url, story), when the title-search
index drives it, or when a LIMIT stops an index walk that already comes in the page's order (no sort of every
matching row). The dashboard may add up the year once (the summary cache is then filled); the second view may not.

PostgreSQL: with a few thousand rows a sequential scan, or sorting every match, is truly the cheapest plan, so the
planner's choice would say nothing about a table of millions. `SET enable_seqscan = off` and `SET enable_sort = off`
make those cost more than any usable index, so a Seq Scan (or a full Sort under the LIMIT) left in the plan means no
index can serve the statement; ANALYZE gives the planner real statistics for the rest.
"""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, insert, text
from web_helpers import login

from gdnn_monitor.core.textnorm import search_index
from store.db import get_engine, session_scope
from store.models import Item

SOURCES = ["bao-tinh", "dai-pt-th", "truong-cd", "cong-ttdt", "fb-truong"]
WORDS = "giáo dục nghề nghiệp tuyển sinh trung cấp cao đẳng học nghề kỹ năng tay doanh lao động nông thôn".split()
ITEMS = 4000
# The statements one page view may run against the items, at most (the test fails on a page that grows a loop).
STATEMENT_BUDGET = 8
SELECTIVE = re.compile(r"\(+(rowid|id|url|story_id) ?=|PRIMARY KEY")
SQLITE_ITEM = re.compile(r"^(SCAN|SEARCH) item(\s|$)")


def _fill(count: int) -> None:
    """Items over 2024 in every zone, some reviewed, some in stories: enough rows for PostgreSQL's statistics."""
    rng = random.Random(17)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    rows = []
    for index in range(count):
        score = rng.random()
        title = " ".join(rng.choice(WORDS) for _ in range(10))
        review = rng.choice(["confirmed", "rejected"]) if rng.random() < 0.1 else None
        rows.append(
            {
                "url": f"http://127.0.0.1:9/plan/{index}",
                "source_id": SOURCES[index % len(SOURCES)],
                "title": title,
                "search_title": search_index(title),
                "text": title,
                "published_at": start + timedelta(minutes=rng.randrange(525_000)),
                "fetched_at": start + timedelta(days=400),
                "gdnn_score": score,
                "gdnn": score >= 0.5,
                "zone": "accept" if score >= 0.8 else ("review" if score >= 0.35 else "reject"),
                "theme": "dao_tao" if score >= 0.5 else None,
                "review": review,
                "story_id": f"plan-{index // 3}" if index % 7 == 0 else None,
                "origin": "crawl",
                "genre": "article",
                "language": "vi",
                "quantity": 1,
            }
        )
    with session_scope() as session:
        session.execute(insert(Item), rows)
    engine = get_engine()
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE item"))


class Recorder:
    """Every SELECT the app sends that reads the items, with its parameters, to EXPLAIN afterwards."""

    def __init__(self, engine) -> None:
        self.statements: list[tuple[str, object]] = []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith("SELECT") and re.search(r"\bitem\b", statement):
            self.statements.append((statement, parameters))

    def take(self) -> list[tuple[str, object]]:
        taken, self.statements = self.statements, []
        return taken


def _sqlite_problems(connection, statement: str, parameters) -> list[str]:
    details = [row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
    full_sort = any(detail == "USE TEMP B-TREE FOR ORDER BY" for detail in details)
    limited = re.search(r"\bLIMIT\b", statement, re.IGNORECASE) is not None
    problems = []
    for detail in filter(SQLITE_ITEM.match, details):
        if detail.strip() == "SCAN item":
            problems.append(f"full table scan: {detail}")
        elif SELECTIVE.search(detail):
            continue
        elif not limited or full_sort:
            problems.append(f"reads every matching item ({detail}{', then sorts them' if full_sort else ''})")
    return problems


def _postgres_problems(connection, statement: str, parameters) -> list[str]:
    plan = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).scalar_one()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    problems: list[str] = []

    def visit(node: dict, ancestors: list[str]) -> None:
        kind = node["Node Type"]
        if node.get("Relation Name") == "item":
            condition = node.get("Index Cond", "") + node.get("Recheck Cond", "")
            below_limit = ancestors[ancestors.index("Limit") + 1 :] if "Limit" in ancestors else None
            if kind == "Seq Scan":
                problems.append("Seq Scan on item")
            elif SELECTIVE.search(condition) or "search_title" in condition:
                pass
            elif below_limit is None or "Sort" in below_limit:
                problems.append(f"{kind} on item reads every matching row ({condition or 'no condition'})")
        for child in node.get("Plans", []):
            visit(child, ancestors + [kind])

    visit(plan[0]["Plan"], [])
    return problems


def _check(engine, recorded: list[tuple[str, object]], page: str) -> list[str]:
    assert recorded, f"{page}: no statement read the items?"
    assert len(recorded) <= STATEMENT_BUDGET, f"{page}: {len(recorded)} statements on the items"
    problems = []
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET enable_seqscan = off")
            connection.exec_driver_sql("SET enable_sort = off")
        explain = _postgres_problems if engine.dialect.name == "postgresql" else _sqlite_problems
        for statement, parameters in recorded:
            problems += [
                f"{page}: {problem}\n    {' '.join(statement.split())[:300]}"
                for problem in explain(connection, statement, parameters)
            ]
    return problems


@pytest.fixture
def plan_client(web_db_env):
    from fastapi.testclient import TestClient

    from web.app import create_app

    _fill(ITEMS)
    with TestClient(create_app(), base_url="http://127.0.0.1") as test_client:
        login(test_client, "reviewer")
        yield test_client


def test_no_page_scans_the_items_table(plan_client):
    engine = get_engine()
    with session_scope() as session:
        item_id = session.exec(
            text("SELECT id FROM item WHERE zone = 'review' AND review IS NULL ORDER BY id LIMIT 1 OFFSET 100")
        ).scalar_one()
    pages = {
        "queue, default, page 1": "/queue",
        "queue, review zone, page 20": "/queue?status=uncertain&page=20",
        "queue, month + source": "/queue?month=2024-03&source=truong-cd&status=all",
        "queue, every status, page 3": "/queue?status=all&page=3",
        "queue, title search": "/queue?q=cao+dang+hoc+nghe&status=all",
        "queue, title search without tone marks and a short word": "/queue?q=tuyen+sinh+xa&status=pending",
        "item view": f"/items/{item_id}",
        "item view from a filtered queue": f"/items/{item_id}?back=status%3Duncertain%26source%3Dtruong-cd",
    }
    plan_client.get("/?year=2024")  # the first dashboard view of the year adds it up once
    pages["dashboard, current year"] = "/?year=2024"
    recorder = Recorder(engine)
    problems = []
    for page, path in pages.items():
        response = plan_client.get(path)
        assert response.status_code == 200, f"{page}: HTTP {response.status_code}"
        problems += _check(engine, recorder.take(), page)
    assert not problems, "\n".join(problems)
