"""social day tallies and the dashboard list's index

The dashboard summed the hour tallies (a row per campaign hour and group: up to 24 times the
rows a day needs) for every figure, though only the posts-by-hour chart needs the hour. Day
tallies hold the same counts a row per day and group; folds keep them beside the hour
tallies from the same change rows. The upgrade fills them from the hour tallies, so the
change rows not yet folded stay waiting for both.

The list of a campaign's newest posts (visible or hidden) gets an index in its order,
(campaign_id, hidden, created_at, id), so it reads its 25 rows from the index's end, with
no sort and without stepping over the other kind (1 post in hundreds is hidden). The list
filtered by a daily question gets one too, (daily_question_id, campaign_id, hidden,
created_at, id), replacing (daily_question_id, created_at): without it SQLite chose the
campaign's index and stepped over every post newer than the question's day (0.9 s at
100,000 posts).

Revision ID: 0100
Revises: 0090
Create Date: 2026-12-04 22:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0100'
down_revision = '0120'
branch_labels = None
depends_on = None

POSITION = sa.Enum(
    'supports', 'opposes', 'mixed', 'unclear', name='position', native_enum=False,
    create_constraint=True, length=20,
)
GRAIN = ('campaign_id', 'day', 'daily_question_id', 'sentiment', 'position', 'hidden')


def _day_table(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('daily_question_id', sa.Integer(), nullable=True),
        sa.Column('sentiment', sa.String(length=8), nullable=False),
        sa.Column('position', POSITION, nullable=True),
        sa.Column('hidden', sa.Boolean(), nullable=False),
        sa.Column('posts', sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(
            ['campaign_id'], ['social_campaigns.id'],
            name=op.f(f'fk_{name}_campaign_id_social_campaigns'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['daily_question_id'], ['social_daily_questions.id'],
            name=op.f(f'fk_{name}_daily_question_id_social_daily_questions'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
    )
    op.create_index(f'ix_{name}_campaign_day', name, ['campaign_id', 'day'], unique=False)


def _fill(day_table: str, hour_table: str, keys: tuple[str, ...], counts: tuple[str, ...]):
    key_list = ', '.join(keys)
    sums = ', '.join(f'sum({name})' for name in counts)
    op.execute(sa.text(
        f"INSERT INTO {day_table} ({key_list}, {', '.join(counts)}) "
        f"SELECT {key_list}, {sums} FROM {hour_table} GROUP BY {key_list}"
    ))


def upgrade():
    _day_table(
        'social_post_day_tallies',
        sa.Column('polarity_sum', sa.Float(), nullable=False),
        sa.Column('needs_reply', sa.Integer(), nullable=False),
        sa.Column('possible_crime', sa.Integer(), nullable=False),
    )
    _day_table(
        'social_hashtag_day_tallies', sa.Column('tag', sa.String(length=100), nullable=False)
    )
    _fill(
        'social_post_day_tallies', 'social_post_tallies', GRAIN,
        ('posts', 'polarity_sum', 'needs_reply', 'possible_crime'),
    )
    _fill('social_hashtag_day_tallies', 'social_hashtag_tallies', (*GRAIN, 'tag'), ('posts',))
    # Plain CREATE INDEX, which SQLite and PostgreSQL share: a batch rebuild of social_posts
    # would drop its triggers (migration 0030).
    op.create_index(
        'ix_social_posts_campaign_hidden_created', 'social_posts',
        ['campaign_id', 'hidden', 'created_at', 'id'], unique=False,
    )
    op.create_index(
        'ix_social_posts_daily_question_list', 'social_posts',
        ['daily_question_id', 'campaign_id', 'hidden', 'created_at', 'id'], unique=False,
    )
    op.drop_index('ix_social_posts_daily_question_created', table_name='social_posts')


def downgrade():
    op.create_index(
        'ix_social_posts_daily_question_created', 'social_posts',
        ['daily_question_id', 'created_at'], unique=False,
    )
    op.drop_index('ix_social_posts_daily_question_list', table_name='social_posts')
    op.drop_index('ix_social_posts_campaign_hidden_created', table_name='social_posts')
    for name in ('social_hashtag_day_tallies', 'social_post_day_tallies'):
        op.drop_index(f'ix_{name}_campaign_day', table_name=name)
        op.drop_table(name)
