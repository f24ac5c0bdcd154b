"""Funding rounds: dates, budget per area, grant limits, priorities and scoring criteria.

Money is integer pence. `committed_pence` on the round and on each area is the sum of grants
approved and not since withdrawn; decisions move it under a row lock, and CHECK constraints
keep it within the budget even if a bug forgot the lock.
"""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.db_types import UTCDateTime, utcnow
from engage.core.extensions import Model

ROUND_NAME_MAX = 200
SLUG_MAX = 80
PRIORITY_MAX = 120
CRITERION_MAX = 120
GUIDANCE_MAX = 2000
AREA_CODE_MAX = 9  # ONS GSS codes such as E08000025


class FundingRound(Model):
    __tablename__ = "grant_rounds"
    __table_args__ = (
        CheckConstraint("budget_pence > 0", name="budget_positive"),
        CheckConstraint("min_grant_pence > 0", name="min_grant_positive"),
        CheckConstraint("max_grant_pence >= min_grant_pence", name="max_at_least_min"),
        CheckConstraint("max_grant_pence <= budget_pence", name="max_within_budget"),
        CheckConstraint("opens_on <= closes_on", name="opens_before_closes"),
        CheckConstraint("projects_start_from <= projects_end_by", name="project_window_in_order"),
        CheckConstraint(
            "committed_pence >= 0 AND committed_pence <= budget_pence", name="committed_in_budget"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(SLUG_MAX), unique=True)
    name: Mapped[str] = mapped_column(String(ROUND_NAME_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    # When the panel's decisions are expected: shown to applicants as "what happens next".
    decisions_by: Mapped[date]
    projects_start_from: Mapped[date]
    projects_end_by: Mapped[date]
    budget_pence: Mapped[int]
    min_grant_pence: Mapped[int]
    max_grant_pence: Mapped[int]
    committed_pence: Mapped[int] = mapped_column(default=0)
    # Awards appear on the public page and in the 360Giving export once published.
    awards_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    allocations: Mapped[list["AreaAllocation"]] = relationship(
        back_populates="funding_round",
        cascade="all, delete-orphan",
        order_by="AreaAllocation.area_code",
    )
    priorities: Mapped[list["RoundPriority"]] = relationship(
        back_populates="funding_round",
        cascade="all, delete-orphan",
        order_by="RoundPriority.position",
    )
    criteria: Mapped[list["RoundCriterion"]] = relationship(
        back_populates="funding_round",
        cascade="all, delete-orphan",
        order_by="RoundCriterion.position",
    )

    def is_open(self, today: date) -> bool:
        return self.opens_on <= today <= self.closes_on

    @property
    def remaining_pence(self) -> int:
        return self.budget_pence - self.committed_pence

    def allocation_for(self, area_code: str) -> "AreaAllocation | None":
        return next((a for a in self.allocations if a.area_code == area_code), None)


class AreaAllocation(Model):
    """The share of a round's budget set aside for one local authority area."""

    __tablename__ = "grant_area_allocations"
    __table_args__ = (
        UniqueConstraint("round_id", "area_code"),
        CheckConstraint("allocation_pence >= 0", name="allocation_not_negative"),
        CheckConstraint(
            "committed_pence >= 0 AND committed_pence <= allocation_pence",
            name="committed_in_allocation",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grant_rounds.id", ondelete="CASCADE"))
    area_code: Mapped[str] = mapped_column(String(AREA_CODE_MAX))
    allocation_pence: Mapped[int]
    committed_pence: Mapped[int] = mapped_column(default=0)

    funding_round: Mapped[FundingRound] = relationship(back_populates="allocations")

    @property
    def remaining_pence(self) -> int:
        return self.allocation_pence - self.committed_pence


class RoundPriority(Model):
    __tablename__ = "grant_round_priorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grant_rounds.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(PRIORITY_MAX))

    funding_round: Mapped[FundingRound] = relationship(back_populates="priorities")


class RoundCriterion(Model):
    """A scoring criterion: reviewers give 0 to 5 against its guidance; weight scales it."""

    __tablename__ = "grant_round_criteria"
    __table_args__ = (CheckConstraint("weight BETWEEN 1 AND 10", name="weight_in_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grant_rounds.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(CRITERION_MAX))
    guidance: Mapped[str] = mapped_column(String(GUIDANCE_MAX), default="")
    weight: Mapped[int] = mapped_column(default=1)

    funding_round: Mapped[FundingRound] = relationship(back_populates="criteria")
