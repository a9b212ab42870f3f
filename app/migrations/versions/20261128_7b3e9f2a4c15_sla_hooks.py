"""SLA hooks an administrator configures, and their delivery log

Revision ID: 7b3e9f2a4c15
Revises: 89a01336e719
Create Date: 2026-11-28 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '7b3e9f2a4c15'
down_revision = '89a01336e719'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hook',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('subject_type', sa.String(length=32), nullable=True),
    sa.Column('clock_name', sa.String(length=32), nullable=True),
    sa.Column('states', sa.JSON(), nullable=False),
    sa.Column('target_url', sa.String(length=500), nullable=False),
    sa.Column('secret', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.Column('changed_on', sa.DateTime(), nullable=False),
    sa.Column('created_by_fk', sa.Integer(), nullable=True),
    sa.Column('changed_by_fk', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_fk'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['created_by_fk'], ['ab_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('hook_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hook_id', sa.Integer(), nullable=False),
    sa.Column('transition_id', sa.Integer(), nullable=True),
    sa.Column('event', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=32), nullable=True),
    sa.Column('answer', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('last_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['hook_id'], ['hook.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['transition_id'], ['sla_transition.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('hook_id', 'transition_id')
    )
    with op.batch_alter_table('hook_delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hook_delivery_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_hook_delivery_hook_id'), ['hook_id'], unique=False)
        batch_op.create_index('ix_hook_delivery_due', ['next_attempt_at'], unique=False, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))


def downgrade():
    with op.batch_alter_table('hook_delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_hook_delivery_due', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index(batch_op.f('ix_hook_delivery_hook_id'))
        batch_op.drop_index(batch_op.f('ix_hook_delivery_created_at'))

    op.drop_table('hook_delivery')
    op.drop_table('hook')
