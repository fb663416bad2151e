"""Items from the real web: feed_only (stored from a feed entry where robots.txt refuses the page), attachment_url
(the PDF/DOC of a notice), publisher (the outlet an aggregator feed attributes an entry to); source.crawl_note (a
standing remark on how the source is crawled, e.g. robots.txt refuses us)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 16:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN, never a batch table copy: SQLite cannot copy the generated queue_order column of 0003.
def upgrade() -> None:
    op.add_column('item', sa.Column('feed_only', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('item', sa.Column('attachment_url', sa.Text(), nullable=True))
    op.add_column('item', sa.Column('publisher', sa.String(), nullable=True))
    op.add_column('source', sa.Column('crawl_note', sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column('source', 'crawl_note')
    for name in ('publisher', 'attachment_url', 'feed_only'):
        op.drop_column('item', name)
