"""Subject requests: find what is held about a person, export it, or erase it.

Found by email address or by a reference the person was given: a prize-draw or updates entry
(P-…) or a grant application (ACF-…). Answers to consultations are anonymous and cannot be found.
The log records the request's reference, what was done and how many records; never the data.
"""

import io
import json
import re
import secrets
import zipfile
from dataclasses import dataclass, field

from sqlalchemy import select, update
from werkzeug.security import generate_password_hash

from engage.activecitizens.models import CommunityGroup, GrantApplication
from engage.activecitizens.models.applications import FUNDED_STATES
from engage.activecitizens.services.documents import document_path
from engage.auth.services import normalise_email
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.privacy.models import DeletionLog
from engage.privacy.retention import ENDED_STATES, anonymise_application
from engage.surveys.models import Consultation, ContactRequest, PrizeDraw
from engage.surveys.services.references import ALPHABET

QUERY_MAX = 254
ENTRY_REFERENCE = re.compile(rf"^P-[{ALPHABET}]{{8}}$")
APPLICATION_REFERENCE = re.compile(r"^ACF-(\d{1,9})$")
LOOKS_LIKE_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Subject:
    contacts: list[ContactRequest] = field(default_factory=list)
    group: CommunityGroup | None = None
    applications: list[GrantApplication] = field(default_factory=list)
    consultation_titles: dict[int, str] = field(default_factory=dict)

    @property
    def held(self) -> list[GrantApplication]:
        """Applications on legal hold: a decision, an offer or a grant under way."""
        return [a for a in self.applications if a.state not in ENDED_STATES]

    @property
    def document_count(self) -> int:
        return sum(len(a.documents) for a in self.applications)


def find_subject(query: str) -> Subject:
    """Everything held under this email address or reference; refused if nothing is."""
    query = (query or "").strip()
    if not query:
        raise DomainError("Enter an email address or a reference", field="query")
    if len(query) > QUERY_MAX:
        raise DomainError(f"Enter {QUERY_MAX} characters or fewer", field="query")
    subject = Subject()
    reference = query.upper()
    if LOOKS_LIKE_EMAIL.match(query):
        email = normalise_email(query)
        subject.contacts = _contacts(ContactRequest.email == email)
        subject.group = db.session.scalar(
            select(CommunityGroup).where(CommunityGroup.email == email)
        )
    elif ENTRY_REFERENCE.match(reference):
        subject.contacts = _contacts(ContactRequest.entry_reference == reference)
    elif match := APPLICATION_REFERENCE.match(reference):
        application = db.session.get(GrantApplication, int(match.group(1)))
        if application is not None:
            subject.group = application.group
            subject.contacts = _contacts(ContactRequest.email == subject.group.email)
    else:
        raise DomainError(
            "Enter an email address like name@example.com, an entry reference like P-ABCD2345 "
            "or an application reference like ACF-00012",
            field="query",
        )
    if subject.group is not None:
        subject.applications = list(
            db.session.scalars(
                select(GrantApplication)
                .where(GrantApplication.group_id == subject.group.id)
                .order_by(GrantApplication.id)
            )
        )
    consultation_ids = {c.consultation_id for c in subject.contacts}
    subject.consultation_titles = dict(
        db.session.execute(
            select(Consultation.id, Consultation.title).where(Consultation.id.in_(consultation_ids))
        )
        .tuples()
        .all()
    )
    if not (subject.contacts or subject.group):
        raise DomainError(
            "Nothing is held under that email address or reference: no contact details, group "
            "account or grant application. Check it for typing errors. Answers to consultations "
            "are anonymous, so they cannot be found.",
            field="query",
            status=404,
        )
    return subject


def _contacts(condition) -> list[ContactRequest]:
    return list(db.session.scalars(select(ContactRequest).where(condition).order_by("id")))


def new_request_reference() -> str:
    return "SAR-" + "".join(secrets.choice(ALPHABET) for _ in range(8))


def _log(reference: str, staff_id: int | None, action: str, rule: str, counts: dict) -> None:
    for data_class, count in counts.items():
        if count:
            db.session.add(
                DeletionLog(
                    data_class=data_class,
                    action=action,
                    count=count,
                    rule=rule,
                    request_reference=reference,
                    staff_id=staff_id,
                )
            )
    db.session.flush()


