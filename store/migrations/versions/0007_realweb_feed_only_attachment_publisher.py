"""Items from the real web: feed_only (stored from a feed entry where robots.txt refuses the page), attachment_url
(the PDF/DOC of a notice), publisher (the outlet an aggregator feed attributes an entry to); source.crawl_note (a
standing remark on how the source is crawled, e.g. robots.txt refuses us)

Revision ID: 0007
Revises: 0004
Create Date: 2026-11-30 16:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('item') as batch:
        batch.add_column(sa.Column('feed_only', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('attachment_url', sa.Text(), nullable=True))
        batch.add_column(sa.Column('publisher', sa.String(), nullable=True))
    with op.batch_alter_table('source') as batch:
        batch.add_column(sa.Column('crawl_note', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('source') as batch:
        batch.drop_column('crawl_note')
    with op.batch_alter_table('item') as batch:
        batch.drop_column('publisher')
        batch.drop_column('attachment_url')
        batch.drop_column('feed_only')
