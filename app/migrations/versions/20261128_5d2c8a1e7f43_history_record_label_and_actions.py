"""change history: the record's label at write time; actions longer than create/update/delete

Revision ID: 5d2c8a1e7f43
Revises: 01eef9b9e902
Create Date: 2026-11-28 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '5d2c8a1e7f43'
down_revision = '01eef9b9e902'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('record_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('record_label', sa.JSON(), nullable=True))
        batch_op.alter_column('action', existing_type=sa.String(length=8),
                              type_=sa.String(length=24), existing_nullable=False)


def downgrade():
    with op.batch_alter_table('record_change', schema=None) as batch_op:
        batch_op.alter_column('action', existing_type=sa.String(length=24),
                              type_=sa.String(length=8), existing_nullable=False)
        batch_op.drop_column('record_label')
