"""background job restarts: how often the sweeper queued a job again after its worker stopped

The sweeper restarts a job whose worker died (or could not reach the database) a few times,
then fails it with a clear message; the count keeps it from restarting a broken job forever.

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-04 19:45:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0041'
down_revision = '0040'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('background_jobs') as batch:
        batch.add_column(
            sa.Column('restarts', sa.Integer(), nullable=False, server_default='0')
        )


def downgrade():
    with op.batch_alter_table('background_jobs') as batch:
        batch.drop_column('restarts')
