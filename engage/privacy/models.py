"""Retention settings, the log of what was deleted, and the trail of staff viewing personal data.

None of these tables holds the personal data itself: counts, kinds, ids and rules only.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.db_types import UTCDateTime, utcnow
from engage.core.extensions import Model

CLASS_MAX = 40
RULE_MAX = 300
REFERENCE_MAX = 20


class RetentionSetting(Model):
    """An admin's choice of period for one data class; absent means the documented default."""

    __tablename__ = "privacy_retention_settings"
    __table_args__ = (CheckConstraint("days > 0", name="days_positive"),)

    data_class: Mapped[str] = mapped_column(String(CLASS_MAX), primary_key=True)
    days: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL")
    )


class DeletionLog(Model):
    """One thing done to personal data: which class, how many, when, under which rule."""

    __tablename__ = "privacy_deletion_log"
    __table_args__ = (CheckConstraint("count >= 0", name="count_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    data_class: Mapped[str] = mapped_column(String(CLASS_MAX))
    # "deleted", "anonymised" or "exported"
    action: Mapped[str] = mapped_column(String(20))
    count: Mapped[int]
    rule: Mapped[str] = mapped_column(String(RULE_MAX))
    # The subject request it belongs to ("SAR-…"), so its rows read together; none for retention.
    request_reference: Mapped[str | None] = mapped_column(String(REFERENCE_MAX), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))


class PersonalDataAccess(Model):
    """A member of staff viewed or exported personal data: who, what kind, which record, when."""

    __tablename__ = "privacy_access_log"
    __table_args__ = (Index("ix_privacy_access_log_kind_at", "kind", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(CLASS_MAX))
    record_id: Mapped[int]

    staff = relationship("StaffUser", lazy="joined")
