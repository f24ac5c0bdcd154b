"""sentiment corrections: what staff read a post or comment as, apart from the model's polarity

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 03:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

KNOWN = "IN ('negative', 'neutral', 'positive')"


def upgrade():
    op.create_table(
        'sentiment_corrections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('post_id', sa.Integer(), nullable=True),
        sa.Column('answer_id', sa.Integer(), nullable=True),
        sa.Column('label', sa.String(length=8), nullable=False),
        sa.Column('model_label', sa.String(length=8), nullable=False),
        sa.Column('model_polarity', sa.Float(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            '(post_id IS NULL) <> (answer_id IS NULL)',
            name=op.f('ck_sentiment_corrections_post_or_answer'),
        ),
        sa.CheckConstraint(f'label {KNOWN}', name=op.f('ck_sentiment_corrections_label_known')),
        sa.CheckConstraint(
            f'model_label {KNOWN}', name=op.f('ck_sentiment_corrections_model_label_known')
        ),
        sa.ForeignKeyConstraint(
            ['answer_id'], ['answers.id'],
            name=op.f('fk_sentiment_corrections_answer_id_answers'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['post_id'], ['social_posts.id'],
            name=op.f('fk_sentiment_corrections_post_id_social_posts'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['staff_id'], ['staff_users.id'],
            name=op.f('fk_sentiment_corrections_staff_id_staff_users'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sentiment_corrections')),
        sa.UniqueConstraint('answer_id', name=op.f('uq_sentiment_corrections_answer_id')),
        sa.UniqueConstraint('post_id', name=op.f('uq_sentiment_corrections_post_id')),
    )


def downgrade():
    op.drop_table('sentiment_corrections')
