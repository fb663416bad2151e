"""item.tone / tone_phrases and classification.tone: bad news about vocational schools flagged for review

Revision ID: 0006
Revises: 0002
Create Date: 2026-11-30 17:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0006'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Items classified before this revision keep tone NULL ("not assessed") until `gdnn-monitor classify --all`:
    # the tone comes from the classifier, which a migration does not run.
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tone', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
        batch_op.add_column(sa.Column('tone_phrases', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_item_tone'), ['tone'], unique=False)
    with op.batch_alter_table('classification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tone', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('classification', schema=None) as batch_op:
        batch_op.drop_column('tone')
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_tone'))
        batch_op.drop_column('tone_phrases')
        batch_op.drop_column('tone')
