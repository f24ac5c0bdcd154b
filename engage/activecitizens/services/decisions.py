"""The fund team's and the PCC's office's steps: checks, requests, decisions, payment, closing."""

import enum
from dataclasses import dataclass

from engage.activecitizens.models import ApplicationState, FundingRound, GrantApplication
from engage.activecitizens.models.applications import REASON_MAX
from engage.activecitizens.services import budget
from engage.activecitizens.services.audit import Actor
from engage.activecitizens.services.workflow import Action, transition
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.core.money import format_pence


def _message(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(f"Write the {what}: the group will see it", "message")
    if len(text) > REASON_MAX:
        raise DomainError(f"Keep the {what} to {REASON_MAX:,} characters or fewer", "message")
    return text


def start_check(application: GrantApplication, actor: Actor) -> None:
    transition(application, Action.START_CHECK, actor)


def pass_check(application: GrantApplication, actor: Actor) -> None:
    transition(application, Action.PASS_CHECK, actor)


def send_to_panel(application: GrantApplication, actor: Actor) -> None:
    transition(application, Action.SEND_TO_PANEL, actor)


def request_information(application: GrantApplication, actor: Actor, message: str) -> None:
    """Reopen the application for the group to change, saying what is needed."""
    text = _message(message, "request")
    transition(application, Action.REQUEST_INFO, actor, message=text)
    application.staff_message = text


def decline(application: GrantApplication, actor: Actor, reason: str) -> None:
    text = _message(reason, "reason")
    transition(application, Action.DECLINE, actor, reason=text)
    application.staff_message = text
    application.decided_at = utcnow()


def approve(application: GrantApplication, actor: Actor, amount_pence: int | None = None) -> None:
    """Approve the full amount asked for, or part of it, within what is left in the budget."""
    budget.lock_round(application.funding_round)
    db.session.refresh(application)
    _approve_locked(application, actor, amount_pence)


def _approve_locked(application: GrantApplication, actor: Actor, amount_pence: int | None) -> None:
    """Approve, once the caller holds the round's lock."""
    amount = application.amount_requested_pence if amount_pence is None else amount_pence
    if amount <= 0:
        raise DomainError("Enter an amount of more than £0", "amount")
    if amount > application.amount_requested_pence:
        raise DomainError(
            f"The group asked for {format_pence(application.amount_requested_pence)}; "
            "a grant cannot be more than that",
            "amount",
        )
    transition(
        application,
        Action.APPROVE,
        actor,
        amount=[application.amount_requested_pence, amount],
        partial=amount < application.amount_requested_pence,
    )
    budget.commit(application, amount)
    application.amount_awarded_pence = amount
    application.staff_message = ""
    application.decided_at = utcnow()


class BatchChoice(enum.StrEnum):
    APPROVE_IN_FULL = "approve"
    DECLINE = "decline"


@dataclass(frozen=True)
class BatchOutcome:
    decided: int
    total_pence: int


def decide_batch(
    applications: list[GrantApplication], choice: BatchChoice, actor: Actor, reason: str = ""
) -> BatchOutcome:
    """Decide several at once: all or none, so a batch that would overspend changes nothing."""
    if not applications:
        raise DomainError("Tick at least one application", "application_ids")
    if choice == BatchChoice.DECLINE:
        text = _message(reason, "reason")
        for application in applications:
            decline(application, actor, text)
        return BatchOutcome(len(applications), 0)
    budget.lock_round(applications[0].funding_round)
    pending: dict[str, int] = {}
    for application in applications:
        if application.round_id != applications[0].round_id:
            raise DomainError("Decide one round's applications at a time")
        if application.state != ApplicationState.PANEL_DECISION:
            raise DomainError(
                f"{application.reference} is not waiting for a decision, so none were approved",
                status=409,
            )
        amount = application.amount_requested_pence
        budget.check_fits(application, amount, pending)
        pending["round"] = pending.get("round", 0) + amount
        code = application.main_area_code or ""
        pending[code] = pending.get(code, 0) + amount
    for application in applications:
        _approve_locked(application, actor, None)
    return BatchOutcome(len(applications), pending.get("round", 0))


def awaiting_decision_ids(funding_round: FundingRound) -> list[int]:
    return list(
        db.session.scalars(
            db.select(GrantApplication.id).where(
                GrantApplication.round_id == funding_round.id,
                GrantApplication.state == ApplicationState.PANEL_DECISION,
            )
        )
    )


def applications_by_ids(ids: list[int]) -> list[GrantApplication]:
    return list(
        db.session.scalars(
            db.select(GrantApplication)
            .where(GrantApplication.id.in_(ids))
            .order_by(GrantApplication.id)
        )
    )


def record_payment(application: GrantApplication, actor: Actor) -> None:
    """Record that the grant has been paid to the group; its project is now monitored."""
    transition(application, Action.RECORD_PAYMENT, actor, paid=application.amount_awarded_pence)
    application.paid_pence = application.amount_awarded_pence or 0


def close_grant(application: GrantApplication, actor: Actor) -> None:
    if application.monitoring_report is None:
        raise DomainError(
            "The group has not sent its end-of-project report yet, so the grant cannot be closed",
            status=409,
        )
    transition(application, Action.CLOSE, actor)
