"""an enterprise may register again after cancelling: one registration per event and enterprise
among those not cancelled (a partial unique index instead of the unique constraint)

Revision ID: 4d7e2b9c1a05
Revises: 71884f3c8b0b
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


revision = '4d7e2b9c1a05'
down_revision = '71884f3c8b0b'
branch_labels = None
depends_on = None

NOT_CANCELLED = sa.text("status != 'cancelled'")


def upgrade():
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.drop_constraint('uq_event_registration_enterprise', type_='unique')
    op.create_index('uq_event_registration_enterprise', 'event_registration',
                    ['event_id', 'enterprise_id'], unique=True,
                    sqlite_where=NOT_CANCELLED, postgresql_where=NOT_CANCELLED)


def downgrade():
    op.drop_index('uq_event_registration_enterprise', table_name='event_registration')
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_event_registration_enterprise',
                                          ['event_id', 'enterprise_id'])
