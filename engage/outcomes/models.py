"""Commitments made in response to a consultation, the grants that serve them, chosen quotes."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.db_types import UTCDateTime, utcnow
from engage.core.enum_column import enum_column
from engage.core.extensions import Model, db

if TYPE_CHECKING:
    from engage.activecitizens.models import GrantApplication

COMMITMENT_TITLE_MAX = 200
COMMITMENT_DETAIL_MAX = 2000
OWNER_MAX = 120
PROGRESS_NOTE_MAX = 1000
QUOTE_MAX = 500


class CommitmentStatus(enum.StrEnum):
    PLANNED = "planned"
    UNDER_WAY = "under_way"
    DONE = "done"
    DROPPED = "dropped"


COMMITMENT_STATUS_LABELS = {
    CommitmentStatus.PLANNED: "Planned",
    CommitmentStatus.UNDER_WAY: "Under way",
    CommitmentStatus.DONE: "Done",
    CommitmentStatus.DROPPED: "Not going ahead",
}

commitment_grants = db.Table(
    "commitment_grants",
    db.Column("commitment_id", ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True),
    db.Column(
        "application_id",
        ForeignKey("grant_applications.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)


class Commitment(Model):
    """Something the force or the PCC undertook to do because of what people said."""

    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(COMMITMENT_TITLE_MAX))
    detail: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(OWNER_MAX))
    status: Mapped[CommitmentStatus] = mapped_column(
        enum_column(CommitmentStatus), default=CommitmentStatus.PLANNED
    )
    progress_percent: Mapped[int] = mapped_column(default=0)
    progress_note: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL")
    )

    grants: Mapped[list["GrantApplication"]] = relationship(
        secondary=commitment_grants, order_by="GrantApplication.id"
    )

    __table_args__ = (
        CheckConstraint(
            "progress_percent BETWEEN 0 AND 100", name="commitment_progress_is_a_percentage"
        ),
    )


class ChosenQuote(Model):
    """A free-text answer staff chose to quote, as they edited and checked it for personal data."""

    __tablename__ = "chosen_quotes"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(QUOTE_MAX))
    checked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("answer_id", name="one_quote_per_answer"),)
