"""responses awaiting tally: a queue table filled by a trigger, in place of a flag

Revision 0004 marked each response `tallied` once a fold had counted it. On PostgreSQL every
such UPDATE left a dead entry in the partial index of untallied responses (and a new row
version in every index of the table), so until VACUUM came round the results pages scanned
an index of up to a million dead entries: 166 ms a page at a million responses, none waiting.

Now a response waiting to be counted has a row in `responses_awaiting_tally`, which a trigger
adds in the same transaction as the response, however it is inserted, and a fold deletes. The
table is as small as the backlog, and responses are never updated.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 23:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

QUEUE = 'responses_awaiting_tally'
TRIGGER = 'responses_await_tally'

_POSTGRES_CREATE = [
    f"""CREATE FUNCTION {TRIGGER}() RETURNS trigger AS $$
    BEGIN
        INSERT INTO {QUEUE} (response_id) SELECT id FROM stored;
        RETURN NULL;
    END; $$ LANGUAGE plpgsql""",
    # Once per statement with all its rows, so a bulk load queues them in one INSERT.
    f"CREATE TRIGGER {TRIGGER} AFTER INSERT ON responses REFERENCING NEW TABLE AS stored "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()",
]
_POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON responses",
    f"DROP FUNCTION IF EXISTS {TRIGGER}()",
]
_SQLITE_CREATE = [
    f"CREATE TRIGGER {TRIGGER} AFTER INSERT ON responses "
    f"BEGIN INSERT INTO {QUEUE} (response_id) VALUES (NEW.id); END"
]
_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {TRIGGER}"]


def _run(postgres: list[str], sqlite: list[str]) -> None:
    for statement in postgres if op.get_bind().dialect.name == 'postgresql' else sqlite:
        op.execute(sa.text(statement))


def upgrade():
    op.create_table(
        QUEUE,
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['response_id'],
            ['responses.id'],
            name=op.f('fk_responses_awaiting_tally_response_id_responses'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('response_id', name=op.f('pk_responses_awaiting_tally')),
    )
    op.execute(sa.text(f'INSERT INTO {QUEUE} (response_id) SELECT id FROM responses WHERE NOT tallied'))
    op.drop_index('ix_responses_untallied', table_name='responses')
    # Plain ALTER TABLE, which SQLite (3.35+) and PostgreSQL share: a batch rebuild would drop
    # and recreate `responses`, and with foreign keys on, dropping it deletes every answer.
    op.execute(sa.text('ALTER TABLE responses DROP COLUMN tallied'))
    _run(_POSTGRES_CREATE, _SQLITE_CREATE)


def downgrade():
    _run(_POSTGRES_DROP, _SQLITE_DROP)
    op.add_column(
        'responses', sa.Column('tallied', sa.Boolean(), server_default=sa.true(), nullable=False)
    )
    op.execute(
        sa.text(f'UPDATE responses SET tallied = false WHERE id IN (SELECT response_id FROM {QUEUE})')
    )
    op.create_index(
        'ix_responses_untallied',
        'responses',
        ['consultation_id'],
        unique=False,
        postgresql_where=sa.text('NOT tallied'),
        sqlite_where=sa.text('tallied = 0'),
    )
    op.drop_table(QUEUE)
