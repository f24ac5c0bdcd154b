"""What the retention schedule and subject requests (engage.privacy) need done to the fund's
personal data: ended applications stripped of narrative and documents, group accounts closed.

An application in any state but those in ENDED_STATES is open (a decision, an offer or a grant
under way): it is on legal hold and never touched.
"""

import secrets
from datetime import datetime

from sqlalchemy import exists, func, or_, select
from werkzeug.security import generate_password_hash

from engage.activecitizens.models import (
    ApplicationDocument,
    ApplicationState,
    CommunityGroup,
    GrantApplication,
    MonitoringReport,
)
from engage.activecitizens.models.applications import FUNDED_STATES
from engage.activecitizens.services.documents import document_path
from engage.core.extensions import db

REMOVED = "[removed: retention period ended]"
ENDED_STATES = (
    ApplicationState.DRAFT,
    ApplicationState.DECLINED,
    ApplicationState.WITHDRAWN,
    ApplicationState.CLOSED,
)


def is_on_hold(application: GrantApplication) -> bool:
    return application.state not in ENDED_STATES


def _due(cutoff: datetime):
    """Ended applications untouched since the cutoff that still hold narrative or documents."""
    has_documents = exists().where(ApplicationDocument.application_id == GrantApplication.id)
    has_report = exists().where(
        MonitoringReport.application_id == GrantApplication.id,
        MonitoringReport.what_was_done != REMOVED,
    )
    return (
        (GrantApplication.updated_at < cutoff)
        & GrantApplication.state.in_(ENDED_STATES)
        & or_(
            GrantApplication.activities != "",
            GrantApplication.beneficiaries != "",
            GrantApplication.outcomes != "",
            GrantApplication.staff_message != "",
            has_documents,
            has_report,
        )
    )


def anonymise_ended_before(cutoff: datetime, dry_run: bool = False) -> tuple[int, int]:
    """Anonymise ended applications last changed before the cutoff; return how many, and how
    many open ones as old were kept on legal hold."""
    held = db.session.execute(
        select(func.count()).where(
            GrantApplication.updated_at < cutoff, GrantApplication.state.not_in(ENDED_STATES)
        )
    ).scalar_one()
    due = list(db.session.scalars(select(GrantApplication).where(_due(cutoff))))
    if not dry_run:
        for application in due:
            anonymise_application(application)
        db.session.flush()
    return len(due), held


def anonymise_application(application: GrantApplication) -> int:
    """Delete its documents (files too) and remove its narrative; return how many documents.

    The title, amounts, dates and decision stay: they are the public record of the grant."""
    documents = list(application.documents)
    for document in documents:
        document_path(document).unlink(missing_ok=True)
    application.documents.clear()
    application.activities = application.beneficiaries = application.outcomes = ""
    application.staff_message = ""
    if application.monitoring_report is not None:
        application.monitoring_report.what_was_done = REMOVED
    return len(documents)


def find_application(application_id: int) -> GrantApplication | None:
    return db.session.get(GrantApplication, application_id)


def applications_of(group: CommunityGroup) -> list[GrantApplication]:
    return list(
        db.session.scalars(
            select(GrantApplication)
            .where(GrantApplication.group_id == group.id)
            .order_by(GrantApplication.id)
        )
    )


def close_group_account(group: CommunityGroup) -> None:
    """Remove the contact's details and close the account. A funded group's name stays: it is
    the published record of where public money went (an organisation's, not a person's)."""
    funded = any(a.state in FUNDED_STATES for a in applications_of(group))
    group.email = f"erased-{group.id}@erased.invalid"
    group.contact_name = ""
    group.phone = ""
    group.address = ""
    group.postcode = ""
    group.password_hash = generate_password_hash(secrets.token_urlsafe(32))
    group.active = False
    if not funded:
        group.name = f"Erased group {group.id}"
    db.session.flush()
