"""Approval schedules (A3): the approval handbook (approval_item, seeded from
seeds/approval_items.yaml) and each project's scheduled items (schedule_item).

Revision ID: a7b466132103
Revises: 46ac6a4a1d2f
Create Date: 2026-11-28 03:59:20.147082
"""
import sqlalchemy as sa
from alembic import op


revision = 'a7b466132103'
down_revision = '46ac6a4a1d2f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('approval_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=48), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=24), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_ja', sa.String(length=200), nullable=True),
    sa.Column('name_en', sa.String(length=200), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('documents_zh', sa.Text(), nullable=True),
    sa.Column('documents_ja', sa.Text(), nullable=True),
    sa.Column('documents_en', sa.Text(), nullable=True),
    sa.Column('depends_on', sa.String(length=500), nullable=False),
    sa.Column('industries', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('schedule_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('approval_item_id', sa.Integer(), nullable=False),
    sa.Column('duration', sa.Integer(), nullable=False),
    sa.Column('depends_on', sa.String(length=500), nullable=False),
    sa.Column('late_start', sa.Date(), nullable=True),
    sa.Column('late_finish', sa.Date(), nullable=True),
    sa.Column('early_start', sa.Date(), nullable=True),
    sa.Column('early_finish', sa.Date(), nullable=True),
    sa.Column('slack', sa.Integer(), nullable=True),
    sa.Column('critical', sa.Boolean(), nullable=False),
    sa.Column('actual_start', sa.Date(), nullable=True),
    sa.Column('actual_end', sa.Date(), nullable=True),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.Column('changed_on', sa.DateTime(), nullable=False),
    sa.Column('created_by_fk', sa.Integer(), nullable=True),
    sa.Column('changed_by_fk', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['approval_item_id'], ['approval_item.id'], ),
    sa.ForeignKeyConstraint(['changed_by_fk'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['created_by_fk'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'approval_item_id')
    )
    with op.batch_alter_table('schedule_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_item_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_schedule_item_project_id'), ['project_id'], unique=False)



def downgrade():
    with op.batch_alter_table('schedule_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_item_project_id'))
        batch_op.drop_index(batch_op.f('ix_schedule_item_department_id'))

    op.drop_table('schedule_item')
    op.drop_table('approval_item')
