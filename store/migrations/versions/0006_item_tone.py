"""item.tone / tone_phrases and classification.tone: bad news about vocational schools flagged for review

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-30 17:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Items classified before this revision keep tone NULL ("not assessed") until `gdnn-monitor classify --all`:
    # the tone comes from the classifier, which a migration does not run. Plain ADD/DROP COLUMN, never a batch table
    # copy: SQLite cannot copy the generated queue_order column of 0003.
    op.add_column('item', sa.Column('tone', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
    op.add_column('item', sa.Column('tone_phrases', sa.Text(), nullable=True))
    op.create_index(op.f('ix_item_tone'), 'item', ['tone'], unique=False)
    op.add_column('classification', sa.Column('tone', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))


def downgrade() -> None:
    op.drop_column('classification', 'tone')
    op.drop_index(op.f('ix_item_tone'), table_name='item')
    op.drop_column('item', 'tone_phrases')
    op.drop_column('item', 'tone')
