"""The review panel: assignments, conflict-of-interest declarations and scores."""

from dataclasses import dataclass
from typing import cast

from engage.activecitizens.models import (
    ApplicationState,
    ConflictDeclaration,
    GrantApplication,
    Recommendation,
    ReviewAssignment,
    ReviewScore,
)
from engage.activecitizens.models.applications import REASON_MAX
from engage.activecitizens.models.reviews import MAX_SCORE
from engage.activecitizens.services.audit import Actor, record_entry
from engage.auth.models import Role, StaffUser
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db

# Reviewers may be assigned and score until the PCC's office has decided.
REVIEWABLE_STATES = (ApplicationState.IN_REVIEW, ApplicationState.PANEL_DECISION)


def reviewers() -> list[StaffUser]:
    return list(
        db.session.scalars(
            db.select(StaffUser)
            .where(StaffUser.role == Role.REVIEWER, StaffUser.active.is_(True))
            .order_by(StaffUser.name)
        )
    )


def assignments_for(application: GrantApplication) -> list[ReviewAssignment]:
    return list(
        db.session.scalars(
            db.select(ReviewAssignment)
            .where(ReviewAssignment.application_id == application.id)
            .order_by(ReviewAssignment.assigned_at)
        )
    )


def assignments_of_reviewer(reviewer: StaffUser, page: int):
    return db.paginate(
        db.select(ReviewAssignment)
        .where(ReviewAssignment.reviewer_id == reviewer.id)
        .order_by(ReviewAssignment.submitted_at.is_not(None), ReviewAssignment.assigned_at.desc()),
        page=page,
        per_page=25,
        error_out=False,
    )


def assignment_of(reviewer: StaffUser, assignment_id: int) -> ReviewAssignment | None:
    """The reviewer's own assignment, or None (another's is treated as not existing)."""
    return db.session.scalar(
        db.select(ReviewAssignment).where(
            ReviewAssignment.id == assignment_id, ReviewAssignment.reviewer_id == reviewer.id
        )
    )


def assign_reviewer(
    application: GrantApplication, reviewer: StaffUser, actor: Actor
) -> ReviewAssignment:
    if application.state not in REVIEWABLE_STATES:
        raise DomainError(
            "Reviewers can be assigned once an application passes its eligibility "
            "check, until it is decided",
            status=409,
        )
    if reviewer.role != Role.REVIEWER or not reviewer.active:
        raise DomainError("Choose an active grant reviewer", "reviewer_id")
    already = db.session.scalar(
        db.select(ReviewAssignment).where(
            ReviewAssignment.application_id == application.id,
            ReviewAssignment.reviewer_id == reviewer.id,
        )
    )
    if already is not None:
        raise DomainError(f"{reviewer.name} is already assigned to this application", "reviewer_id")
    assigner = cast(StaffUser, actor.staff)  # only staff assign reviewers (the view's roles)
    assignment = ReviewAssignment(
        application=application, reviewer=reviewer, assigned_by_id=assigner.id
    )
    db.session.add(assignment)
    db.session.flush()
    record_entry(actor, "assign_reviewer", application, reviewer=reviewer.name)
    return assignment


def declare_interest(
    assignment: ReviewAssignment, has_conflict: bool, reason: str, actor: Actor
) -> None:
    """Declare before seeing the application; a conflict recuses the reviewer for good."""
    if assignment.declaration != ConflictDeclaration.PENDING:
        raise DomainError("You have already made your declaration for this application", status=409)
    reason = reason.strip()
    if has_conflict and not reason:
        raise DomainError("Say briefly what the conflict of interest is", "reason")
    if len(reason) > REASON_MAX:
        raise DomainError(f"Keep this to {REASON_MAX:,} characters or fewer", "reason")
    assignment.declaration = (
        ConflictDeclaration.CONFLICT if has_conflict else ConflictDeclaration.NO_CONFLICT
    )
    assignment.conflict_reason = reason if has_conflict else ""
    assignment.declared_at = utcnow()
    record_entry(
        actor,
        "declare_conflict" if has_conflict else "declare_no_conflict",
        assignment.application,
        reason=assignment.conflict_reason,
    )


