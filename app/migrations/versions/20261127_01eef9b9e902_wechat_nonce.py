"""wechat nonces: signed callbacks are accepted once within the replay window

Revision ID: 01eef9b9e902
Revises: 2a8755357965
Create Date: 2026-11-27 17:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '01eef9b9e902'
down_revision = '2a8755357965'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('wechat_nonce',
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('nonce')
    )
    with op.batch_alter_table('wechat_nonce', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wechat_nonce_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('wechat_nonce', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wechat_nonce_expires_at'))

    op.drop_table('wechat_nonce')
