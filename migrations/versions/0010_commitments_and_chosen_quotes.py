"""commitments and chosen quotes

"We did": what the force and PCC undertook in response to a consultation, each with an owner,
a status and progress, linked to the Active Citizens Fund grants that deliver it; and the
comments staff chose, edited and checked for personal data, to quote on the public page.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 02:00:48.510571

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('status', sa.Enum('planned', 'under_way', 'done', 'dropped', name='commitmentstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('progress_percent', sa.Integer(), nullable=False),
    sa.Column('progress_note', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('progress_percent BETWEEN 0 AND 100', name=op.f('ck_commitments_commitment_progress_is_a_percentage')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_commitments_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['staff_users.id'], name=op.f('fk_commitments_updated_by_id_staff_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitments'))
    )
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitments_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('commitment_grants',
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['grant_applications.id'], name=op.f('fk_commitment_grants_application_id_grant_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_commitment_grants_commitment_id_commitments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('commitment_id', 'application_id', name=op.f('pk_commitment_grants'))
    )
    op.create_table('chosen_quotes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('checked_by_id', sa.Integer(), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], name=op.f('fk_chosen_quotes_answer_id_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['checked_by_id'], ['staff_users.id'], name=op.f('fk_chosen_quotes_checked_by_id_staff_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_chosen_quotes_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_chosen_quotes_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chosen_quotes')),
    sa.UniqueConstraint('answer_id', name='one_quote_per_answer')
    )
    with op.batch_alter_table('chosen_quotes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chosen_quotes_consultation_id'), ['consultation_id'], unique=False)



def downgrade():
    with op.batch_alter_table('chosen_quotes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chosen_quotes_consultation_id'))

    op.drop_table('chosen_quotes')
    op.drop_table('commitment_grants')
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitments_consultation_id'))

    op.drop_table('commitments')
