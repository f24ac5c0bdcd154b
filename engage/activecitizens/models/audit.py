"""The append-only record of every decision and change of state.

Database triggers (created by migration 0003, see `engage.activecitizens.audit_guard`) refuse
UPDATE and DELETE on this table, so not even a faulty service can rewrite history.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engage.core.db_types import UTCDateTime, utcnow
from engage.core.extensions import Model

ACTION_MAX = 40
ACTOR_MAX = 200


class AuditEntry(Model):
    __tablename__ = "grant_audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("grant_applications.id"), index=True
    )
    round_id: Mapped[int | None] = mapped_column(ForeignKey("grant_rounds.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    actor_group_id: Mapped[int | None] = mapped_column(ForeignKey("community_groups.id"))
    # Who, as shown at the time ("Jo Bloggs (PCC's office)"), kept even if a name changes.
    actor_label: Mapped[str] = mapped_column(String(ACTOR_MAX))
    action: Mapped[str] = mapped_column(String(ACTION_MAX))
    state_before: Mapped[str | None] = mapped_column(String(20))
    state_after: Mapped[str | None] = mapped_column(String(20))
    # JSON of the fields the action changed: {"field": [before, after], ...}, and any reason.
    details: Mapped[str] = mapped_column(Text, default="{}")
