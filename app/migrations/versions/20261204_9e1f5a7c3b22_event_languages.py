"""an event's venue and description in Chinese, Japanese and English (shown in the reader's
language, as its title): venue and description become the Chinese ones

Revision ID: 9e1f5a7c3b22
Revises: 4d7e2b9c1a05
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


revision = '9e1f5a7c3b22'
down_revision = '4d7e2b9c1a05'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.alter_column('venue', new_column_name='venue_zh',
                              existing_type=sa.String(length=300))
        batch_op.alter_column('description', new_column_name='description_zh',
                              existing_type=sa.Text())
        batch_op.add_column(sa.Column('venue_ja', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('venue_en', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('description_ja', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('description_en', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('description_en')
        batch_op.drop_column('description_ja')
        batch_op.drop_column('venue_en')
        batch_op.drop_column('venue_ja')
        batch_op.alter_column('description_zh', new_column_name='description',
                              existing_type=sa.Text())
        batch_op.alter_column('venue_zh', new_column_name='venue',
                              existing_type=sa.String(length=300))
