"""The application's state machine: which action moves it from which state to which.

Every change of state goes through `transition`, which also appends to the audit log.
"""

import enum
from dataclasses import dataclass

from engage.activecitizens.models import ApplicationState, GrantApplication
from engage.activecitizens.services.audit import Actor, record_entry
from engage.core.errors import DomainError
from engage.core.extensions import db

S = ApplicationState
STATE_CHANGES = "activecitizens.state_changes"  # audit entries of uncommitted state changes


class Action(enum.StrEnum):
    SUBMIT = "submit"
    START_CHECK = "start_check"
    REQUEST_INFO = "request_info"
    PASS_CHECK = "pass_check"
    SEND_TO_PANEL = "send_to_panel"
    APPROVE = "approve"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    ACCEPT_OFFER = "accept_offer"
    RECORD_PAYMENT = "record_payment"
    CLOSE = "close"


@dataclass(frozen=True)
class Transition:
    sources: tuple[ApplicationState, ...]
    target: ApplicationState
    by_group: bool  # True: only the applicant group may act; False: only staff


TRANSITIONS: dict[Action, Transition] = {
    Action.SUBMIT: Transition((S.DRAFT, S.MORE_INFO_REQUESTED), S.SUBMITTED, by_group=True),
    Action.START_CHECK: Transition((S.SUBMITTED,), S.ELIGIBILITY_CHECK, by_group=False),
    Action.REQUEST_INFO: Transition(
        (S.SUBMITTED, S.ELIGIBILITY_CHECK, S.IN_REVIEW, S.PANEL_DECISION),
        S.MORE_INFO_REQUESTED,
        by_group=False,
    ),
    Action.PASS_CHECK: Transition((S.ELIGIBILITY_CHECK,), S.IN_REVIEW, by_group=False),
    Action.SEND_TO_PANEL: Transition((S.IN_REVIEW,), S.PANEL_DECISION, by_group=False),
    Action.APPROVE: Transition((S.PANEL_DECISION,), S.APPROVED, by_group=False),
    Action.DECLINE: Transition(
        (S.ELIGIBILITY_CHECK, S.IN_REVIEW, S.PANEL_DECISION), S.DECLINED, by_group=False
    ),
    Action.WITHDRAW: Transition(
        (
            S.DRAFT,
            S.SUBMITTED,
            S.ELIGIBILITY_CHECK,
            S.MORE_INFO_REQUESTED,
            S.IN_REVIEW,
            S.PANEL_DECISION,
            S.APPROVED,
        ),
        S.WITHDRAWN,
        by_group=True,
    ),
    Action.ACCEPT_OFFER: Transition((S.APPROVED,), S.OFFER_ACCEPTED, by_group=True),
    Action.RECORD_PAYMENT: Transition((S.OFFER_ACCEPTED,), S.MONITORING, by_group=False),
    Action.CLOSE: Transition((S.MONITORING,), S.CLOSED, by_group=False),
}

# What the applicant sees: plain words, not the office's jargon.
PUBLIC_NAMES: dict[ApplicationState, str] = {
    S.DRAFT: "Draft: not sent yet",
    S.SUBMITTED: "Received",
    S.ELIGIBILITY_CHECK: "Checking eligibility",
    S.MORE_INFO_REQUESTED: "We need more information",
    S.IN_REVIEW: "With the review panel",
    S.PANEL_DECISION: "Waiting for a decision",
    S.APPROVED: "Grant offered",
    S.DECLINED: "Not funded",
    S.WITHDRAWN: "Withdrawn",
    S.OFFER_ACCEPTED: "Offer accepted",
    S.MONITORING: "Grant paid: project under way",
    S.CLOSED: "Completed",
}

# Tag colours by meaning, as GOV.UK uses them: grey not started, blue with us, yellow waiting
# on the group, green funded, red not funded or withdrawn.
STATE_TAGS: dict[ApplicationState, str] = {
    S.DRAFT: "draft",
    S.SUBMITTED: "published",
    S.ELIGIBILITY_CHECK: "published",
    S.MORE_INFO_REQUESTED: "flag",
    S.IN_REVIEW: "published",
    S.PANEL_DECISION: "published",
    S.APPROVED: "flag",
    S.DECLINED: "failed",
    S.WITHDRAWN: "failed",
    S.OFFER_ACCEPTED: "open",
    S.MONITORING: "open",
    S.CLOSED: "completed",
}

ACTION_LABELS: dict[Action, str] = {
    Action.SUBMIT: "Sent the application",
    Action.START_CHECK: "Started the eligibility check",
    Action.REQUEST_INFO: "Asked for more information",
    Action.PASS_CHECK: "Passed the eligibility check",
    Action.SEND_TO_PANEL: "Sent to the PCC's office for a decision",
    Action.APPROVE: "Approved a grant",
    Action.DECLINE: "Declined",
    Action.WITHDRAW: "Withdrew the application",
    Action.ACCEPT_OFFER: "Accepted the grant offer",
    Action.RECORD_PAYMENT: "Paid the grant",
    Action.CLOSE: "Closed the grant",
}


def allowed_actions(state: ApplicationState, by_group: bool) -> list[Action]:
    return [
        action
        for action, rule in TRANSITIONS.items()
        if state in rule.sources and rule.by_group == by_group
    ]


def next_state(state: ApplicationState, action: Action, by_group: bool) -> ApplicationState:
    """The state `action` leads to from `state`, or a DomainError saying why it cannot."""
    rule = TRANSITIONS[action]
    if rule.by_group != by_group:
        who = "the applicant group" if rule.by_group else "the fund's staff"
        raise DomainError(f"Only {who} can do that ({ACTION_LABELS[action].lower()})", status=403)
    if state not in rule.sources:
        raise DomainError(
            f"That cannot be done while the application is '{PUBLIC_NAMES[state]}'", status=409
        )
    return rule.target


def require_own(application: GrantApplication, actor: Actor) -> None:
    """Refuse a group acting on another group's application, as if it did not exist."""
    if actor.group is None or application.group_id != actor.group.id:
        raise DomainError("That application is not yours", status=404)


def transition(
    application: GrantApplication, action: Action, actor: Actor, **details
) -> ApplicationState:
    """Move the application on by `action`, recording who, when and what in the audit log."""
    before = application.state
    if actor.is_group:
        require_own(application, actor)
    application.state = next_state(before, action, by_group=actor.is_group)
    entry = record_entry(
        actor,
        action.value,
        application,
        state_before=before.value,
        state_after=application.state.value,
        **details,
    )
    # The group is emailed once this commits (services.status_emails).
    db.session.info.setdefault(STATE_CHANGES, []).append(entry.id)
    return application.state
