"""tallies folded after submission; questions revision

Responses gain `tallied`: a submission no longer updates the shared tally rows itself, and
tallies.fold_pending adds untallied responses to them in batches. Every response stored before
this revision was counted as it was stored, so existing rows start as tallied.

Consultations gain `questions_revision`, a new random number at every change to their questions,
so a cached copy of the rules the answers are checked against knows when it is stale.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('tallied', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(sa.text('UPDATE responses SET tallied = true'))
    op.create_index(
        'ix_responses_untallied',
        'responses',
        ['consultation_id'],
        unique=False,
        postgresql_where=sa.text('NOT tallied'),
        sqlite_where=sa.text('tallied = 0'),
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('questions_revision', sa.BigInteger(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_column('questions_revision')
    op.drop_index('ix_responses_untallied', table_name='responses')
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_column('tallied')