def can_see_application(assignment: ReviewAssignment) -> bool:
    return assignment.declaration == ConflictDeclaration.NO_CONFLICT


def check_may_score(assignment: ReviewAssignment) -> None:
    """Refuse a recused reviewer, one who has not declared yet, or a decided application."""
    if assignment.declaration == ConflictDeclaration.CONFLICT:
        raise DomainError(
            "You declared a conflict of interest on this application, so you cannot score it",
            status=403,
        )
    if assignment.declaration == ConflictDeclaration.PENDING:
        raise DomainError("Declare any conflict of interest before scoring", status=409)
    if assignment.application.state not in REVIEWABLE_STATES:
        raise DomainError("This application has been decided, so scores are closed", status=409)


def submit_review(
    assignment: ReviewAssignment,
    scores: dict[int, int],
    recommendation: Recommendation,
    comment: str,
    actor: Actor,
) -> None:
    """Score every criterion 0-5; a reviewer with a conflict, or none declared yet, cannot."""
    check_may_score(assignment)
    application = assignment.application
    criteria = application.funding_round.criteria
    for criterion in criteria:
        score = scores.get(criterion.id)
        if score is None:
            raise DomainError(f"Score '{criterion.name}'", f"criterion_{criterion.id}")
        if not 0 <= score <= MAX_SCORE:
            raise DomainError(
                f"Score '{criterion.name}' from 0 to {MAX_SCORE}", f"criterion_{criterion.id}"
            )
    if set(scores) - {c.id for c in criteria}:
        raise DomainError("Score only this round's criteria")
    if len(comment) > REASON_MAX:
        raise DomainError(f"Keep comments to {REASON_MAX:,} characters or fewer", "comment")
    before = {s.criterion_id: s.score for s in assignment.scores}
    assignment.scores = [ReviewScore(criterion_id=c.id, score=scores[c.id]) for c in criteria]
    assignment.recommendation = recommendation
    assignment.comment = comment.strip()
    assignment.submitted_at = utcnow()
    db.session.flush()
    record_entry(
        actor,
        "score",
        application,
        scores=[before or None, {str(k): v for k, v in scores.items()}],
        recommendation=recommendation.value,
    )


@dataclass(frozen=True)
class ReviewSummary:
    """Scores for one application: each criterion's spread, and the weighted total."""

    reviews: int
    recused: int
    pending: int
    # (criterion name, weight, lowest, highest, mean) for each criterion scored.
    criteria: list[tuple[str, int, int, int, float]]
    weighted_percent: float | None


def weighted_percent(scores: dict[int, int], weights: dict[int, int]) -> float:
    """A reviewer's scores as a percentage of the most they could give, each weighted."""
    top = sum(weights.values()) * MAX_SCORE
    return 100 * sum(scores.get(cid, 0) * weight for cid, weight in weights.items()) / top


def summarise_reviews(application: GrantApplication) -> ReviewSummary:
    assignments = assignments_for(application)
    done = [a for a in assignments if a.submitted_at is not None and not a.is_recused]
    weights = {c.id: c.weight for c in application.funding_round.criteria}
    rows = []
    for criterion in application.funding_round.criteria:
        values = [s.score for a in done for s in a.scores if s.criterion_id == criterion.id]
        if values:
            rows.append(
                (
                    criterion.name,
                    criterion.weight,
                    min(values),
                    max(values),
                    sum(values) / len(values),
                )
            )
    totals = [weighted_percent({s.criterion_id: s.score for s in a.scores}, weights) for a in done]
    return ReviewSummary(
        reviews=len(done),
        recused=sum(1 for a in assignments if a.is_recused),
        pending=sum(1 for a in assignments if a.submitted_at is None and not a.is_recused),
        criteria=rows,
        weighted_percent=sum(totals) / len(totals) if totals else None,
    )
