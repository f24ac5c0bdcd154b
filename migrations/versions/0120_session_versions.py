"""session versions: a password change or reset ends the account's sessions everywhere

Revision ID: 0120
Revises: 0090
Create Date: 2026-12-04 22:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0120'
down_revision = '0090'
branch_labels = None
depends_on = None

TABLES = ('staff_users', 'community_groups')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('session_version', sa.Integer(), server_default='0', nullable=False)
            )


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('session_version')
