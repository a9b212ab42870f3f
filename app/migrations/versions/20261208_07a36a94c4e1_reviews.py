"""Expert review meetings (measure A1): review_meeting (project, convening institution, time,
venue, state, the institution's opinion, the admission decision), expert_review (one row per
panelist: the panel itself, the seven scores, the opinion, the private link's sha256) and the
meeting's timeline.

Revision ID: 07a36a94c4e1
Revises: ed9d42c48208
Create Date: 2026-11-28 04:00:56.675436
"""
from alembic import op
import sqlalchemy as sa


revision = '07a36a94c4e1'
down_revision = 'ed9d42c48208'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('held_at', sa.DateTime(), nullable=False),
    sa.Column('venue', sa.String(length=300), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('institution_opinion', sa.Text(), nullable=True),
    sa.Column('decision', sa.String(length=24), nullable=True),
    sa.Column('rationale', sa.Text(), nullable=True),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.Column('changed_on', sa.DateTime(), nullable=False),
    sa.Column('created_by_fk', sa.Integer(), nullable=True),
    sa.Column('changed_by_fk', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_fk'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['created_by_fk'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('review_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_meeting_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_meeting_held_at'), ['held_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_meeting_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_meeting_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_meeting_state'), ['state'], unique=False)

    op.create_table('expert_review',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('technical', sa.Integer(), nullable=True),
    sa.Column('advancement', sa.Integer(), nullable=True),
    sa.Column('energy', sa.Integer(), nullable=True),
    sa.Column('environment', sa.Integer(), nullable=True),
    sa.Column('safety', sa.Integer(), nullable=True),
    sa.Column('economic', sa.Integer(), nullable=True),
    sa.Column('social', sa.Integer(), nullable=True),
    sa.Column('opinion', sa.String(length=16), nullable=True),
    sa.Column('opinion_text', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('channel', sa.String(length=8), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['expert_id'], ['expert.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['review_meeting.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'expert_id')
    )
    with op.batch_alter_table('expert_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expert_review_expert_id'), ['expert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expert_review_token_hash'), ['token_hash'], unique=True)

    op.create_table('review_meeting_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_meeting_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=True),
    sa.Column('to_state', sa.String(length=16), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['review_meeting_id'], ['review_meeting.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('review_meeting_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_meeting_event_review_meeting_id'), ['review_meeting_id'], unique=False)



def downgrade():
    with op.batch_alter_table('review_meeting_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_meeting_event_review_meeting_id'))

    op.drop_table('review_meeting_event')
    with op.batch_alter_table('expert_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expert_review_token_hash'))
        batch_op.drop_index(batch_op.f('ix_expert_review_expert_id'))

    op.drop_table('expert_review')
    with op.batch_alter_table('review_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_meeting_state'))
        batch_op.drop_index(batch_op.f('ix_review_meeting_project_id'))
        batch_op.drop_index(batch_op.f('ix_review_meeting_institution_id'))
        batch_op.drop_index(batch_op.f('ix_review_meeting_held_at'))
        batch_op.drop_index(batch_op.f('ix_review_meeting_department_id'))

    op.drop_table('review_meeting')
