"""Saving a staff form through a service: commit on success, or show the refusal on the form."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from engage.core.errors import DomainError
from engage.core.extensions import db


def field_error(form, error: DomainError) -> None:
    """Show a service's refusal next to its field, or against the form's first field."""
    target = getattr(form, error.field, None) if error.field else None
    target = target if target is not None else next(iter(form))
    target.errors = [*target.errors, error.message]


T = TypeVar("T")


@dataclass
class Saved(Generic[T]):
    """What the action returned; always true, so `if save_form(...)` reads naturally."""

    value: T


def save_form(form, action: Callable[[], T]) -> Saved[T] | None:
    """Run `action` if the form is valid and commit; on a DomainError roll back and show it."""
    if not form.validate_on_submit():
        return None
    try:
        value = action()
    except DomainError as error:
        db.session.rollback()
        field_error(form, error)
        return None
    db.session.commit()
    return Saved(value)
