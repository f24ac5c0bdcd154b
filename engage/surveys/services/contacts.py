"""Requests to be kept updated or entered into the prize draw, kept apart from answers."""

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.core.rows import rows_affected
from engage.surveys.models import Consultation, ConsultationStatus, ContactRequest
from engage.surveys.services import updates
from engage.surveys.services.consultations import ConsultationFacts, today_utc
from engage.surveys.services.references import new_reference
from engage.surveys.services.responses import AnswerErrors

NAME_MAX = 120
ID_ATTEMPTS = 3


@dataclass
class ContactChoice:
    wants_updates: bool = False
    prize_draw: bool = False
    name: str = ""
    email: str = ""

    @property
    def wanted(self) -> bool:
        return self.wants_updates or self.prize_draw


def clean_contact(choice: ContactChoice) -> ContactChoice:
    """Check the contact details given with an opt-in; raises AnswerErrors naming the field."""
    if not choice.wanted:
        return ContactChoice()
    errors = {}
    name = choice.name.strip()
    if len(name) > NAME_MAX:
        errors["contact_name"] = _("Name must be %(limit)s characters or fewer", limit=NAME_MAX)
    email = choice.email.strip()
    if not email:
        errors["contact_email"] = _("Enter your email address so we can contact you")
    else:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            errors["contact_email"] = _(
                "Enter an email address in the correct format, like name@example.com"
            )
    if errors:
        raise AnswerErrors(errors)
    return ContactChoice(choice.wants_updates, choice.prize_draw, name, email)


def record_contact_request(
    consultation: ConsultationFacts, choice: ContactChoice, is_demo: bool = False
) -> ContactRequest | None:
    """Store (or merge into an earlier) request for updates or a prize-draw entry.

    One entry per email address per consultation, so answering twice is not two chances.
    """
    if not choice.wanted:
        return None
    if not choice.email:
        raise DomainError("An email address is needed to keep you updated", field="contact_email")
    existing = db.session.scalar(
        select(ContactRequest).where(
            ContactRequest.consultation_id == consultation.id,
            ContactRequest.email == choice.email.lower(),
        )
    )
    if existing is not None:
        if choice.wants_updates and existing.unsubscribed_on is not None:
            # Asking again after unsubscribing: a fresh opt-in, confirmed afresh by email.
            existing.unsubscribed_on = existing.confirmed_on = None
        existing.wants_updates = existing.wants_updates or choice.wants_updates
        existing.prize_draw = existing.prize_draw or choice.prize_draw
        existing.name = choice.name or existing.name
        return existing
    for attempt in range(ID_ATTEMPTS):
        request = ContactRequest(
            consultation_id=consultation.id,
            entry_reference=new_reference("P"),
            name=choice.name,
            email=choice.email.lower(),
            wants_updates=choice.wants_updates,
            prize_draw=choice.prize_draw,
            created_on=today_utc(),
            is_demo=is_demo,
        )
        try:
            with db.session.begin_nested():
                db.session.add(request)
                db.session.flush()
        except IntegrityError:
            # A random id (or reference) that is already taken: rare, so draw again.
            if attempt == ID_ATTEMPTS - 1:
                raise
            continue
        return request
    raise AssertionError("unreachable")


def purge_contact_details(consultation: Consultation) -> int:
    """Delete the names and emails kept for a consultation once they have served their purpose.

    As the privacy notice promises: after the results are published and any prize draw is made.
    The draw's record (when, by whom, entrants, winner's reference) is kept.
    """
    from engage.surveys.services.draws import count_entrants, find_draw

    if consultation.status != ConsultationStatus.PUBLISHED:
        raise DomainError(
            "Contact details are kept until the consultation's results are published."
        )
    if updates.results_notice_pending(consultation):
        raise DomainError(
            "The results are still being emailed to the people who asked for updates. "
            "Delete contact details once that has finished."
        )
    draw = find_draw(consultation)
    if draw is None and count_entrants(consultation) > 0:
        raise DomainError("Make the prize draw before deleting the entrants' contact details.")
    deleted = rows_affected(
        delete(ContactRequest).where(ContactRequest.consultation_id == consultation.id)
    )
    if draw is not None:
        draw.winner_id = None
        draw.contacts_purged_at = utcnow()
    db.session.flush()
    return deleted
