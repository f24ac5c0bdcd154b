"""What is waiting for a member of staff, gathered from every capability for the staff home.

Each package registers a provider (`@provides_work`) that counts its own waiting work for a
user from its own services, so the staff home depends on none of them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from engage.auth.models import StaffUser


@dataclass(frozen=True)
class WorkItem:
    """'12 replies need an answer', with the page where they are dealt with."""

    section: str
    label: str
    count: int
    endpoint: str
    args: dict = field(default_factory=dict)


Provider = Callable[[StaffUser], list[WorkItem]]
_providers: list[Provider] = []


def provides_work(provider: Provider) -> Provider:
    _providers.append(provider)
    return provider


def work_for(user: StaffUser) -> list[WorkItem]:
    """Every item any capability has waiting for this user, empty counts included."""
    return [item for provider in _providers for item in provider(user)]
