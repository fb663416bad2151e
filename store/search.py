"""Title search that scales: SQLite's FTS5 trigram table and PostgreSQL's pg_trgm index, both created by migration
0003, keep the queue's substring search over item.search_title (words with and without tone marks) off a full scan."""

from __future__ import annotations

from sqlalchemy import literal_column, select, table
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from store.models import Item

FTS_TABLE = "item_search"
TRIGRAM_INDEX = "ix_item_search_trgm"
TRIGRAM = 3  # the shortest word a trigram index can look up; shorter words are checked on the found rows
# Objects the migration creates outside the models (a virtual table and its shadow tables, an index with an operator
# class), so the models-vs-migrations check leaves them alone.
MIGRATION_ONLY = {FTS_TABLE, *(f"{FTS_TABLE}_{part}" for part in ("data", "idx", "content", "docsize", "config")),
                  TRIGRAM_INDEX}
_fts_available: dict[str, bool] = {}


def has_fts(session: Session) -> bool:
    """Whether this SQLite database has the FTS5 table (an SQLite built without FTS5 keeps the plain LIKE search)."""
    bind = session.get_bind()
    key = bind.url.render_as_string(hide_password=True)
    if key not in _fts_available:
        found = session.connection().exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FTS_TABLE,)).first()
        _fts_available[key] = found is not None
    return _fts_available[key]


def _fts_query(words: list[str]) -> str:
    """Every trigram of every word (the table keeps no positions, to stay small): a superset that LIKE narrows."""
    trigrams = sorted({word[start:start + TRIGRAM] for word in words for start in range(len(word) - TRIGRAM + 1)})
    return " AND ".join('"' + trigram.replace('"', '""') + '"' for trigram in trigrams)


def title_conditions(session: Session, words: list[str]) -> list[ColumnElement[bool]]:
    """Every word in the title, anywhere (substring, as LIKE '%word%' always matched), served by an index.

    PostgreSQL's pg_trgm GIN index answers LIKE itself; on SQLite the words of three letters or more go to the FTS5
    trigram table and LIKE re-checks the rows it found."""
    likes = [Item.search_title.like(f"%{word}%") for word in words]
    long_words = [word for word in words if len(word) >= TRIGRAM]
    if session.get_bind().dialect.name != "sqlite" or not long_words or not has_fts(session):
        return likes
    found = (select(literal_column("rowid")).select_from(table(FTS_TABLE))
             .where(literal_column(FTS_TABLE).op("MATCH")(_fts_query(long_words))))
    return [Item.id.in_(found), *likes]
