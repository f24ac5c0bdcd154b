"""social tally changes: triggers record what each change adds to the tallies, folds add it in

Until now (0012) triggers listed each campaign hour a statement touched, and a fold rebuilt
the hour from all its posts; until then every reader counted the hour from its posts too, so
the first dashboard view after a change cost as much as the hour's posts (about 3,000 an hour
at a million posts). Now the triggers record what the change does to the counts: a row of
+n for the posts a statement added in each tally group, -n for those it took away (an update
to a counted column does both). Readers add these rows to the tallies, and a fold sums them
into the tallies of the hours they touch, so both cost what changed, not what the hour holds.

On PostgreSQL the triggers run once per statement over its transition tables, grouping the
changed rows, except the one that takes a deleted post's hashtags, which must run before the
row goes (its hashtags go with it by cascade). On SQLite they run per row.

The upgrade rebuilds every tally from the posts once, so nothing awaits a fold after it.

Also: `social_top_terms`, the dashboard's top terms as last counted for a set of filters.

Revision ID: 0030
Revises: 0071
Create Date: 2026-12-04 19:40:00

"""
import importlib.util
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0071'
branch_labels = None
depends_on = None

COUNTED = (
    'campaign_id', 'created_at', 'polarity', 'hidden', 'needs_reply', 'possible_crime',
    'position', 'daily_question_id',
)
GRAIN = ('campaign_id', 'day', 'hour', 'daily_question_id', 'sentiment', 'position', 'hidden')
POST_COUNTS = ('posts', 'polarity_sum', 'needs_reply', 'possible_crime')
POST_CHANGES = 'social_post_tally_changes'
TAG_CHANGES = 'social_hashtag_tally_changes'
# polarity_label's thresholds when this ran (engage.analysis.sentiment); if they change,
# `flask --app engage social recount` rebuilds the tallies, and these must change with them.
SENTIMENT = (
    "CASE WHEN {0}.polarity IS NULL THEN 'unscored' WHEN {0}.polarity > 0.05 THEN 'positive' "
    "WHEN {0}.polarity < -0.05 THEN 'negative' ELSE 'neutral' END"
)


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def _grain(row: str) -> str:
    if _postgresql():
        day = f"(({row}.created_at AT TIME ZONE 'UTC')::date)"
        hour = f"(extract(hour FROM {row}.created_at AT TIME ZONE 'UTC')::integer)"
    else:
        day = f"date({row}.created_at)"
        hour = f"CAST(strftime('%H', {row}.created_at) AS INTEGER)"
    return ', '.join(
        (f'{row}.campaign_id', day, hour, f'{row}.daily_question_id', SENTIMENT.format(row),
         f'{row}.position', f'{row}.hidden')
    )


def _flag(row: str, name: str) -> str:
    return f"CASE WHEN {row}.{name} THEN 1 ELSE 0 END"


def _post_rows(row: str, sign: str, source: str, where: str = '') -> str:
    """SELECT the tally change of the posts `row` in `source`, grouped, times `sign`."""
    counts = (
        f"{sign} * count(*), {sign} * coalesce(sum({row}.polarity), 0), "
        f"{sign} * sum({_flag(row, 'needs_reply')}), {sign} * sum({_flag(row, 'possible_crime')})"
    )
    return f"SELECT {_grain(row)}, {counts} FROM {source} {where} GROUP BY 1, 2, 3, 4, 5, 6, 7"


def _tag_rows(row: str, sign: str, source: str, where: str = '') -> str:
    return (
        f"SELECT {_grain(row)}, t.tag, {sign} * count(*) FROM {source} {where} "
        "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
    )


def _insert_posts(select: str) -> str:
    return f"INSERT INTO {POST_CHANGES} ({', '.join(GRAIN + POST_COUNTS)}) {select};"


def _insert_tags(select: str) -> str:
    return f"INSERT INTO {TAG_CHANGES} ({', '.join(GRAIN)}, tag, posts) {select};"


def _distinct(old: str, new: str) -> str:
    return (
        f"({', '.join(f'{old}.{c}' for c in COUNTED)}) IS DISTINCT FROM "
        f"({', '.join(f'{new}.{c}' for c in COUNTED)})"
    )


