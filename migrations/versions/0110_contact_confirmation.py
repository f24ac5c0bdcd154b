"""contact requests: the day an opt-in to updates was confirmed, and the day it was withdrawn

Revision ID: 0110
Revises: 0090
Create Date: 2026-12-04 22:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0110'
down_revision = '0130'
branch_labels = None
depends_on = None


def upgrade():
    # Days, not timestamps, like created_on: a time of day could line a contact up with a
    # response.
    with op.batch_alter_table('contact_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('unsubscribed_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('contact_requests', schema=None) as batch_op:
        batch_op.drop_column('unsubscribed_on')
        batch_op.drop_column('confirmed_on')
