"""Who did what to which application, kept for good in the append-only audit log."""

import json
from dataclasses import dataclass

from engage.activecitizens.models import AuditEntry, CommunityGroup, GrantApplication
from engage.auth.models import StaffUser
from engage.core.extensions import db


@dataclass(frozen=True)
class Actor:
    """The person acting: a staff member or a community group (None for the system)."""

    staff: StaffUser | None = None
    group: CommunityGroup | None = None

    @property
    def label(self) -> str:
        if self.staff is not None:
            return f"{self.staff.name} ({self.staff.role.label})"
        if self.group is not None:
            return f"{self.group.name} (applicant)"
        return "engage"

    @property
    def is_group(self) -> bool:
        return self.group is not None


SYSTEM = Actor()


def record_entry(
    actor: Actor,
    action: str,
    application: GrantApplication | None = None,
    round_id: int | None = None,
    state_before: str | None = None,
    state_after: str | None = None,
    **details,
) -> AuditEntry:
    """Append one entry; `details` holds what changed, as {field: [before, after]} or text."""
    entry = AuditEntry(
        application_id=application.id if application is not None else None,
        round_id=application.round_id if application is not None else round_id,
        actor_staff_id=actor.staff.id if actor.staff is not None else None,
        actor_group_id=actor.group.id if actor.group is not None else None,
        actor_label=actor.label,
        action=action,
        state_before=state_before,
        state_after=state_after,
        details=json.dumps(details, default=str, sort_keys=True),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def entries_for_application(application_id: int) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            db.select(AuditEntry)
            .where(AuditEntry.application_id == application_id)
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )


def entries_for_round(round_id: int, page: int, per_page: int | None = 50):
    """A page of the round's log, newest first; with no `per_page`, the whole log as a list."""
    query = (
        db.select(AuditEntry)
        .where(AuditEntry.round_id == round_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if per_page is None:
        return list(db.session.scalars(query))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def details_of(entry: AuditEntry) -> dict:
    return json.loads(entry.details or "{}")