def _pg_functions() -> dict[str, str]:
    moved = "old_rows o JOIN new_rows n ON n.id = o.id"
    moved_tags = f"{moved} JOIN social_post_hashtags t ON t.post_id = n.id"
    changed = f"WHERE {_distinct('o', 'n')}"
    tagged = "changed_tags t JOIN social_posts p ON p.id = t.post_id"
    return {
        'social_posts_tally_insert': _insert_posts(_post_rows('c', '1', 'changed c')),
        'social_posts_tally_delete': _insert_posts(_post_rows('c', '-1', 'changed c')),
        'social_posts_tally_update': (
            _insert_posts(
                f"{_post_rows('o', '-1', moved, changed)} UNION ALL "
                f"{_post_rows('n', '1', moved, changed)}"
            )
            + _insert_tags(
                f"{_tag_rows('o', '-1', moved_tags, changed)} UNION ALL "
                f"{_tag_rows('n', '1', moved_tags, changed)}"
            )
        ),
        'social_post_hashtags_tally_insert': _insert_tags(_tag_rows('p', '1', tagged)),
        'social_post_hashtags_tally_delete': _insert_tags(_tag_rows('p', '-1', tagged)),
    }


# Statement-level, with all the statement's rows, so a batch of a thousand posts writes a row
# per tally group it touches rather than per post.
_PG_TRIGGERS = [
    ('social_posts_tally_insert', 'INSERT', 'social_posts', 'NEW TABLE AS changed'),
    ('social_posts_tally_delete', 'DELETE', 'social_posts', 'OLD TABLE AS changed'),
    ('social_posts_tally_update', 'UPDATE', 'social_posts',
     'OLD TABLE AS old_rows NEW TABLE AS new_rows'),
    ('social_post_hashtags_tally_insert', 'INSERT', 'social_post_hashtags',
     'NEW TABLE AS changed_tags'),
    # A deleted post's hashtags are gone from social_posts when this runs, so they count
    # nothing here: the row trigger below took them off before the post went.
    ('social_post_hashtags_tally_delete', 'DELETE', 'social_post_hashtags',
     'OLD TABLE AS changed_tags'),
]
_PG_ROW_FUNCTION = 'social_posts_tally_delete_tags'


def _pg_create() -> list[str]:
    statements = [
        f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {body} RETURN NULL; END; $$ "
        "LANGUAGE plpgsql"
        for name, body in _pg_functions().items()
    ]
    statements += [
        f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {transition} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        for name, event, table, transition in _PG_TRIGGERS
    ]
    take_tags = _insert_tags(
        _tag_rows('OLD', '-1', 'social_post_hashtags t WHERE t.post_id = OLD.id')
    )
    statements += [
        f"CREATE FUNCTION {_PG_ROW_FUNCTION}() RETURNS trigger AS $$ BEGIN {take_tags} "
        "RETURN OLD; END; $$ LANGUAGE plpgsql",
        f"CREATE TRIGGER {_PG_ROW_FUNCTION} BEFORE DELETE ON social_posts "
        f"FOR EACH ROW EXECUTE FUNCTION {_PG_ROW_FUNCTION}()",
    ]
    return statements


def _pg_drop() -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS {t[0]} ON {t[2]}" for t in _PG_TRIGGERS]
    statements.append(f"DROP TRIGGER IF EXISTS {_PG_ROW_FUNCTION} ON social_posts")
    names = [*_pg_functions(), _PG_ROW_FUNCTION]
    return statements + [f"DROP FUNCTION IF EXISTS {name}()" for name in names]


def _sqlite_triggers() -> dict[str, str]:
    one = "(SELECT 1) AS one"
    tags_of = "social_post_hashtags t WHERE t.post_id = {0}.id"
    post_of = "social_posts p WHERE p.id = {0}.post_id"
    # SQLite's NEW and OLD are not tables: select from a one-row subquery to group them.
    return {
        'social_posts_tally_insert': (
            f"AFTER INSERT ON social_posts BEGIN "
            f"{_insert_posts(_post_rows('NEW', '1', one))} END"
        ),
        'social_posts_tally_delete': (
            f"AFTER DELETE ON social_posts BEGIN "
            f"{_insert_posts(_post_rows('OLD', '-1', one))} END"
        ),
        'social_posts_tally_delete_tags': (
            f"BEFORE DELETE ON social_posts BEGIN "
            f"{_insert_tags(_tag_rows('OLD', '-1', tags_of.format('OLD')))} END"
        ),
        'social_posts_tally_update': (
            f"AFTER UPDATE ON social_posts WHEN "
            + ' OR '.join(f'OLD.{c} IS NOT NEW.{c}' for c in COUNTED)
            + " BEGIN "
            f"{_insert_posts(_post_rows('OLD', '-1', one))} "
            f"{_insert_posts(_post_rows('NEW', '1', one))} "
            f"{_insert_tags(_tag_rows('OLD', '-1', tags_of.format('OLD')))} "
            f"{_insert_tags(_tag_rows('NEW', '1', tags_of.format('NEW')))} END"
        ),
        'social_post_hashtags_tally_insert': (
            f"AFTER INSERT ON social_post_hashtags BEGIN "
            f"{_insert_tags(_tag_rows('p', '1', post_of.format('NEW')).replace('t.tag', 'NEW.tag'))} END"
        ),
        'social_post_hashtags_tally_delete': (
            f"AFTER DELETE ON social_post_hashtags BEGIN "
            f"{_insert_tags(_tag_rows('p', '-1', post_of.format('OLD')).replace('t.tag', 'OLD.tag'))} END"
        ),
    }


