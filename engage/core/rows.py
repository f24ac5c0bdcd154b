"""How many rows an UPDATE or DELETE matched, typed for mypy."""

from typing import Any, cast

from sqlalchemy import CursorResult, Executable

from engage.core.extensions import db


def rows_affected(statement: Executable) -> int:
    """Execute an UPDATE or DELETE in the session and return how many rows it matched.

    A DML statement gives a CursorResult, but SQLAlchemy 2.0 types `Session.execute` as returning
    a plain `Result`, which has no `rowcount`."""
    return cast(CursorResult[Any], db.session.execute(statement)).rowcount
