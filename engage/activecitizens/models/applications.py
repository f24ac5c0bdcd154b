"""Grant applications, their budget lines, areas, documents and monitoring report."""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.activecitizens.models.groups import CommunityGroup
from engage.activecitizens.models.rounds import AREA_CODE_MAX, FundingRound, RoundPriority
from engage.core.db_types import UTCDateTime, utcnow
from engage.core.enum_column import enum_column
from engage.core.extensions import Model, db

TITLE_MAX = 200
SUMMARY_MAX = 600
LONG_TEXT_MAX = 5000
BUDGET_LINE_MAX = 200
REASON_MAX = 2000
FILENAME_MAX = 200
BUDGET_LINES_MAX = 10
PEOPLE_MAX = 1_000_000

application_priorities = db.Table(
    "grant_application_priorities",
    db.Column(
        "application_id",
        db.ForeignKey("grant_applications.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    db.Column(
        "priority_id",
        db.ForeignKey("grant_round_priorities.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)


class ApplicationState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ELIGIBILITY_CHECK = "eligibility_check"
    MORE_INFO_REQUESTED = "more_info_requested"
    IN_REVIEW = "in_review"
    PANEL_DECISION = "panel_decision"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    OFFER_ACCEPTED = "offer_accepted"
    MONITORING = "monitoring"
    CLOSED = "closed"


# States in which the grant counts against the budget.
FUNDED_STATES = (
    ApplicationState.APPROVED,
    ApplicationState.OFFER_ACCEPTED,
    ApplicationState.MONITORING,
    ApplicationState.CLOSED,
)
# States in which the group may change what it wrote.
EDITABLE_STATES = (ApplicationState.DRAFT, ApplicationState.MORE_INFO_REQUESTED)


class DocumentKind(enum.StrEnum):
    SUPPORTING = "supporting"
    MONITORING_PHOTO = "monitoring_photo"


class GrantApplication(Model):
    __tablename__ = "grant_applications"
    __table_args__ = (
        CheckConstraint("amount_requested_pence >= 0", name="requested_not_negative"),
        CheckConstraint("amount_awarded_pence > 0", name="awarded_positive"),
        CheckConstraint("amount_awarded_pence <= amount_requested_pence", name="awarded_in_ask"),
        CheckConstraint("paid_pence >= 0", name="paid_not_negative"),
        Index("ix_grant_applications_round_state", "round_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grant_rounds.id"))
    group_id: Mapped[int] = mapped_column(ForeignKey("community_groups.id"), index=True)
    state: Mapped[ApplicationState] = mapped_column(
        enum_column(ApplicationState), default=ApplicationState.DRAFT
    )
    title: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    summary: Mapped[str] = mapped_column(String(SUMMARY_MAX), default="")
    activities: Mapped[str] = mapped_column(Text, default="")
    beneficiaries: Mapped[str] = mapped_column(Text, default="")
    beneficiary_count: Mapped[int | None]
    outcomes: Mapped[str] = mapped_column(Text, default="")
    # The area whose allocation pays for the grant; other areas it serves are in `areas`.
    main_area_code: Mapped[str | None] = mapped_column(String(AREA_CODE_MAX))
    amount_requested_pence: Mapped[int] = mapped_column(default=0)
    amount_awarded_pence: Mapped[int | None]
    paid_pence: Mapped[int] = mapped_column(default=0)
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    # The latest message to the group: what information is needed, or why it was declined.
    staff_message: Mapped[str] = mapped_column(String(REASON_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    funding_round: Mapped[FundingRound] = relationship()
    group: Mapped[CommunityGroup] = relationship()
    priorities: Mapped[list[RoundPriority]] = relationship(
        secondary=application_priorities, order_by=RoundPriority.position
    )
    budget_lines: Mapped[list["BudgetLine"]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        order_by="BudgetLine.position",
    )
    areas: Mapped[list["ApplicationArea"]] = relationship(
        cascade="all, delete-orphan", order_by="ApplicationArea.area_code"
    )
    documents: Mapped[list["ApplicationDocument"]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        order_by="ApplicationDocument.uploaded_at",
    )
    monitoring_report: Mapped["MonitoringReport | None"] = relationship(
        cascade="all, delete-orphan"
    )

    @property
    def reference(self) -> str:
        return f"ACF-{self.id:05d}"

    @property
    def area_codes(self) -> list[str]:
        return [area.area_code for area in self.areas]

    @property
    def budget_total_pence(self) -> int:
        return sum(line.amount_pence for line in self.budget_lines)

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


class BudgetLine(Model):
    __tablename__ = "grant_budget_lines"
    __table_args__ = (
        CheckConstraint("amount_pence > 0", name="amount_positive"),
        CheckConstraint("spent_pence >= 0", name="spent_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("grant_applications.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(String(BUDGET_LINE_MAX))
    amount_pence: Mapped[int]
    # Filled in by the monitoring report: what was actually spent on this line.
    spent_pence: Mapped[int | None]

    application: Mapped[GrantApplication] = relationship(back_populates="budget_lines")


class ApplicationArea(Model):
    """A local authority area the project serves (its beneficiary location)."""

    __tablename__ = "grant_application_areas"
    __table_args__ = (UniqueConstraint("application_id", "area_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("grant_applications.id", ondelete="CASCADE")
    )
    area_code: Mapped[str] = mapped_column(String(AREA_CODE_MAX))


class ApplicationDocument(Model):
    """An uploaded file, kept under instance/ (never under static/) and named by a random key."""

    __tablename__ = "grant_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("grant_applications.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind))
    original_name: Mapped[str] = mapped_column(String(FILENAME_MAX))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[GrantApplication] = relationship(back_populates="documents")


class MonitoringReport(Model):
    """What the group reports at the end: what was done, who was reached, what was spent."""

    __tablename__ = "grant_monitoring_reports"
    __table_args__ = (CheckConstraint("people_reached >= 0", name="people_reached_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("grant_applications.id", ondelete="CASCADE"), unique=True
    )
    what_was_done: Mapped[str] = mapped_column(Text)
    people_reached: Mapped[int]
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
