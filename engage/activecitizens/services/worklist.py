"""The fund's waiting work, for the staff home: applications to check, review or decide."""

from sqlalchemy import func

from engage.activecitizens.models import ApplicationState, GrantApplication, ReviewAssignment
from engage.activecitizens.models.reviews import ConflictDeclaration
from engage.auth.models import Role, StaffUser
from engage.auth.worklist import WorkItem, provides_work
from engage.core.extensions import db

S = ApplicationState
OFFICE_QUEUES = (
    (S.SUBMITTED, "applications wait for an eligibility check"),
    (S.ELIGIBILITY_CHECK, "eligibility checks are under way"),
    (S.PANEL_DECISION, "applications wait for a decision"),
)


@provides_work
def fund_work(user: StaffUser) -> list[WorkItem]:
    items = []
    if user.has_role(Role.PCC):
        counts = dict(
            db.session.execute(
                db.select(GrantApplication.state, func.count())
                .where(GrantApplication.state.in_([state for state, _ in OFFICE_QUEUES]))
                .group_by(GrantApplication.state)
            )
            .tuples()
            .all()
        )
        items += [
            WorkItem(
                "Active Citizens Fund",
                label,
                counts.get(state, 0),
                "grants_staff.round_list",
            )
            for state, label in OFFICE_QUEUES
        ]
    if user.role == Role.REVIEWER:
        waiting = db.session.scalar(
            db.select(func.count())
            .select_from(ReviewAssignment)
            .join(GrantApplication, GrantApplication.id == ReviewAssignment.application_id)
            .where(
                ReviewAssignment.reviewer_id == user.id,
                ReviewAssignment.submitted_at.is_(None),
                ReviewAssignment.declaration != ConflictDeclaration.CONFLICT,
                GrantApplication.state.in_((S.IN_REVIEW, S.PANEL_DECISION)),
            )
        )
        items.append(
            WorkItem(
                "Active Citizens Fund", "reviews to do", waiting or 0, "grants_staff.my_reviews"
            )
        )
    return items
