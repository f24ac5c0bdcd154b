"""answer drafts: a public form's answers between "Continue" and "Send" (post/redirect/get)

Found by a random key kept in the person's session; no contact details; removed once sent
(from the confirmation page) or after a day.

Revision ID: 0071
Revises: 0070
Create Date: 2026-12-04 19:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0071'
down_revision = '0070'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'answer_drafts',
        sa.Column('key', sa.String(length=43), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('values', sa.JSON(), nullable=False),
        sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['consultation_id'],
            ['consultations.id'],
            name=op.f('fk_answer_drafts_consultation_id_consultations'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_answer_drafts')),
    )
    with op.batch_alter_table('answer_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_drafts_saved_at'), ['saved_at'], unique=False)


def downgrade():
    with op.batch_alter_table('answer_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_drafts_saved_at'))
    op.drop_table('answer_drafts')
