"""age band tallies: responses, answers and choices per channel, area and age band

Kept by the same fold as the tallies of 0004/0005, so results can be re-weighted by area and
age band from counts. Filled here from every response already folded (those still awaiting the
fold are added by it).

Revision ID: 0020
Revises: 0041
Create Date: 2026-12-04 20:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0041'
branch_labels = None
depends_on = None

TABLES = (
    ('response_age_tallies', 'consultation_id', 'consultations'),
    ('question_age_tallies', 'question_id', 'questions'),
    ('option_age_tallies', 'option_id', 'options'),
)
FOLDED = (
    "FROM responses r WHERE NOT EXISTS "
    "(SELECT 1 FROM responses_awaiting_tally q WHERE q.response_id = r.id)"
)
AGE = "COALESCE(r.age_band, 'not_given')"
BACKFILL = {
    'response_age_tallies': (
        f"SELECT r.consultation_id, r.channel, r.area, {AGE}, count(*) {FOLDED} "
        f"GROUP BY r.consultation_id, r.channel, r.area, {AGE}"
    ),
    'question_age_tallies': (
        f"SELECT a.question_id, r.channel, r.area, {AGE}, count(DISTINCT a.response_id) "
        f"{FOLDED.replace('FROM responses r', 'FROM responses r JOIN answers a ON a.response_id = r.id')} "
        f"GROUP BY a.question_id, r.channel, r.area, {AGE}"
    ),
    'option_age_tallies': (
        f"SELECT a.option_id, r.channel, r.area, {AGE}, count(*) "
        f"{FOLDED.replace('FROM responses r', 'FROM responses r JOIN answers a ON a.response_id = r.id')} "
        f"AND a.option_id IS NOT NULL GROUP BY a.option_id, r.channel, r.area, {AGE}"
    ),
}


def upgrade():
    for table, owner, parent in TABLES:
        op.create_table(
            table,
            sa.Column(owner, sa.Integer(), nullable=False),
            sa.Column('channel', sa.String(length=20), nullable=False),
            sa.Column('area', sa.String(length=20), nullable=False),
            sa.Column('age_band', sa.String(length=20), nullable=False),
            sa.Column('count', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(
                [owner], [f'{parent}.id'], name=op.f(f'fk_{table}_{owner}_{parent}'),
                ondelete='CASCADE',
            ),
            sa.PrimaryKeyConstraint(
                owner, 'channel', 'area', 'age_band', name=op.f(f'pk_{table}')
            ),
        )
        op.execute(
            f"INSERT INTO {table} ({owner}, channel, area, age_band, count) {BACKFILL[table]}"
        )


def downgrade():
    for table, _owner, _parent in reversed(TABLES):
        op.drop_table(table)
