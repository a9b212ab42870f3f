"""resolutions (measure A2): investment review meetings, their agenda items, resolutions with
their progress updates, timeline and attachments, and the stored monthly supervision reports

Revision ID: ed9d42c48208
Revises: a7b466132103
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


revision = 'ed9d42c48208'
down_revision = 'a7b466132103'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('resolution_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('generated_at', sa.DateTime(), nullable=False),
    sa.Column('generated_by_id', sa.Integer(), nullable=True),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('xlsx', sa.LargeBinary(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('xlsx_sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
    sa.ForeignKeyConstraint(['generated_by_id'], ['ab_user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('month', 'version', name='uq_resolution_report_version')
    )
    with op.batch_alter_table('resolution_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resolution_report_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resolution_report_month'), ['month'], unique=False)

    op.create_table('investment_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_ja', sa.String(length=200), nullable=True),
    sa.Column('name_en', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.Column('changed_on', sa.DateTime(), nullable=False),
    sa.Column('created_by_fk', sa.Integer(), nullable=True),
    sa.Column('changed_by_fk', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_fk'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['created_by_fk'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('investment_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_investment_meeting_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_investment_meeting_held_on'), ['held_on'], unique=False)

    op.create_table('resolution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('text_zh', sa.Text(), nullable=False),
    sa.Column('text_ja', sa.Text(), nullable=True),
    sa.Column('text_en', sa.Text(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('handling_department_id', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('original_deadline', sa.Date(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.Column('changed_on', sa.DateTime(), nullable=False),
    sa.Column('created_by_fk', sa.Integer(), nullable=True),
    sa.Column('changed_by_fk', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_fk'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['created_by_fk'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
    sa.ForeignKeyConstraint(['handling_department_id'], ['department.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['investment_meeting.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('resolution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resolution_completed_on'), ['completed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_resolution_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_resolution_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resolution_handling_department_id'), ['handling_department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resolution_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resolution_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resolution_state'), ['state'], unique=False)

    op.create_table('investment_agenda_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_for', sa.String(length=24), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.Column('changed_on', sa.DateTime(), nullable=False),
    sa.Column('created_by_fk', sa.Integer(), nullable=True),
    sa.Column('changed_by_fk', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_fk'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['created_by_fk'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['investment_meeting.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('investment_agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_investment_agenda_item_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_investment_agenda_item_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_investment_agenda_item_project_id'), ['project_id'], unique=False)

    op.create_table('resolution_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resolution_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['resolution_id'], ['resolution.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('stored_name')
    )
    with op.batch_alter_table('resolution_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resolution_attachment_resolution_id'), ['resolution_id'], unique=False)

    op.create_table('resolution_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resolution_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=True),
    sa.Column('to_state', sa.String(length=16), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['resolution_id'], ['resolution.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('resolution_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resolution_event_resolution_id'), ['resolution_id'], unique=False)

    op.create_table('resolution_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resolution_id', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['resolution_id'], ['resolution.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('resolution_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resolution_progress_resolution_id'), ['resolution_id'], unique=False)



def downgrade():
    with op.batch_alter_table('resolution_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resolution_progress_resolution_id'))

    op.drop_table('resolution_progress')
    with op.batch_alter_table('resolution_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resolution_event_resolution_id'))

    op.drop_table('resolution_event')
    with op.batch_alter_table('resolution_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resolution_attachment_resolution_id'))

    op.drop_table('resolution_attachment')
    with op.batch_alter_table('investment_agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_investment_agenda_item_project_id'))
        batch_op.drop_index(batch_op.f('ix_investment_agenda_item_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_investment_agenda_item_department_id'))

    op.drop_table('investment_agenda_item')
    with op.batch_alter_table('resolution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resolution_state'))
        batch_op.drop_index(batch_op.f('ix_resolution_project_id'))
        batch_op.drop_index(batch_op.f('ix_resolution_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_resolution_handling_department_id'))
        batch_op.drop_index(batch_op.f('ix_resolution_department_id'))
        batch_op.drop_index(batch_op.f('ix_resolution_deadline'))
        batch_op.drop_index(batch_op.f('ix_resolution_completed_on'))

    op.drop_table('resolution')
    with op.batch_alter_table('investment_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_investment_meeting_held_on'))
        batch_op.drop_index(batch_op.f('ix_investment_meeting_department_id'))

    op.drop_table('investment_meeting')
    with op.batch_alter_table('resolution_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resolution_report_month'))
        batch_op.drop_index(batch_op.f('ix_resolution_report_department_id'))

    op.drop_table('resolution_report')
