"""item.search_title: lower-case titles, with and without tone marks, for the review queue's search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:10:00
"""

import sqlalchemy as sa
from alembic import op

from gdnn_monitor.core.textnorm import search_index

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

BATCH = 1000
QUEUE_COLUMNS = ['review', 'zone', 'gdnn_score', 'source_id', 'theme', 'published_at', 'fetched_at']


def upgrade() -> None:
    op.add_column('item', sa.Column('search_title', sa.Text(), nullable=True))
    _fill_search_titles()
    # the queue's covering index also carries the search text, so a search never reads the article rows
    op.drop_index('ix_item_queue', table_name='item')
    op.create_index('ix_item_queue', 'item', QUEUE_COLUMNS + ['search_title'], unique=False)


def _fill_search_titles() -> None:
    connection = op.get_bind()
    item = sa.table(
        'item', sa.column('id', sa.Integer), sa.column('title', sa.Text), sa.column('search_title', sa.Text)
    )
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(item.c.id, item.c.title).where(item.c.id > last_id).order_by(item.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            item.update().where(item.c.id == sa.bindparam('row_id')).values(search_title=sa.bindparam('folded')),
            [{'row_id': row.id, 'folded': search_index(row.title)} for row in rows],
        )
        last_id = rows[-1].id


def downgrade() -> None:
    op.drop_index('ix_item_queue', table_name='item')
    op.create_index('ix_item_queue', 'item', QUEUE_COLUMNS, unique=False)
    op.drop_column('item', 'search_title')
