"""A group's applications: starting, saving drafts, sending, withdrawing, accepting offers."""

from datetime import date

from engage.activecitizens.models import (
    ApplicationArea,
    ApplicationState,
    BudgetLine,
    CommunityGroup,
    FundingRound,
    GrantApplication,
    RoundPriority,
)
from engage.activecitizens.services import budget
from engage.activecitizens.services.audit import Actor, record_entry
from engage.activecitizens.services.eligibility import (
    ApplicationDetails,
    ApplicationProblems,
    check_eligibility,
    problems_in_details,
)
from engage.activecitizens.services.workflow import Action, require_own, transition
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db

MAX_DRAFTS_PER_ROUND = 5


def application_for_group(group: CommunityGroup, application_id: int) -> GrantApplication | None:
    """The group's own application, or None: another group's is treated as not existing."""
    return db.session.scalar(
        db.select(GrantApplication).where(
            GrantApplication.id == application_id, GrantApplication.group_id == group.id
        )
    )


def applications_of_group(group: CommunityGroup) -> list[GrantApplication]:
    return list(
        db.session.scalars(
            db.select(GrantApplication)
            .where(GrantApplication.group_id == group.id)
            .order_by(GrantApplication.created_at.desc())
        )
    )


def start_application(
    group: CommunityGroup, funding_round: FundingRound, today: date
) -> GrantApplication:
    if not funding_round.is_open(today):
        raise DomainError(
            f"{funding_round.name} is not open for applications "
            f"(open {funding_round.opens_on:%-d %B} to {funding_round.closes_on:%-d %B %Y})",
            status=409,
        )
    drafts = db.session.scalar(
        db.select(db.func.count(GrantApplication.id)).where(
            GrantApplication.group_id == group.id,
            GrantApplication.round_id == funding_round.id,
            GrantApplication.state == ApplicationState.DRAFT,
        )
    )
    if drafts >= MAX_DRAFTS_PER_ROUND:
        raise DomainError(
            f"Your group already has {drafts} drafts in this round: finish or withdraw one first",
            status=409,
        )
    application = GrantApplication(funding_round=funding_round, group=group)
    db.session.add(application)
    db.session.flush()
    record_entry(Actor(group=group), "start", application, state_after=application.state.value)
    return application


def save_application(
    application: GrantApplication, details: ApplicationDetails, actor: Actor, today: date
) -> GrantApplication:
    """Save what the group wrote; refused once sent, unless staff asked for more information."""
    require_own(application, actor)
    if not application.is_editable:
        raise DomainError(
            "This application has been sent, so it cannot be changed. If something needs "
            "correcting, contact the fund team: they can reopen it.",
            status=409,
        )
    funding_round = application.funding_round
    if application.state == ApplicationState.DRAFT and not funding_round.is_open(today):
        raise DomainError(
            f"{funding_round.name} closed on {funding_round.closes_on:%-d %B %Y}", status=409
        )
    problems = problems_in_details(details, funding_round)
    if problems:
        raise ApplicationProblems(problems)
    for name in [
        "title",
        "summary",
        "activities",
        "beneficiaries",
        "beneficiary_count",
        "outcomes",
    ]:
        setattr(application, name, getattr(details, name))
    application.title = application.title.strip()
    application.main_area_code = details.main_area_code or None
    application.amount_requested_pence = details.amount_requested_pence or 0
    application.starts_on, application.ends_on = details.starts_on, details.ends_on
    application.priorities = list(
        db.session.scalars(
            db.select(RoundPriority).where(
                RoundPriority.id.in_(details.priority_ids),
                RoundPriority.round_id == funding_round.id,
            )
        )
    )
    codes = list(dict.fromkeys(c for c in [details.main_area_code, *details.other_area_codes] if c))
    existing = {area.area_code: area for area in application.areas}
    application.areas = [existing.get(code) or ApplicationArea(area_code=code) for code in codes]
    application.budget_lines = [
        BudgetLine(position=i, description=description.strip(), amount_pence=pence)
        for i, (description, pence) in enumerate(details.budget_lines)
    ]
    db.session.flush()
    return application


# What a group confirms on the check-your-answers page before sending; kept in the audit log.
DECLARATION = (
    "The information in this application is correct; I am authorised by the group to apply; "
    "the group will spend any grant only on this project and report on it."
)


def submit_application(
    application: GrantApplication, actor: Actor, today: date, declaration: str | None = None
) -> None:
    """Send the application, if it passes every eligibility rule; then it is frozen."""
    require_own(application, actor)
    problems = check_eligibility(application, today)
    if problems:
        raise ApplicationProblems(problems)
    resent = application.state == ApplicationState.MORE_INFO_REQUESTED
    transition(application, Action.SUBMIT, actor, resubmitted=resent, declaration=declaration)
    application.submitted_at = utcnow()


def withdraw_application(application: GrantApplication, actor: Actor, reason: str) -> None:
    """Withdraw; a grant already offered goes back into the budget."""
    was_approved = application.state == ApplicationState.APPROVED
    if was_approved:
        budget.lock_round(application.funding_round)
    transition(application, Action.WITHDRAW, actor, reason=reason.strip())
    if was_approved:
        budget.release(application)


def accept_offer(application: GrantApplication, actor: Actor) -> None:
    transition(application, Action.ACCEPT_OFFER, actor, amount=application.amount_awarded_pence)


def applications_in_round(
    funding_round: FundingRound, state: ApplicationState | None, page: int, per_page: int = 25
):
    query = db.select(GrantApplication).where(GrantApplication.round_id == funding_round.id)
    if state is not None:
        query = query.where(GrantApplication.state == state)
    return db.paginate(
        query.order_by(GrantApplication.submitted_at.desc().nulls_last(), GrantApplication.id),
        page=page,
        per_page=per_page,
        error_out=False,
    )


def state_counts(funding_round: FundingRound) -> dict[ApplicationState, int]:
    rows = db.session.execute(
        db.select(GrantApplication.state, db.func.count())
        .where(GrantApplication.round_id == funding_round.id)
        .group_by(GrantApplication.state)
    )
    return {state: count for state, count in rows}
