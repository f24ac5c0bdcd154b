"""Database triggers that make the grants audit log append-only, on SQLite and PostgreSQL."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

TABLE = "grant_audit_entries"
MESSAGE = "the grants audit log is append-only"

_SQLITE_CREATE = [
    f"CREATE TRIGGER {TABLE}_no_{verb} BEFORE {verb.upper()} ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    for verb in ("update", "delete")
]
_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_no_{verb}" for verb in ("update", "delete")]

_POSTGRES_CREATE = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_refuse_change() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse_change()",
]
_POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_refuse_change()",
]


def _statements(connection: Connection, create: bool) -> list[str]:
    if connection.dialect.name == "postgresql":
        return _POSTGRES_CREATE if create else _POSTGRES_DROP
    return _SQLITE_CREATE if create else _SQLITE_DROP


def install_guard(connection: Connection) -> None:
    for statement in _statements(connection, create=True):
        connection.execute(text(statement))


def remove_guard(connection: Connection) -> None:
    for statement in _statements(connection, create=False):
        connection.execute(text(statement))


@contextmanager
def guard_lifted(connection: Connection) -> Iterator[None]:
    """Lift the guard inside one transaction, for emptying a test database between tests."""
    remove_guard(connection)
    yield
    install_guard(connection)
