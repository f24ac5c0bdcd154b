"""code frame training report: the last training's per-code precision and recall, and when

Training code suggestions runs as a background job; its report is kept on the frame so that the
training page shows it again after a reload without training again.

Revision ID: 0040
Revises: 0030
Create Date: 2026-12-04 19:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0040'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('code_frames') as batch:
        batch.add_column(sa.Column('training_report', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('trained_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('code_frames') as batch:
        batch.drop_column('trained_at')
        batch.drop_column('training_report')
