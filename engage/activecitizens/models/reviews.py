"""The review panel: who is assigned what, their conflict declarations and their scores."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.activecitizens.models.applications import REASON_MAX, GrantApplication
from engage.activecitizens.models.rounds import RoundCriterion
from engage.auth.models import StaffUser
from engage.core.db_types import UTCDateTime, utcnow
from engage.core.enum_column import enum_column
from engage.core.extensions import Model

MAX_SCORE = 5


class ConflictDeclaration(enum.StrEnum):
    PENDING = "pending"
    NO_CONFLICT = "no_conflict"
    CONFLICT = "conflict"


class Recommendation(enum.StrEnum):
    FUND = "fund"
    FUND_IN_PART = "fund_in_part"
    DO_NOT_FUND = "do_not_fund"

    @property
    def label(self) -> str:
        return RECOMMENDATION_LABELS[self]


RECOMMENDATION_LABELS = {
    Recommendation.FUND: "Fund in full",
    Recommendation.FUND_IN_PART: "Fund in part",
    Recommendation.DO_NOT_FUND: "Do not fund",
}


class ReviewAssignment(Model):
    __tablename__ = "grant_review_assignments"
    __table_args__ = (UniqueConstraint("application_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("grant_applications.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    declaration: Mapped[ConflictDeclaration] = mapped_column(
        enum_column(ConflictDeclaration), default=ConflictDeclaration.PENDING
    )
    conflict_reason: Mapped[str] = mapped_column(String(REASON_MAX), default="")
    declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recommendation: Mapped[Recommendation | None] = mapped_column(enum_column(Recommendation))
    comment: Mapped[str] = mapped_column(String(REASON_MAX), default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    application: Mapped[GrantApplication] = relationship()
    reviewer: Mapped[StaffUser] = relationship(foreign_keys=[reviewer_id])
    scores: Mapped[list["ReviewScore"]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan"
    )

    @property
    def is_recused(self) -> bool:
        return self.declaration == ConflictDeclaration.CONFLICT


class ReviewScore(Model):
    __tablename__ = "grant_review_scores"
    __table_args__ = (
        UniqueConstraint("assignment_id", "criterion_id"),
        CheckConstraint(f"score BETWEEN 0 AND {MAX_SCORE}", name="score_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("grant_review_assignments.id", ondelete="CASCADE")
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("grant_round_criteria.id", ondelete="CASCADE")
    )
    score: Mapped[int]

    assignment: Mapped[ReviewAssignment] = relationship(back_populates="scores")
    criterion: Mapped[RoundCriterion] = relationship()
