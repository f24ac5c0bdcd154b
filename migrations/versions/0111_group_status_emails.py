"""community groups: the day a group stopped the emails about its applications' progress

Revision ID: 0111
Revises: 0110
Create Date: 2026-12-04 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0111'
down_revision = '0110'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('community_groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_emails_stopped_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('community_groups', schema=None) as batch_op:
        batch_op.drop_column('status_emails_stopped_on')
