"""exclusive options: a multiple-choice option such as "None of these" that is chosen on its own

Revision ID: 0070
Revises: 0014
Create Date: 2026-12-04 19:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0070'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('options', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('exclusive', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table('options', schema=None) as batch_op:
        batch_op.drop_column('exclusive')
