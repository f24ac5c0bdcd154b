"""code frames and coding: codes built from suggested themes, their history, who coded what

A free-text question or a social campaign gets a code frame; its codes keep their history in
code_events (accepted, rejected, renamed, merged). coded_texts holds one row per text coded in
a frame per pass (first coding, or a second coder's on a sample), unique, so two coders saving
the same text at once cannot code it twice; codings holds the codes applied, each saying who
applied it (NULL: the machine, with its confidence).

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-04 02:13:33.980819

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('code_frames',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(question_id IS NULL) <> (campaign_id IS NULL)', name=op.f('ck_code_frames_question_or_campaign')),
    sa.ForeignKeyConstraint(['campaign_id'], ['social_campaigns.id'], name=op.f('fk_code_frames_campaign_id_social_campaigns')),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_code_frames_question_id_questions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_frames')),
    sa.UniqueConstraint('campaign_id', name=op.f('uq_code_frames_campaign_id')),
    sa.UniqueConstraint('question_id', name=op.f('uq_code_frames_question_id'))
    )
    op.create_table('codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('frame_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('name_key', sa.String(length=80), nullable=False),
    sa.Column('description', sa.String(length=1000), nullable=False),
    sa.Column('status', sa.Enum('active', 'merged', 'rejected', name='codestatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(status = 'merged') = (merged_into_id IS NOT NULL)", name=op.f('ck_codes_merged_has_target')),
    sa.ForeignKeyConstraint(['frame_id'], ['code_frames.id'], name=op.f('fk_codes_frame_id_code_frames')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['codes.id'], name=op.f('fk_codes_merged_into_id_codes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_codes'))
    )
    with op.batch_alter_table('codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_codes_frame_id'), ['frame_id'], unique=False)
        batch_op.create_index('uq_codes_active_name', ['frame_id', 'name_key'], unique=True, postgresql_where=sa.text("status = 'active'"), sqlite_where=sa.text("status = 'active'"))

    op.create_table('code_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('accepted', 'rejected', 'renamed', 'described', 'merged_into', 'absorbed', name='codeeventkind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('old_name', sa.String(length=80), nullable=True),
    sa.Column('new_name', sa.String(length=80), nullable=True),
    sa.Column('other_code_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['code_id'], ['codes.id'], name=op.f('fk_code_events_code_id_codes')),
    sa.ForeignKeyConstraint(['other_code_id'], ['codes.id'], name=op.f('fk_code_events_other_code_id_codes')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id'], name=op.f('fk_code_events_staff_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_events'))
    )
    with op.batch_alter_table('code_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_code_events_code_id'), ['code_id'], unique=False)

    op.create_table('coded_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('frame_id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('coding_pass', sa.Enum('first', 'second', name='codingpass', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('coder_id', sa.Integer(), nullable=True),
    sa.Column('coded_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("coding_pass = 'first' OR coder_id IS NOT NULL", name=op.f('ck_coded_texts_second_pass_by_a_person')),
    sa.CheckConstraint('(answer_id IS NULL) <> (post_id IS NULL)', name=op.f('ck_coded_texts_answer_or_post')),
    sa.CheckConstraint('(coder_id IS NULL) = (coded_at IS NULL)', name=op.f('ck_coded_texts_coder_has_time')),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], name=op.f('fk_coded_texts_answer_id_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['coder_id'], ['staff_users.id'], name=op.f('fk_coded_texts_coder_id_staff_users')),
    sa.ForeignKeyConstraint(['frame_id'], ['code_frames.id'], name=op.f('fk_coded_texts_frame_id_code_frames')),
    sa.ForeignKeyConstraint(['post_id'], ['social_posts.id'], name=op.f('fk_coded_texts_post_id_social_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coded_texts')),
    sa.UniqueConstraint('frame_id', 'answer_id', 'coding_pass', name='uq_coded_texts_answer'),
    sa.UniqueConstraint('frame_id', 'post_id', 'coding_pass', name='uq_coded_texts_post')
    )
    with op.batch_alter_table('coded_texts', schema=None) as batch_op:
        batch_op.create_index('ix_coded_texts_answer_id', ['answer_id'], unique=False)
        batch_op.create_index('ix_coded_texts_post_id', ['post_id'], unique=False)

    op.create_table('codings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coded_text_id', sa.Integer(), nullable=False),
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('human', 'machine', name='codingsource', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(source = 'machine') = (assigned_by_id IS NULL)", name=op.f('ck_codings_machine_or_person')),
    sa.CheckConstraint("source = 'human' OR confidence IS NOT NULL", name=op.f('ck_codings_machine_gives_confidence')),
    sa.CheckConstraint('confidence IS NULL OR (confidence >= 0 AND confidence <= 1)', name=op.f('ck_codings_confidence_is_probability')),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['staff_users.id'], name=op.f('fk_codings_assigned_by_id_staff_users')),
    sa.ForeignKeyConstraint(['code_id'], ['codes.id'], name=op.f('fk_codings_code_id_codes')),
    sa.ForeignKeyConstraint(['coded_text_id'], ['coded_texts.id'], name=op.f('fk_codings_coded_text_id_coded_texts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_codings')),
    sa.UniqueConstraint('coded_text_id', 'code_id', name='uq_codings_text_code')
    )
    with op.batch_alter_table('codings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_codings_code_id'), ['code_id'], unique=False)



def downgrade():
    with op.batch_alter_table('codings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_codings_code_id'))

    op.drop_table('codings')
    with op.batch_alter_table('coded_texts', schema=None) as batch_op:
        batch_op.drop_index('ix_coded_texts_post_id')
        batch_op.drop_index('ix_coded_texts_answer_id')

    op.drop_table('coded_texts')
    with op.batch_alter_table('code_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_code_events_code_id'))

    op.drop_table('code_events')
    with op.batch_alter_table('codes', schema=None) as batch_op:
        batch_op.drop_index('uq_codes_active_name', postgresql_where=sa.text("status = 'active'"), sqlite_where=sa.text("status = 'active'"))
        batch_op.drop_index(batch_op.f('ix_codes_frame_id'))

    op.drop_table('codes')
    op.drop_table('code_frames')
