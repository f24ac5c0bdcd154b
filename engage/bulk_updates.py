"""Setting one column of many rows, each to its own value.

On PostgreSQL an executemany of UPDATEs runs one statement a row, and each fires the post
tallies' statement trigger (migration 0030) with its transition tables: one
`UPDATE ... FROM (VALUES ...)` a batch fires it once and makes one round trip. SQLite fires
its triggers per row whatever the statement, and cannot name a VALUES list's columns, so there
an executemany stays.
"""

from collections.abc import Mapping

from sqlalchemy import Float, Integer, Text, column, update, values

from engage.core.extensions import db

_TYPES = {float: Float, str: Text}


def set_by_id(model, name: str, new_values: Mapping[int, object], kind: type) -> None:
    """Set `model.<name>` to `new_values[id]` for each id."""
    if not new_values:
        return
    rows = sorted(new_values.items())
    if db.session.get_bind().dialect.name != "postgresql":
        db.session.execute(update(model), [{"id": key, name: value} for key, value in rows])
        return
    given = values(column("id", Integer), column("value", _TYPES[kind]()), name="given").data(rows)
    db.session.execute(
        update(model)
        .where(model.id == given.c.id)
        .values({name: given.c.value})
        .execution_options(synchronize_session=False)
    )
