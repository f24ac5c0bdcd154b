"""Email updates about a consultation: double opt-in, one-click unsubscribe, who is told.

Someone who ticks "keep me updated" is sent a signed, expiring link; only once they follow it do
they count as wanting updates. Every message carries a signed unsubscribe link that never
expires. Tokens name the contact request alone, never a response: the answers stay anonymous.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from itsdangerous import BadSignature, SignatureExpired
from sqlalchemy import Select, func, select

from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.core.settings import settings
from engage.core.signing import lasting_serializer, timed_serializer
from engage.jobs.models import JobStatus
from engage.jobs.queue import find_job
from engage.surveys.models import Consultation, ConsultationStatus, ContactRequest
from engage.surveys.services.consultations import today_utc
from engage.web.csv_writing import csv_lines

CONFIRM_SALT = "updates-confirm"
UNSUBSCRIBE_SALT = "updates-unsubscribe"
CONFIRM_BROKEN = (
    "This confirmation link is not valid. Check you copied the whole link from the email."
)
CONFIRM_EXPIRED = (
    "This confirmation link has expired, so we will not email you about this consultation. "
    "To get updates, tick ‘Keep me updated’ next time you take part."
)
UNSUBSCRIBE_BROKEN = (
    "This unsubscribe link is not valid. Check you copied the whole link from the email."
)
GONE = (
    "We no longer hold your email address for this consultation, so we will not email you about it."
)
NOT_PUBLISHED = (
    "The results are not published yet. The list of people to tell can be exported once they are."
)


NOTICE_KIND = "surveys.results-notice"


def results_notice_key(consultation_id: int) -> str:
    """The key of the job emailing a consultation's subscribers that its results are out."""
    return f"{NOTICE_KIND}:{consultation_id}"


def results_notice_pending(consultation: Consultation) -> bool:
    """Whether that job is still to finish: the addresses it reads must be kept until then."""
    job = find_job(results_notice_key(consultation.id))
    return job is not None and job.status in (JobStatus.QUEUED, JobStatus.RUNNING)


@dataclass(frozen=True)
class Outcome:
    """What a confirm or unsubscribe link did: `changed` is False when it was done before."""

    contact: ContactRequest
    changed: bool


def confirm_token(contact_id: int) -> str:
    return timed_serializer(CONFIRM_SALT).dumps(contact_id)


def unsubscribe_token(contact_id: int) -> str:
    return lasting_serializer(UNSUBSCRIBE_SALT).dumps(contact_id)


def needs_confirming(contact: ContactRequest) -> bool:
    """Whether a confirmation email should go to this contact: updates asked, not confirmed."""
    return contact.wants_updates and contact.confirmed_on is None


def _contact(contact_id: object, broken: str) -> ContactRequest:
    if not isinstance(contact_id, int) or isinstance(contact_id, bool):
        raise DomainError(broken, status=404)
    contact = db.session.get(ContactRequest, contact_id)
    if contact is None:
        raise DomainError(GONE, status=404)
    return contact


def contact_to_confirm(token: str) -> ContactRequest:
    """The contact a confirmation link is for; forged and expired links are refused."""
    max_age = settings.UPDATES_CONFIRM_MAX_AGE_SECONDS
    try:
        contact_id = timed_serializer(CONFIRM_SALT).loads(token, max_age=max_age)
    except SignatureExpired:
        raise DomainError(CONFIRM_EXPIRED, status=410) from None
    except BadSignature:
        raise DomainError(CONFIRM_BROKEN, status=404) from None
    return _contact(contact_id, CONFIRM_BROKEN)


def confirm_updates(token: str, today: date | None = None) -> Outcome:
    """Record that the owner of the address wants updates; a second use changes nothing."""
    contact = contact_to_confirm(token)
    if contact.confirmed_on is not None or not contact.wants_updates:
        return Outcome(contact, changed=False)
    contact.confirmed_on = today or today_utc()
    db.session.flush()
    return Outcome(contact, changed=True)


def contact_to_unsubscribe(token: str) -> ContactRequest:
    try:
        contact_id = lasting_serializer(UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        raise DomainError(UNSUBSCRIBE_BROKEN, status=404) from None
    return _contact(contact_id, UNSUBSCRIBE_BROKEN)


def unsubscribe(token: str, today: date | None = None) -> Outcome:
    """Stop every email about this consultation to this address; doing it twice is fine."""
    contact = contact_to_unsubscribe(token)
    if contact.unsubscribed_on is not None:
        return Outcome(contact, changed=False)
    contact.unsubscribed_on = today or today_utc()
    db.session.flush()
    return Outcome(contact, changed=True)


def subscribers(consultation_id: int) -> Select:
    """The people to tell about this consultation: asked, confirmed and not unsubscribed."""
    return select(ContactRequest).where(
        ContactRequest.consultation_id == consultation_id,
        ContactRequest.wants_updates.is_(True),
        ContactRequest.confirmed_on.is_not(None),
        ContactRequest.unsubscribed_on.is_(None),
    )


def count_subscribers(consultation: Consultation) -> int:
    query = subscribers(consultation.id).with_only_columns(func.count(ContactRequest.id))
    return db.session.scalar(query) or 0


def subscribers_csv(consultation: Consultation) -> Iterator[str]:
    """Who asked for updates and confirmed: personal data, staff only, once results are out."""
    if consultation.status != ConsultationStatus.PUBLISHED:
        raise DomainError(NOT_PUBLISHED, status=409)
    query = subscribers(consultation.id).order_by(ContactRequest.id)

    def rows():
        yield ["name", "email", "confirmed_on"]
        for contact in db.session.scalars(query):
            yield [contact.name, contact.email, contact.confirmed_on.isoformat()]

    return csv_lines(rows())


def confirmation_message(title: str, confirm_url: str, unsubscribe_url: str) -> tuple[str, str]:
    """The subject and body asking someone to confirm they want updates."""
    days = settings.UPDATES_CONFIRM_MAX_AGE_SECONDS // 86400
    body = (
        f"You asked to be kept updated about the consultation ‘{title}’.\n\n"
        f"To confirm, open this link within {days} days and press the button:\n{confirm_url}\n\n"
        "If you did not ask, ignore this email: we will not email you about it again.\n\n"
        f"To stop all email about this consultation:\n{unsubscribe_url}\n"
    )
    return f"Confirm you want updates: {title}", body


def results_message(title: str, results_url: str, unsubscribe_url: str) -> tuple[str, str]:
    """The subject and body telling a subscriber the results are published."""
    body = (
        f"You asked us to tell you when the results of ‘{title}’ were published.\n\n"
        "See what people told us and what we did about it:\n"
        f"{results_url}\n\n"
        "This is the only email we send you about this consultation.\n\n"
        f"To stop email about this consultation:\n{unsubscribe_url}\n"
    )
    return f"Results published: {title}", body
