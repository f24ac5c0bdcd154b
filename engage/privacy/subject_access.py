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

from engage.activecitizens.models import CommunityGroup, GrantApplication
from engage.activecitizens.services import retention as grant_retention
from engage.activecitizens.services.documents import document_path
from engage.activecitizens.services.groups import find_group_by_email
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.privacy.models import DeletionLog
from engage.surveys.models import ContactRequest
from engage.surveys.services import retention as survey_retention
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
        return [a for a in self.applications if grant_retention.is_on_hold(a)]

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
        subject.contacts = survey_retention.contacts_by_email(query)
        subject.group = find_group_by_email(query)
    elif ENTRY_REFERENCE.match(reference):
        subject.contacts = survey_retention.contacts_by_reference(reference)
    elif match := APPLICATION_REFERENCE.match(reference):
        application = grant_retention.find_application(int(match.group(1)))
        if application is not None:
            subject.group = application.group
            subject.contacts = survey_retention.contacts_by_email(subject.group.email)
    else:
        raise DomainError(
            "Enter an email address like name@example.com, an entry reference like P-ABCD2345 "
            "or an application reference like ACF-00012",
            field="query",
        )
    if subject.group is not None:
        subject.applications = grant_retention.applications_of(subject.group)
    subject.consultation_titles = survey_retention.consultation_titles(
        {c.consultation_id for c in subject.contacts}
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
    survey_retention.erase_contacts(subject.contacts)
    for application in subject.applications:
        grant_retention.anonymise_application(application)
    if subject.group is not None:
        grant_retention.close_group_account(subject.group)
    db.session.flush()
    reference = new_request_reference()
    _log(reference, staff_id, "erased", "Erasure request (UK GDPR Art. 17)", counts)
    return reference, counts
