"""unread notices index (the top bar counts a department's unread notices on every page)

Revision ID: 5e1d0a7c9b42
Revises: 5d2c8a1e7f43
Create Date: 2026-11-28 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '5e1d0a7c9b42'
down_revision = '5d2c8a1e7f43'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index('ix_notice_unread', ['department_id'], unique=False, sqlite_where=sa.text('read_at IS NULL'), postgresql_where=sa.text('read_at IS NULL'))


def downgrade():
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_unread', sqlite_where=sa.text('read_at IS NULL'), postgresql_where=sa.text('read_at IS NULL'))
