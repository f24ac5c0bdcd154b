"""surveys: sections (pages) of questions, and rules that show a question or section only to some

Revision ID: 0150
Revises: 0111
Create Date: 2026-12-05 03:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0150'
down_revision = '0111'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'question_sections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_question_sections_consultation_id_consultations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_question_sections')),
    )
    with op.batch_alter_table('question_sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_sections_consultation_id'), ['consultation_id'], unique=False)

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('section_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_questions_section_id'), ['section_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_questions_section_id_question_sections'), 'question_sections', ['section_id'], ['id'], ondelete='SET NULL')

    op.create_table(
        'display_rules',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=True),
        sa.Column('section_id', sa.Integer(), nullable=True),
        sa.Column('depends_on_id', sa.Integer(), nullable=False),
        sa.Column('negate', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint('(question_id IS NULL) <> (section_id IS NULL)', name=op.f('ck_display_rules_one_target')),
        sa.CheckConstraint('question_id IS NULL OR question_id <> depends_on_id', name=op.f('ck_display_rules_not_on_itself')),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_display_rules_consultation_id_consultations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['depends_on_id'], ['questions.id'], name=op.f('fk_display_rules_depends_on_id_questions')),
        sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_display_rules_question_id_questions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['section_id'], ['question_sections.id'], name=op.f('fk_display_rules_section_id_question_sections'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_display_rules')),
        sa.UniqueConstraint('question_id', name=op.f('uq_display_rules_question_id')),
        sa.UniqueConstraint('section_id', name=op.f('uq_display_rules_section_id')),
    )
    with op.batch_alter_table('display_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_display_rules_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_display_rules_depends_on_id'), ['depends_on_id'], unique=False)

    op.create_table(
        'display_rule_options',
        sa.Column('rule_id', sa.Integer(), nullable=False),
        sa.Column('option_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['option_id'], ['options.id'], name=op.f('fk_display_rule_options_option_id_options')),
        sa.ForeignKeyConstraint(['rule_id'], ['display_rules.id'], name=op.f('fk_display_rule_options_rule_id_display_rules'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('rule_id', 'option_id', name=op.f('pk_display_rule_options')),
    )


def downgrade():
    op.drop_table('display_rule_options')
    with op.batch_alter_table('display_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_display_rules_depends_on_id'))
        batch_op.drop_index(batch_op.f('ix_display_rules_consultation_id'))
    op.drop_table('display_rules')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_questions_section_id_question_sections'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_questions_section_id'))
        batch_op.drop_column('section_id')
    with op.batch_alter_table('question_sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_sections_consultation_id'))
    op.drop_table('question_sections')