def _run(postgres: list[str], sqlite: list[str]) -> None:
    for statement in postgres if _postgresql() else sqlite:
        op.execute(sa.text(statement))


def _change_table(name: str, *columns: sa.Column) -> None:
    op.create_table(name,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('hour', sa.Integer(), nullable=False),
    sa.Column('daily_question_id', sa.Integer(), nullable=True),
    sa.Column('sentiment', sa.String(length=8), nullable=False),
    sa.Column('position', sa.Enum('supports', 'opposes', 'mixed', 'unclear', name='position', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('posts', sa.Integer(), nullable=False),
    *columns,
    sa.Column('taken', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['social_campaigns.id'], name=op.f(f'fk_{name}_campaign_id_social_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['daily_question_id'], ['social_daily_questions.id'], name=op.f(f'fk_{name}_daily_question_id_social_daily_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}'))
    )
    op.create_index(f'ix_{name}_campaign_hour', name, ['campaign_id', 'day', 'hour'], unique=False)


def _old_revision():
    """Migration 0012, whose triggers the downgrade puts back."""
    path = Path(__file__).with_name('0012_social_post_tallies.py')
    spec = importlib.util.spec_from_file_location('engage_migration_0012', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade():
    old = _old_revision()
    _run(old._pg_drop(), [f"DROP TRIGGER IF EXISTS {name}" for name in old._SQLITE_TRIGGERS])
    _change_table(POST_CHANGES,
        sa.Column('polarity_sum', sa.Float(), nullable=False),
        sa.Column('needs_reply', sa.Integer(), nullable=False),
        sa.Column('possible_crime', sa.Integer(), nullable=False))
    _change_table(TAG_CHANGES, sa.Column('tag', sa.String(length=100), nullable=False))
    op.create_table('social_top_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('filters_key', sa.String(length=400), nullable=False),
    sa.Column('counted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('posts_read', sa.Integer(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['social_campaigns.id'], name=op.f('fk_social_top_terms_campaign_id_social_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_top_terms')),
    sa.UniqueConstraint('campaign_id', 'filters_key', name='uq_social_top_terms_filters')
    )
    # Every hour rebuilt from its posts once, so no hour is left awaiting the old fold.
    op.execute(sa.text('DELETE FROM social_post_tallies'))
    op.execute(sa.text('DELETE FROM social_hashtag_tallies'))
    op.execute(sa.text(
        f"INSERT INTO social_post_tallies ({', '.join(GRAIN + POST_COUNTS)}) "
        + _post_rows('s', '1', 'social_posts s')
    ))
    op.execute(sa.text(
        f"INSERT INTO social_hashtag_tallies ({', '.join(GRAIN)}, tag, posts) "
        + _tag_rows('s', '1', 'social_posts s JOIN social_post_hashtags t ON t.post_id = s.id')
    ))
    op.drop_index('ix_social_hours_awaiting_fold_campaign_day', table_name='social_hours_awaiting_fold')
    op.drop_table('social_hours_awaiting_fold')
    _run(_pg_create(), [f"CREATE TRIGGER {name} {body}" for name, body in _sqlite_triggers().items()])


def downgrade():
    old = _old_revision()
    _run(_pg_drop(), [f"DROP TRIGGER IF EXISTS {name}" for name in _sqlite_triggers()])
    op.drop_table('social_top_terms')
    for name in (TAG_CHANGES, POST_CHANGES):
        op.drop_index(f'ix_{name}_campaign_hour', table_name=name)
        op.drop_table(name)
    op.create_table('social_hours_awaiting_fold',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('hour', sa.Integer(), nullable=False),
    sa.Column('written_by', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['social_campaigns.id'], name=op.f('fk_social_hours_awaiting_fold_campaign_id_social_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_hours_awaiting_fold'))
    )
    op.create_index('ix_social_hours_awaiting_fold_campaign_day', 'social_hours_awaiting_fold', ['campaign_id', 'day'], unique=False)
    _run(old._pg_create(), [f"CREATE TRIGGER {name} {body}" for name, body in old._SQLITE_TRIGGERS.items()])
