"""The application's state machine, every transition, and the append-only audit log."""

import itertools

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from engage.activecitizens.models import ApplicationState, AuditEntry
from engage.activecitizens.services.workflow import Action, next_state
from engage.core.errors import DomainError
from tests.grants import application_in_state

S = ApplicationState
A = Action

# The workflow as the fund team described it, written out independently of the code's table:
# (state, action) -> new state, and whether the group (True) or staff (False) takes the step.
EXPECTED = {
    (S.DRAFT, A.SUBMIT): (S.SUBMITTED, True),
    (S.MORE_INFO_REQUESTED, A.SUBMIT): (S.SUBMITTED, True),
    (S.SUBMITTED, A.START_CHECK): (S.ELIGIBILITY_CHECK, False),
    (S.SUBMITTED, A.REQUEST_INFO): (S.MORE_INFO_REQUESTED, False),
    (S.ELIGIBILITY_CHECK, A.REQUEST_INFO): (S.MORE_INFO_REQUESTED, False),
    (S.IN_REVIEW, A.REQUEST_INFO): (S.MORE_INFO_REQUESTED, False),
    (S.PANEL_DECISION, A.REQUEST_INFO): (S.MORE_INFO_REQUESTED, False),
    (S.ELIGIBILITY_CHECK, A.PASS_CHECK): (S.IN_REVIEW, False),
    (S.IN_REVIEW, A.SEND_TO_PANEL): (S.PANEL_DECISION, False),
    (S.PANEL_DECISION, A.APPROVE): (S.APPROVED, False),
    (S.ELIGIBILITY_CHECK, A.DECLINE): (S.DECLINED, False),
    (S.IN_REVIEW, A.DECLINE): (S.DECLINED, False),
    (S.PANEL_DECISION, A.DECLINE): (S.DECLINED, False),
    **{
        (state, A.WITHDRAW): (S.WITHDRAWN, True)
        for state in (
            S.DRAFT,
            S.SUBMITTED,
            S.ELIGIBILITY_CHECK,
            S.MORE_INFO_REQUESTED,
            S.IN_REVIEW,
            S.PANEL_DECISION,
            S.APPROVED,
        )
    },
    (S.APPROVED, A.ACCEPT_OFFER): (S.OFFER_ACCEPTED, True),
    (S.OFFER_ACCEPTED, A.RECORD_PAYMENT): (S.MONITORING, False),
    (S.MONITORING, A.CLOSE): (S.CLOSED, False),
}


@pytest.mark.parametrize(("state", "action"), sorted(EXPECTED, key=str))
def test_allowed_transition_leads_where_expected(state, action):
    target, by_group = EXPECTED[(state, action)]
    assert next_state(state, action, by_group=by_group) == target


@pytest.mark.parametrize(("state", "action"), sorted(EXPECTED, key=str))
def test_allowed_transition_is_refused_to_the_other_side(state, action):
    _, by_group = EXPECTED[(state, action)]
    with pytest.raises(DomainError) as refused:
        next_state(state, action, by_group=not by_group)
    assert refused.value.status == 403


FORBIDDEN = [
    (state, action, by_group)
    for state, action in itertools.product(S, A)
    if (state, action) not in EXPECTED
    for by_group in (True, False)
]


@pytest.mark.parametrize(("state", "action", "by_group"), FORBIDDEN)
def test_forbidden_transition_is_refused(state, action, by_group):
    with pytest.raises(DomainError):
        next_state(state, action, by_group=by_group)


def test_every_state_and_action_pair_is_covered():
    assert len(EXPECTED) + len(FORBIDDEN) // 2 == len(S) * len(A)


def test_changes_of_state_are_audited_with_who_and_before_and_after(db):
    application = application_in_state(S.PANEL_DECISION)
    db.session.commit()
    entries = db.session.scalars(
        db.select(AuditEntry)
        .where(AuditEntry.application_id == application.id)
        .order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.state_before, e.state_after) for e in entries] == [
        ("start", None, "draft"),
        ("submit", "draft", "submitted"),
        ("start_check", "submitted", "eligibility_check"),
        ("pass_check", "eligibility_check", "in_review"),
        ("send_to_panel", "in_review", "panel_decision"),
    ]
    assert entries[1].actor_group_id == application.group_id
    assert entries[2].actor_staff_id is not None and "PCC" in entries[2].actor_label


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE grant_audit_entries SET action = 'approve'",
        "DELETE FROM grant_audit_entries",
    ],
)
def test_audit_log_refuses_updates_and_deletes(db, statement):
    application_in_state(S.SUBMITTED)
    db.session.commit()
    entries = db.session.scalar(db.select(db.func.count(AuditEntry.id)))
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text(statement))
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == entries
    assert (
        db.session.scalar(db.select(AuditEntry.action).where(AuditEntry.action == "approve"))
        is None
    )