def _counts(subject: Subject) -> dict[str, int]:
    return {
        "contact_requests": len(subject.contacts),
        "group_account": int(subject.group is not None),
        "grant_applications": len(subject.applications),
        "grant_documents": subject.document_count,
    }


def subject_data(subject: Subject, reference: str) -> dict:
    """What is held, as plain data for the person to read."""
    group = subject.group
    return {
        "request_reference": reference,
        "made_at": utcnow().isoformat(),
        "contact_requests": [
            {
                "entry_reference": c.entry_reference,
                "consultation": subject.consultation_titles[c.consultation_id],
                "name": c.name,
                "email": c.email,
                "wants_updates": c.wants_updates,
                "prize_draw": c.prize_draw,
                "given_on": c.created_on.isoformat(),
            }
            for c in subject.contacts
        ],
        "group_account": None
        if group is None
        else {
            "name": group.name,
            "email": group.email,
            "contact_name": group.contact_name,
            "phone": group.phone,
            "address": group.address,
            "postcode": group.postcode,
            "charity_number": group.charity_number,
            "company_number": group.company_number,
            "registered_at": group.created_at.isoformat(),
            "last_signed_in_at": group.last_login_at.isoformat() if group.last_login_at else None,
        },
        "grant_applications": [
            {
                "reference": a.reference,
                "state": a.state.value,
                "title": a.title,
                "summary": a.summary,
                "activities": a.activities,
                "beneficiaries": a.beneficiaries,
                "outcomes": a.outcomes,
                "amount_requested_pence": a.amount_requested_pence,
                "amount_awarded_pence": a.amount_awarded_pence,
                "documents": [
                    {
                        "file": f"documents/{d.id}-{d.original_name}",
                        "uploaded_at": d.uploaded_at.isoformat(),
                    }
                    for d in a.documents
                ],
            }
            for a in subject.applications
        ],
    }


def export_subject(subject: Subject, staff_id: int | None) -> tuple[str, bytes]:
    """A ZIP of what is held (data.json and the documents sent); logged, without the data."""
    reference = new_request_reference()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(subject_data(subject, reference), indent=2))
        for application in subject.applications:
            for document in application.documents:
                path = document_path(document)
                if path.exists():
                    archive.write(path, f"documents/{document.id}-{document.original_name}")
    _log(
        reference,
        staff_id,
        "exported",
        "Subject access request (UK GDPR Art. 15)",
        _counts(subject),
    )
    return reference, buffer.getvalue()


def erase_subject(subject: Subject, staff_id: int | None) -> tuple[str, dict[str, int]]:
    """Erase contact details, anonymise the group account and its ended applications.

    Refused whole, with the reason, if any application is on legal hold."""
    if subject.held:
        listed = ", ".join(
            f"{a.reference} ({a.state.value.replace('_', ' ')})" for a in subject.held
        )
        raise DomainError(
            f"Not erased: {listed} is still open. A group's records are on legal hold while "
            "its application or grant is open, for audit of public money. Nothing was changed.",
            status=409,
        )
    counts = _counts(subject)
    ids = [c.id for c in subject.contacts]
    if ids:
        db.session.execute(
            update(PrizeDraw).where(PrizeDraw.winner_id.in_(ids)).values(winner_id=None),
            execution_options={"synchronize_session": False},
        )
        for contact in subject.contacts:
            db.session.delete(contact)
    for application in subject.applications:
        anonymise_application(application)
    if subject.group is not None:
        _anonymise_group(
            subject.group, funded=any(a.state in FUNDED_STATES for a in subject.applications)
        )
    db.session.flush()
    reference = new_request_reference()
    _log(reference, staff_id, "erased", "Erasure request (UK GDPR Art. 17)", counts)
    return reference, counts


def _anonymise_group(group: CommunityGroup, funded: bool) -> None:
    """Remove the contact's details and close the account. A funded group's name stays: it is
    the published record of where public money went (an organisation's, not a person's)."""
    group.email = f"erased-{group.id}@erased.invalid"
    group.contact_name = ""
    group.phone = ""
    group.address = ""
    group.postcode = ""
    group.password_hash = generate_password_hash(secrets.token_urlsafe(32))
    group.active = False
    if not funded:
        group.name = f"Erased group {group.id}"
