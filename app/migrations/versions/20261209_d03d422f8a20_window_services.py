"""window services (measure A4): the Japanese-language window's log of services, each
with the work order its follow-up became

Revision ID: d03d422f8a20
Revises: 07a36a94c4e1
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


revision = 'd03d422f8a20'
down_revision = '07a36a94c4e1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('window_service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('matter', sa.String(length=24), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('handler_id', sa.Integer(), nullable=True),
    sa.Column('served_at', sa.DateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('follow_up', sa.Text(), nullable=True),
    sa.Column('work_order_id', sa.Integer(), nullable=True),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.Column('changed_on', sa.DateTime(), nullable=False),
    sa.Column('created_by_fk', sa.Integer(), nullable=True),
    sa.Column('changed_by_fk', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_fk'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['created_by_fk'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.ForeignKeyConstraint(['handler_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_order.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('window_service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_window_service_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_window_service_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_window_service_handler_id'), ['handler_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_window_service_matter'), ['matter'], unique=False)
        batch_op.create_index('ix_window_service_served_at', ['served_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_window_service_work_order_id'), ['work_order_id'], unique=False)



def downgrade():
    with op.batch_alter_table('window_service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_window_service_work_order_id'))
        batch_op.drop_index('ix_window_service_served_at')
        batch_op.drop_index(batch_op.f('ix_window_service_matter'))
        batch_op.drop_index(batch_op.f('ix_window_service_handler_id'))
        batch_op.drop_index(batch_op.f('ix_window_service_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_window_service_department_id'))

    op.drop_table('window_service')
