"""user session stamp: logout, password change and deactivation end every session

Revision ID: 2a8755357965
Revises: cc136181eea4
Create Date: 2026-11-27 17:30:00
"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '2a8755357965'
down_revision = 'cc136181eea4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_stamp', sa.String(length=32), nullable=True))
    users = sa.table('ab_user', sa.column('id', sa.Integer), sa.column('session_stamp', sa.String))
    connection = op.get_bind()
    for (pk,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == pk)
                           .values(session_stamp=secrets.token_hex(16)))
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.alter_column('session_stamp', existing_type=sa.String(length=32), nullable=False)


def downgrade():
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.drop_column('session_stamp')
