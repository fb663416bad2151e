"""sessions that can be revoked, decisions that serialise per item, login locks that survive a restart

- user.session_generation: bumped by logout, a password change, deactivation and "log out everywhere"; a session
  cookie made under an older generation is refused.
- item.review_version: bumped by every decision and undo; a decision is applied only if the version it read is still
  the item's (compare-and-set), so two officers cannot both undo the same decision.
- loginlock: the login throttle's locks (per address, per address + user name), kept across restarts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 16:40:00
"""

import sqlalchemy as sa
from alembic import op

from store.types import UTCDateTime

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN with a default: SQLite does it in place, without copying the item table
    op.add_column('user', sa.Column('session_generation', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('item', sa.Column('review_version', sa.Integer(), nullable=False, server_default='0'))
    op.create_table(
        'loginlock',
        sa.Column('key', sa.String(length=200), primary_key=True),
        sa.Column('locked_until', UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('loginlock')
    op.drop_column('item', 'review_version')  # plain DROP COLUMN: SQLite cannot copy 0003's generated column
    op.drop_column('user', 'session_generation')
