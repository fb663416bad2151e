"""Pages that stay fast as the archive grows: the queue's order as an indexed column, queue indexes by status, source
and for "all", title search indexes (SQLite FTS5 trigram, PostgreSQL pg_trgm), and the dashboard's summary cache with
the items' change counter that tells it when to add up again.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 16:50:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import store.types

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

QUEUE_ORDER_SQL = (
    "CASE zone WHEN 'review' THEN 0 WHEN 'accept' THEN 1 WHEN 'reject' THEN 2 ELSE 3 END "
    "+ abs(coalesce(gdnn_score, 0.5) - 0.5)"
)
FILTERS = ['source_id', 'theme', 'published_at', 'fetched_at']
OLD_QUEUE_INDEX = ['review', 'zone', 'gdnn_score', 'source_id', 'theme', 'published_at', 'fetched_at', 'search_title']
# Columns whose change can change what the dashboard counts (store/counting.py and store/reports.py read them).
COUNTED_COLUMNS = "review, zone, published_at, fetched_at, story_id, source_id, genre, channel, theme, quantity"
FTS_TABLE = 'item_search'
TRIGRAM_INDEX = 'ix_item_search_trgm'


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    # SQLite adds a virtual generated column without rewriting the table; PostgreSQL stores it.
    stored = True if dialect == 'postgresql' else None  # PostgreSQL 18 would make it VIRTUAL, which no index takes
    op.add_column(
        'item', sa.Column('queue_order', sa.Float(), sa.Computed(QUEUE_ORDER_SQL, persisted=stored), nullable=True)
    )
    op.drop_index('ix_item_queue', table_name='item')
    newest_first = sa.text('id DESC')
    op.create_index('ix_item_queue_order', 'item', ['review', 'queue_order', newest_first] + FILTERS, unique=False)
    op.create_index(
        'ix_item_queue_source',
        'item',
        ['source_id', 'queue_order', newest_first, 'review', 'theme', 'published_at', 'fetched_at'],
        unique=False,
    )
    op.create_index('ix_item_queue_all', 'item', ['queue_order', newest_first] + FILTERS, unique=False)
    # counted_clause()'s "confirmed, whatever the zone" branch by period: the monthly report reads only its month
    op.create_index('ix_item_review_published', 'item', ['review', 'published_at', 'fetched_at'], unique=False)
    op.create_table(
        'summarycache',
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('computed_at', store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )
    op.create_table(
        'itemchange',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.execute("INSERT INTO itemchange (id, version) VALUES (1, 0)")
    if dialect == 'sqlite':
        _sqlite_change_triggers()
        _sqlite_title_search()
    elif dialect == 'postgresql':
        _postgres_change_triggers()
        _postgres_title_search()
        # The rewritten table's statistics (and queue_order's) for the planner at once, not at autovacuum's next turn.
        op.execute("ANALYZE item")


def _sqlite_change_triggers() -> None:
    bump = "BEGIN UPDATE itemchange SET version = version + 1 WHERE id = 1; END"
    op.execute(f"CREATE TRIGGER item_change_insert AFTER INSERT ON item {bump}")
    op.execute(f"CREATE TRIGGER item_change_delete AFTER DELETE ON item {bump}")
    op.execute(f"CREATE TRIGGER item_change_update AFTER UPDATE OF {COUNTED_COLUMNS} ON item {bump}")
    op.execute(f"CREATE TRIGGER source_change AFTER UPDATE OF kind ON source {bump}")


def _postgres_change_triggers() -> None:
    # A sequence, not a row: concurrent crawler workers and reviewers must not queue on (or deadlock over) one row.
    op.execute("CREATE SEQUENCE item_change_seq")
    op.execute(
        "CREATE FUNCTION item_change_bump() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN PERFORM nextval('item_change_seq'); RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER item_change AFTER INSERT OR DELETE OR UPDATE OF "
        f"{COUNTED_COLUMNS} ON item FOR EACH STATEMENT EXECUTE FUNCTION item_change_bump()"
    )
    op.execute(
        "CREATE TRIGGER source_change AFTER UPDATE OF kind ON source FOR EACH STATEMENT "
        "EXECUTE FUNCTION item_change_bump()"
    )


def _sqlite_title_search() -> None:
    """An external-content FTS5 table (the titles are not stored twice) kept in step by triggers."""
    connection = op.get_bind()
    try:
        connection.exec_driver_sql("CREATE VIRTUAL TABLE temp.gdnn_probe USING fts5(x, tokenize='trigram')")
        connection.exec_driver_sql("DROP TABLE temp.gdnn_probe")
    except sa.exc.OperationalError as exc:
        print(f"0003: SQLite has no FTS5 trigram tokenizer ({exc.orig}); the title search stays a LIKE scan")
        return
    op.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(search_title, content='item', content_rowid='id', "
        "tokenize='trigram', detail='none')"
    )
    op.execute(
        f"CREATE TRIGGER item_search_insert AFTER INSERT ON item BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, search_title) VALUES (new.id, new.search_title); END"
    )
    forget = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_title) VALUES ('delete', old.id, old.search_title);"
    op.execute(f"CREATE TRIGGER item_search_delete AFTER DELETE ON item BEGIN {forget} END")
    op.execute(
        f"CREATE TRIGGER item_search_update AFTER UPDATE OF search_title ON item BEGIN {forget} "
        f"INSERT INTO {FTS_TABLE}(rowid, search_title) VALUES (new.id, new.search_title); END"
    )
    op.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def _postgres_title_search() -> None:
    """pg_trgm ships with PostgreSQL's contrib and is a trusted extension (a database owner may create it); a server
    without it keeps working with the plain LIKE scan, and says so."""
    connection = op.get_bind()
    available = (
        connection.exec_driver_sql("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").first() is not None
    )
    if available:
        try:
            with connection.begin_nested():
                connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except sa.exc.DBAPIError as exc:
            print(f"0003: cannot create the pg_trgm extension ({exc.orig}); the title search stays a LIKE scan")
            return
    else:
        print(
            "0003: this PostgreSQL server has no pg_trgm extension (package postgresql-contrib); "
            "the title search stays a LIKE scan"
        )
        return
    op.execute(f"CREATE INDEX {TRIGRAM_INDEX} ON item USING gin (search_title gin_trgm_ops)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for trigger in (
            'item_change_insert',
            'item_change_delete',
            'item_change_update',
            'source_change',
            'item_search_insert',
            'item_search_delete',
            'item_search_update',
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif dialect == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS item_change ON item")
        op.execute("DROP TRIGGER IF EXISTS source_change ON source")
        op.execute("DROP FUNCTION IF EXISTS item_change_bump()")
        op.execute("DROP SEQUENCE IF EXISTS item_change_seq")
        op.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    op.drop_table('itemchange')
    op.drop_table('summarycache')
    op.drop_index('ix_item_review_published', table_name='item')
    op.drop_index('ix_item_queue_all', table_name='item')
    op.drop_index('ix_item_queue_source', table_name='item')
    op.drop_index('ix_item_queue_order', table_name='item')
    op.create_index('ix_item_queue', 'item', OLD_QUEUE_INDEX, unique=False)
    with op.batch_alter_table('item') as batch_op:
        batch_op.drop_column('queue_order')
