"""project reports (measure C1): a project's monthly progress report, one per project and
month (the month's row opened empty with its SLA clock, filled in by the secretary)

Revision ID: c8e6eeebc0d0
Revises: d03d422f8a20
Create Date: 2026-11-28 03:56:53.923729
"""
from alembic import op
import sqlalchemy as sa


revision = 'c8e6eeebc0d0'
down_revision = 'd03d422f8a20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('project_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('progress', sa.Text(), nullable=True),
    sa.Column('problems', sa.Text(), nullable=True),
    sa.Column('next_steps', sa.Text(), nullable=True),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('reported_at', sa.DateTime(), nullable=True),
    sa.Column('on_time', sa.Boolean(), nullable=True),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.Column('changed_on', sa.DateTime(), nullable=False),
    sa.Column('created_by_fk', sa.Integer(), nullable=True),
    sa.Column('changed_by_fk', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_fk'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['created_by_fk'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reported_by_id'], ['ab_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'month', name='uq_project_report_month')
    )
    with op.batch_alter_table('project_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_report_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_report_month'), ['month'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_report_project_id'), ['project_id'], unique=False)



def downgrade():
    with op.batch_alter_table('project_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_report_project_id'))
        batch_op.drop_index(batch_op.f('ix_project_report_month'))
        batch_op.drop_index(batch_op.f('ix_project_report_department_id'))

    op.drop_table('project_report')
