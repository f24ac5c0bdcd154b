"""Enforcing the retention schedule: delete or anonymise what is past its period, and log it.

Each class has one function that counts (for a dry run) or acts, given the cutoff. The log
says which class, how many, when and under which rule; never what was removed.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, or_, select, update

from engage.activecitizens.models import ApplicationDocument, ApplicationState, GrantApplication
from engage.activecitizens.models.applications import MonitoringReport
from engage.activecitizens.services.documents import document_path
from engage.core.db_types import utcnow
from engage.core.extensions import db
from engage.privacy import schedule
from engage.privacy.models import DeletionLog, PersonalDataAccess
from engage.privacy.schedule import DataClass
from engage.social.services import privacy as social_privacy
from engage.surveys.models import Answer, Consultation, ContactRequest, PrizeDraw, Response

REMOVED = "[removed: retention period ended]"
# An application in any other state is open: a decision, an offer or a grant under way.
ENDED_STATES = (
    ApplicationState.DRAFT,
    ApplicationState.DECLINED,
    ApplicationState.WITHDRAWN,
    ApplicationState.CLOSED,
)


@dataclass
class Outcome:
    data_class: DataClass
    days: int
    count: int
    held: int = 0  # past the period but kept on legal hold

    @property
    def rule(self) -> str:
        return (
            f"Retention schedule: {self.data_class.key} {self.data_class.action} "
            f"{self.days:,} days after {self.data_class.starts}"
        )[:300]


def _count(condition) -> int:
    return db.session.scalar(select(func.count()).where(condition))


def _survey_answers(cutoff: datetime, dry_run: bool) -> tuple[int, int]:
    """Anonymise old responses: comments replaced, postcode district cleared; choices stay."""
    old = Response.submitted_at < cutoff
    comment = (
        Answer.text.is_not(None)
        & (Answer.text != "")
        & (Answer.text != REMOVED)
        & (Answer.response_id.in_(select(Response.id).where(old)))
    )
    has_comment = exists().where(Answer.response_id == Response.id, comment)
    count = _count(old & (Response.postcode_district.is_not(None) | has_comment))
    if not dry_run and count:
        db.session.execute(
            update(Answer).where(comment).values(text=REMOVED),
            execution_options={"synchronize_session": False},
        )
        db.session.execute(
            update(Response)
            .where(old, Response.postcode_district.is_not(None))
            .values(postcode_district=None),
            execution_options={"synchronize_session": False},
        )
    return count, 0


def _contact_details(cutoff: datetime, dry_run: bool) -> tuple[int, int]:
    """Drop the wish for updates of consultations published before the cutoff; a row with no
    purpose left (not also a prize-draw entry) is deleted."""
    published = select(Consultation.id).where(Consultation.published_at < cutoff)
    due = ContactRequest.consultation_id.in_(published) & ContactRequest.wants_updates.is_(True)
    count = _count(due)
    if not dry_run and count:
        _drop_purpose(due, ContactRequest.prize_draw, {"wants_updates": False})
    return count, 0


def _prize_draw_entries(cutoff: datetime, dry_run: bool) -> tuple[int, int]:
    """Drop the prize-draw entries of draws made before the cutoff, as `_contact_details`."""
    drawn = select(PrizeDraw.consultation_id).where(PrizeDraw.drawn_at < cutoff)
    due = ContactRequest.consultation_id.in_(drawn) & ContactRequest.prize_draw.is_(True)
    count = _count(due)
    if not dry_run and count:
        leaving = select(ContactRequest.id).where(due, ContactRequest.wants_updates.is_(False))
        db.session.execute(
            update(PrizeDraw).where(PrizeDraw.winner_id.in_(leaving)).values(winner_id=None),
            execution_options={"synchronize_session": False},
        )
        _drop_purpose(due, ContactRequest.wants_updates, {"prize_draw": False})
    return count, 0


def _drop_purpose(due, other_purpose, values: dict) -> None:
    db.session.execute(
        update(ContactRequest).where(due, other_purpose.is_(True)).values(**values),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        delete(ContactRequest).where(due, other_purpose.is_(False)),
        execution_options={"synchronize_session": False},
    )


def _social_posts(cutoff: datetime, dry_run: bool) -> tuple[int, int]:
    if dry_run:
        return social_privacy.count_posts_before(cutoff), 0
    return social_privacy.purge_posts_before(cutoff), 0


def grant_records_due(cutoff: datetime):
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


def _grant_records(cutoff: datetime, dry_run: bool) -> tuple[int, int]:
    held = _count(
        (GrantApplication.updated_at < cutoff) & GrantApplication.state.not_in(ENDED_STATES)
    )
    due = list(db.session.scalars(select(GrantApplication).where(grant_records_due(cutoff))))
    if not dry_run:
        for application in due:
            anonymise_application(application)
        db.session.flush()
    return len(due), held


def _audit_logs(cutoff: datetime, dry_run: bool) -> tuple[int, int]:
    old = PersonalDataAccess.at < cutoff
    if dry_run:
        return _count(old), 0
    return db.session.execute(delete(PersonalDataAccess).where(old)).rowcount, 0


ENFORCERS: dict[str, Callable[[datetime, bool], tuple[int, int]]] = {
    schedule.SURVEY_ANSWERS.key: _survey_answers,
    schedule.CONTACT_DETAILS.key: _contact_details,
    schedule.PRIZE_DRAW.key: _prize_draw_entries,
    schedule.SOCIAL_POSTS.key: _social_posts,
    schedule.GRANT_RECORDS.key: _grant_records,
    schedule.AUDIT_LOGS.key: _audit_logs,
}


def enforce_retention(now: datetime | None = None, dry_run: bool = False) -> Iterator[Outcome]:
    """Apply each class's period in turn, yielding what was (or, dry, would be) done.

    The caller commits after each class, so a long run keeps what it has done."""
    now = now or utcnow()
    periods = schedule.retention_days()
    for data_class in schedule.CLASSES:
        days = periods[data_class.key]
        count, held = ENFORCERS[data_class.key](now - timedelta(days=days), dry_run)
        outcome = Outcome(data_class, days, count, held)
        if not dry_run and count:
            db.session.add(
                DeletionLog(
                    data_class=data_class.key,
                    action=data_class.action,
                    count=count,
                    rule=outcome.rule,
                )
            )
            db.session.flush()
        yield outcome


def recent_deletions(limit: int = 50) -> list[DeletionLog]:
    return list(
        db.session.scalars(select(DeletionLog).order_by(DeletionLog.at.desc()).limit(limit))
    )
