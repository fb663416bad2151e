"""Title search that scales: SQLite's FTS5 trigram table and PostgreSQL's pg_trgm index, both created by migration
0003, keep the queue's substring search over item.search_title (words with and without tone marks) off a full scan.

Search results come newest first: the index then hands them over in that order and a page stops after 50 matches,
whereas the review queue's order would need every match of a common word read and sorted."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import column, literal_column, table
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import Session

from store.models import Item

FTS_TABLE = "item_search"
TRIGRAM_INDEX = "ix_item_search_trgm"
TRIGRAM = 3  # the shortest word a trigram index can look up; shorter words are checked on the found rows
# Objects the migration creates outside the models (a virtual table and its shadow tables, an index with an operator
# class), so the models-vs-migrations check leaves them alone.
MIGRATION_ONLY = {
    FTS_TABLE,
    *(f"{FTS_TABLE}_{part}" for part in ("data", "idx", "content", "docsize", "config")),
    TRIGRAM_INDEX,
}
_fts_available: dict[str, bool] = {}


@dataclass
class TitleSearch:
    """A query narrowed to the titles holding every word, and the id column its newest-first order walks."""

    query: Select
    order_id: ColumnElement


def has_fts(session: Session) -> bool:
    """Whether this SQLite database has the FTS5 table (an SQLite built without FTS5 keeps the plain LIKE search)."""
    bind = session.get_bind()
    key = bind.url.render_as_string(hide_password=True)
    if key not in _fts_available:
        found = (
            session.connection()
            .exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FTS_TABLE,))
            .first()
        )
        _fts_available[key] = found is not None
    return _fts_available[key]


def _fts_query(words: list[str]) -> str:
    """Every trigram of every word (the table keeps no positions, to stay small): a superset that LIKE narrows."""
    trigrams = sorted({word[start : start + TRIGRAM] for word in words for start in range(len(word) - TRIGRAM + 1)})
    return " AND ".join('"' + trigram.replace('"', '""') + '"' for trigram in trigrams)


def search_titles(session: Session, query: Select, words: list[str]) -> TitleSearch:
    """Every word in the title, anywhere (substring, as LIKE '%word%' always matched), served by an index.

    PostgreSQL's pg_trgm GIN index answers LIKE itself; on SQLite the FTS5 trigram table drives the query in id
    order (words of three letters or more) and LIKE re-checks the rows it hands over."""
    likes = [Item.search_title.like(f"%{word}%") for word in words]
    long_words = [word for word in words if len(word) >= TRIGRAM]
    if session.get_bind().dialect.name != "sqlite" or not long_words or not has_fts(session):
        return TitleSearch(query.where(*likes), Item.id)
    fts = table(FTS_TABLE, column("rowid"))
    narrowed = query.join(fts, fts.c.rowid == Item.id).where(
        literal_column(FTS_TABLE).op("MATCH")(_fts_query(long_words)), *likes
    )
    return TitleSearch(narrowed, fts.c.rowid)
