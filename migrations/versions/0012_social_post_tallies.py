"""social post tallies: per-hour counts behind the campaign dashboard, rebuilt from the posts

The dashboard and the results page's "waiting for a position" count read small tally tables
(posts per campaign hour by daily question, sentiment band, position and hidden; hashtags per
hour likewise) instead of every post. Nothing that stores or changes posts writes to them:
triggers on social_posts and social_post_hashtags list each campaign hour (UTC) a statement
touched in social_hours_awaiting_fold, and `post_tallies.fold` rebuilds those hours from their
posts. Readers count the listed hours from the posts themselves, so every figure is exact.

Existing posts' hours start listed: the first fold builds their tallies.

Posts also keep their text's distinct terms (`terms`), split by the first dashboard view that
counts them and kept after its reply, so the top terms over the newest 5,000 posts read them
instead of splitting 5,000 texts on every view. Replies
are indexed by daily question and time, for the dashboard filtered by a daily question.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 02:02:43.406468

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

AWAITING = 'social_hours_awaiting_fold'
# The columns the tallies count by; a change to any other column (like counts) lists nothing.
COUNTED = (
    'campaign_id', 'created_at', 'polarity', 'hidden', 'needs_reply', 'possible_crime',
    'position', 'daily_question_id',
)
PG_DAY = "(({0}.created_at AT TIME ZONE 'UTC')::date)"
PG_HOUR = "(extract(hour FROM {0}.created_at AT TIME ZONE 'UTC')::integer)"
# Lists the hours of the rows in `changed` not yet listed by this same transaction. Hours
# listed by other transactions do not count: a fold may take those before this one commits.
_PG_LIST_HOURS = f"""
    INSERT INTO {AWAITING} (campaign_id, day, hour, written_by)
    SELECT DISTINCT d.campaign_id, d.day, d.hour, txid_current() FROM (
        SELECT campaign_id, {PG_DAY.format('changed')} AS day,
            {PG_HOUR.format('changed')} AS hour FROM {{source}}
    ) d
    WHERE NOT EXISTS (
        SELECT 1 FROM {AWAITING} w
        WHERE w.campaign_id = d.campaign_id AND w.day = d.day AND w.hour = d.hour
        AND w.written_by = txid_current()
    );"""
_PG_FUNCTIONS = {
    'social_posts_list_hours': _PG_LIST_HOURS.format(source='changed'),
    'social_posts_list_changed_hours': _PG_LIST_HOURS.format(
        source=(
            "(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE ({old}) IS DISTINCT "
            "FROM ({new}) UNION ALL SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id "
            "WHERE ({old}) IS DISTINCT FROM ({new})) changed"
        ).format(
            old=', '.join(f'o.{c}' for c in COUNTED), new=', '.join(f'n.{c}' for c in COUNTED)
        )
    ),
    'social_post_hashtags_list_hours': _PG_LIST_HOURS.format(
        source='social_posts changed JOIN changed_tags t ON t.post_id = changed.id'
    ),
}
# Once per statement with all its rows, so a batch of posts lists its hours in one INSERT.
_PG_TRIGGERS = [
    ('social_posts_await_fold_insert', 'INSERT', 'social_posts', 'NEW TABLE AS changed',
     'social_posts_list_hours'),
    ('social_posts_await_fold_delete', 'DELETE', 'social_posts', 'OLD TABLE AS changed',
     'social_posts_list_hours'),
    ('social_posts_await_fold_update', 'UPDATE', 'social_posts',
     'OLD TABLE AS old_rows NEW TABLE AS new_rows', 'social_posts_list_changed_hours'),
    ('social_post_hashtags_await_fold_insert', 'INSERT', 'social_post_hashtags',
     'NEW TABLE AS changed_tags', 'social_post_hashtags_list_hours'),
    ('social_post_hashtags_await_fold_delete', 'DELETE', 'social_post_hashtags',
     'OLD TABLE AS changed_tags', 'social_post_hashtags_list_hours'),
    ('social_post_hashtags_await_fold_update_old', 'UPDATE', 'social_post_hashtags',
     'OLD TABLE AS changed_tags', 'social_post_hashtags_list_hours'),
    ('social_post_hashtags_await_fold_update_new', 'UPDATE', 'social_post_hashtags',
     'NEW TABLE AS changed_tags', 'social_post_hashtags_list_hours'),
]


def _pg_create() -> list[str]:
    statements = [
        f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {body} RETURN NULL; END; $$ "
        "LANGUAGE plpgsql"
        for name, body in _PG_FUNCTIONS.items()
    ]
    statements += [
        f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {transition} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        for name, event, table, transition, function in _PG_TRIGGERS
    ]
    return statements


def _pg_drop() -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS {t[0]} ON {t[2]}" for t in _PG_TRIGGERS]
    return statements + [f"DROP FUNCTION IF EXISTS {name}()" for name in _PG_FUNCTIONS]


# SQLite has one writer at a time, so an hour listed by anyone is enough: no fold can take it
# between this check and the writer's commit.
def _sqlite_list(row: str, source: str = '', condition: str = '') -> str:
    day = f"date({row}.created_at)"
    hour = f"CAST(strftime('%H', {row}.created_at) AS INTEGER)"
    return (
        f"INSERT INTO {AWAITING} (campaign_id, day, hour) "
        f"SELECT {row}.campaign_id, {day}, {hour} {source} "
        f"WHERE {condition}NOT EXISTS (SELECT 1 FROM {AWAITING} w "
        f"WHERE w.campaign_id = {row}.campaign_id AND w.day = {day} AND w.hour = {hour});"
    )


def _sqlite_tag(row: str) -> str:
    return _sqlite_list('p', 'FROM social_posts p', f'p.id = {row}.post_id AND ')


_CHANGED = ' OR '.join(f'OLD.{c} IS NOT NEW.{c}' for c in COUNTED)
_SQLITE_TRIGGERS = {
    'social_posts_await_fold_insert': f"AFTER INSERT ON social_posts BEGIN {_sqlite_list('NEW')} END",
    'social_posts_await_fold_delete': f"AFTER DELETE ON social_posts BEGIN {_sqlite_list('OLD')} END",
    'social_posts_await_fold_update': (
        f"AFTER UPDATE ON social_posts WHEN {_CHANGED} "
        f"BEGIN {_sqlite_list('OLD')} {_sqlite_list('NEW')} END"
    ),
    'social_post_hashtags_await_fold_insert': (
        f"AFTER INSERT ON social_post_hashtags BEGIN {_sqlite_tag('NEW')} END"
    ),
    'social_post_hashtags_await_fold_delete': (
        f"AFTER DELETE ON social_post_hashtags BEGIN {_sqlite_tag('OLD')} END"
    ),
    'social_post_hashtags_await_fold_update': (
        f"AFTER UPDATE ON social_post_hashtags "
        f"BEGIN {_sqlite_tag('OLD')} {_sqlite_tag('NEW')} END"
    ),
}


def _run(postgres: list[str], sqlite: list[str]) -> None:
    for statement in postgres if op.get_bind().dialect.name == 'postgresql' else sqlite:
        op.execute(sa.text(statement))


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('social_hours_awaiting_fold',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('hour', sa.Integer(), nullable=False),
    sa.Column('written_by', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['social_campaigns.id'], name=op.f('fk_social_hours_awaiting_fold_campaign_id_social_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_hours_awaiting_fold'))
    )
    with op.batch_alter_table('social_hours_awaiting_fold', schema=None) as batch_op:
        batch_op.create_index('ix_social_hours_awaiting_fold_campaign_day', ['campaign_id', 'day'], unique=False)

    op.create_table('social_hashtag_tallies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('hour', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=100), nullable=False),
    sa.Column('daily_question_id', sa.Integer(), nullable=True),
    sa.Column('sentiment', sa.String(length=8), nullable=False),
    sa.Column('position', sa.Enum('supports', 'opposes', 'mixed', 'unclear', name='position', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('posts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['social_campaigns.id'], name=op.f('fk_social_hashtag_tallies_campaign_id_social_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['daily_question_id'], ['social_daily_questions.id'], name=op.f('fk_social_hashtag_tallies_daily_question_id_social_daily_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_hashtag_tallies'))
    )
    with op.batch_alter_table('social_hashtag_tallies', schema=None) as batch_op:
        batch_op.create_index('ix_social_hashtag_tallies_campaign_day', ['campaign_id', 'day'], unique=False)

    op.create_table('social_post_tallies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('hour', sa.Integer(), nullable=False),
    sa.Column('daily_question_id', sa.Integer(), nullable=True),
    sa.Column('sentiment', sa.String(length=8), nullable=False),
    sa.Column('position', sa.Enum('supports', 'opposes', 'mixed', 'unclear', name='position', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('posts', sa.Integer(), nullable=False),
    sa.Column('polarity_sum', sa.Float(), nullable=False),
    sa.Column('needs_reply', sa.Integer(), nullable=False),
    sa.Column('possible_crime', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['social_campaigns.id'], name=op.f('fk_social_post_tallies_campaign_id_social_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['daily_question_id'], ['social_daily_questions.id'], name=op.f('fk_social_post_tallies_daily_question_id_social_daily_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_post_tallies'))
    )
    with op.batch_alter_table('social_post_tallies', schema=None) as batch_op:
        batch_op.create_index('ix_social_post_tallies_campaign_day', ['campaign_id', 'day'], unique=False)

    op.add_column('social_posts', sa.Column('terms', sa.Text(), nullable=True))
    op.create_index(
        'ix_social_posts_daily_question_created',
        'social_posts',
        ['daily_question_id', 'created_at'],
        unique=False,
    )
    op.drop_index('ix_social_posts_daily_question_id', table_name='social_posts')
    # ### end Alembic commands ###
    _run(
        _pg_create(),
        [f"CREATE TRIGGER {name} {body}" for name, body in _SQLITE_TRIGGERS.items()],
    )
    if op.get_bind().dialect.name == 'postgresql':
        day, hour = PG_DAY.format('social_posts'), PG_HOUR.format('social_posts')
    else:
        day = 'date(social_posts.created_at)'
        hour = "CAST(strftime('%H', social_posts.created_at) AS INTEGER)"
    op.execute(sa.text(
        f"INSERT INTO {AWAITING} (campaign_id, day, hour) "
        f"SELECT DISTINCT campaign_id, {day}, {hour} FROM social_posts"
    ))


def downgrade():
    _run(_pg_drop(), [f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_TRIGGERS])
    # Plain ALTER TABLE, which SQLite (3.35+) and PostgreSQL share: a batch rebuild of
    # social_posts would drop it, and with foreign keys on its hashtags and moderation record.
    op.create_index(
        'ix_social_posts_daily_question_id', 'social_posts', ['daily_question_id'], unique=False
    )
    op.drop_index('ix_social_posts_daily_question_created', table_name='social_posts')
    op.execute(sa.text('ALTER TABLE social_posts DROP COLUMN terms'))
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('social_post_tallies', schema=None) as batch_op:
        batch_op.drop_index('ix_social_post_tallies_campaign_day')

    op.drop_table('social_post_tallies')
    with op.batch_alter_table('social_hashtag_tallies', schema=None) as batch_op:
        batch_op.drop_index('ix_social_hashtag_tallies_campaign_day')

    op.drop_table('social_hashtag_tallies')
    with op.batch_alter_table('social_hours_awaiting_fold', schema=None) as batch_op:
        batch_op.drop_index('ix_social_hours_awaiting_fold_campaign_day')

    op.drop_table('social_hours_awaiting_fold')
    # ### end Alembic commands ###
