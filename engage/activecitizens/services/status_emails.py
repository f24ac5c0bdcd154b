"""Emails telling a group its application moved on, queued once the change is committed.

`workflow.transition` notes each change's audit entry in the session. When the session commits,
the noted changes fall due; after the request (views commit) each is queued with `send_email`,
keyed by its audit entry so it is sent once, and the request never waits for the mail server. A
change rolled back is forgotten, so no group is told of a change that did not happen. Done this
way, and not view by view, every transition (one step, a decision, a batch) is covered.
"""

from dataclasses import dataclass
from datetime import date

from flask import Response, url_for
from itsdangerous import BadSignature
from sqlalchemy import event
from sqlalchemy.orm import Session

from engage.activecitizens.models import (
    ApplicationState,
    AuditEntry,
    CommunityGroup,
    GrantApplication,
)
from engage.activecitizens.services.tracking import next_step
from engage.activecitizens.services.workflow import PUBLIC_NAMES, STATE_CHANGES
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.core.signing import lasting_serializer
from engage.mail.sending import send_email

PENDING = STATE_CHANGES
DUE = "activecitizens.state_changes_due"
KEY = "activecitizens.state-email"
STOP_SALT = "activecitizens.stop-status-emails"
STOP_BROKEN = "This unsubscribe link is not valid. Check you copied the whole link from the email."


@dataclass(frozen=True)
class Stopped:
    """What an unsubscribe link did: `changed` is False when the emails were already stopped."""

    group: CommunityGroup
    changed: bool


def stop_token(group_id: int) -> str:
    return lasting_serializer(STOP_SALT).dumps(group_id)


def group_to_stop(token: str) -> CommunityGroup:
    """The group an unsubscribe link is for; a forged link is refused."""
    try:
        group_id = lasting_serializer(STOP_SALT).loads(token)
    except BadSignature:
        raise DomainError(STOP_BROKEN, status=404) from None
    group = db.session.get(CommunityGroup, group_id) if type(group_id) is int else None
    if group is None:
        raise DomainError(STOP_BROKEN, status=404)
    return group


def stop_status_emails(token: str, today: date | None = None) -> Stopped:
    """Stop the emails about this group's applications' progress; twice is fine."""
    group = group_to_stop(token)
    if group.status_emails_stopped_on is not None:
        return Stopped(group, changed=False)
    group.status_emails_stopped_on = today or utcnow().date()
    db.session.flush()
    return Stopped(group, changed=True)


def resume_status_emails(group: CommunityGroup) -> bool:
    """Send the group its applications' progress emails again; False if they were not stopped."""
    if group.status_emails_stopped_on is None:
        return False
    group.status_emails_stopped_on = None
    db.session.flush()
    return True


@event.listens_for(Session, "after_commit")
def _fall_due(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if pending:
        session.info.setdefault(DUE, []).extend(pending)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)


def send_due_emails(response: Response) -> Response:
    """An after-request hook: queue one email for each state change this request committed."""
    for entry_id in db.session.info.pop(DUE, None) or ():
        _tell_group(entry_id)
    return response


def _tell_group(entry_id: int) -> None:
    entry = db.session.get(AuditEntry, entry_id)
    if entry is None or entry.application_id is None or not entry.state_after:
        return  # undone within the transaction (a savepoint rolled back)
    application = db.session.get_one(GrantApplication, entry.application_id)
    group = application.group
    if group.status_emails_stopped_on is not None:
        return
    link = url_for("activecitizens.application_page", application_id=application.id, _external=True)
    stop = url_for("activecitizens.stop_status_emails", token=stop_token(group.id), _external=True)
    subject, body = state_message(application, ApplicationState(entry.state_after), link)
    body += f"\nTo stop these emails (you can still follow your application online):\n{stop}\n"
    send_email(group.email, subject, body, key=f"{KEY}:{entry_id}", unsubscribe_url=stop)


def state_message(
    application: GrantApplication, state: ApplicationState, link: str
) -> tuple[str, str]:
    """The subject and body telling the group where its application is now, and what next."""
    title = application.title or "your application"
    status = PUBLIC_NAMES[state]
    lines = [
        f"Your Active Citizens Fund application ‘{title}’ ({application.reference}) has moved "
        f"on.\n\nIts status is now: {status}.",
    ]
    if state in (ApplicationState.MORE_INFO_REQUESTED, ApplicationState.DECLINED):
        lines.append(f"Our message to you:\n{application.staff_message}")
    step = next_step(application)
    if step.text:
        due = f" (by {step.by:%d %B %Y})" if step.by else ""
        lines.append(f"What happens next{due}: {step.text}")
    lines.append(f"Track your application (sign in first):\n{link}")
    return f"Your application is now: {status}", "\n\n".join(lines) + "\n"
