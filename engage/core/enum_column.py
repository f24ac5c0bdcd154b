"""A string column holding a Python enum's values, checked by the database."""

import enum

from sqlalchemy import Enum


def enum_column(enum_class: type[enum.Enum], length: int = 20) -> Enum:
    """Store enum values (not names) as VARCHAR with a CHECK constraint, portable to SQLite."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
