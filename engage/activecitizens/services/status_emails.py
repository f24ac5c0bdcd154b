"""Emails telling a group its application moved on, queued once the change is committed.

`workflow.transition` notes each change's audit entry in the session. When the session commits,
the noted changes fall due; after the request (views commit) each is queued with `send_email`,
keyed by its audit entry so it is sent once, and the request never waits for the mail server. A
change rolled back is forgotten, so no group is told of a change that did not happen. Done this
way, and not view by view, every transition (one step, a decision, a batch) is covered.
"""

from flask import Response, url_for
from sqlalchemy import event
from sqlalchemy.orm import Session

from engage.activecitizens.models import ApplicationState, AuditEntry, GrantApplication
from engage.activecitizens.services.tracking import next_step
from engage.activecitizens.services.workflow import PUBLIC_NAMES, STATE_CHANGES
from engage.core.extensions import db
from engage.mail.sending import send_email

PENDING = STATE_CHANGES
DUE = "activecitizens.state_changes_due"
KEY = "activecitizens.state-email"


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
    link = url_for("activecitizens.application_page", application_id=application.id, _external=True)
    subject, body = state_message(application, ApplicationState(entry.state_after), link)
    send_email(application.group.email, subject, body, key=f"{KEY}:{entry_id}")


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
