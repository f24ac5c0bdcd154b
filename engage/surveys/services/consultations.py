"""Which consultations the public can see and answer."""

from dataclasses import dataclass
from datetime import date
from functools import cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy.orm import selectinload

from engage.core.db_types import utcnow
from engage.core.errors import DomainError, NotFound
from engage.core.extensions import db
from engage.core.languages import long_date
from engage.surveys.models import Consultation, ConsultationStatus, Question

# A draft is answered as if it did not exist, so its address gives nothing away.
NO_SUCH_CONSULTATION = lazy_gettext(
    "There is no consultation at this address. Check the link you followed."
)


def today_utc() -> date:
    return utcnow().date()


@dataclass(frozen=True)
class SubmissionTarget:
    """What taking a response needs to know of its consultation, read as one plain row: the
    busiest path skips building the ORM object and its dozen columns."""

    id: int
    status: ConsultationStatus
    opens_on: date
    closes_on: date
    questions_revision: int


# What the services that store a response accept: either serves.
ConsultationFacts = Consultation | SubmissionTarget


@cache
def _submission_target_query():
    # Built once: SQLAlchemy re-maps a cached compiled query's result columns whenever it is
    # run from a newly built statement object, which here cost more than the query itself.
    return db.select(
        Consultation.id,
        Consultation.status,
        Consultation.opens_on,
        Consultation.closes_on,
        Consultation.questions_revision,
    ).where(Consultation.slug == db.bindparam("slug"))


def get_submission_target(slug: str) -> SubmissionTarget:
    """The consultation a response is being sent to, if the public may see it; else NotFound."""
    # On the session's connection rather than through the ORM, whose statement handling cost
    # more than the query itself: these are plain columns, no objects to build.
    row = db.session.connection().execute(_submission_target_query(), {"slug": slug}).first()
    if row is None or row.status == ConsultationStatus.DRAFT:
        raise NotFound(NO_SUCH_CONSULTATION)
    return SubmissionTarget(*row)


# Per process: the facts of consultations last seen taking online responses, by slug. The
# insert of each response re-checks them in the same statement (see
# responses.submit_response), so a copy gone stale costs one retry, never a wrong response.
_accepting: dict[str, SubmissionTarget] = {}
_ACCEPTING_LIMIT = 64  # consultations; far more than are ever open at once


def remembered_submission_target(slug: str) -> SubmissionTarget:
    """As get_submission_target, but from this process's memory while the consultation is
    open: sending a response then reads nothing before its insert."""
    target = _accepting.get(slug)
    if target is not None and accepts_online_responses(target):
        return target
    target = get_submission_target(slug)
    if accepts_online_responses(target):
        _accepting.pop(slug, None)  # re-inserted last: the longest unrefreshed goes first
        if len(_accepting) >= _ACCEPTING_LIMIT:
            del _accepting[next(iter(_accepting))]
        _accepting[slug] = target
    else:
        _accepting.pop(slug, None)
    return target


def forget_submission_target(slug: str) -> None:
    _accepting.pop(slug, None)


def accepts_online_responses(consultation: ConsultationFacts, today: date | None = None) -> bool:
    today = today or today_utc()
    return (
        consultation.status == ConsultationStatus.OPEN
        and consultation.opens_on <= today <= consultation.closes_on
    )


def ensure_accepting_online(consultation: ConsultationFacts, today: date | None = None) -> None:
    """Refuse answers to a consultation that is not open today, saying why."""
    today = today or today_utc()
    if consultation.status == ConsultationStatus.DRAFT:
        raise DomainError(_("This consultation is not open yet."), status=404)
    if consultation.status != ConsultationStatus.OPEN or today > consultation.closes_on:
        raise DomainError(
            _(
                "This consultation closed on %(date)s. "
                "Thank you for your interest: it is no longer taking responses.",
                date=long_date(consultation.closes_on),
            ),
            status=409,
        )
    if today < consultation.opens_on:
        raise DomainError(
            _("This consultation opens on %(date)s.", date=long_date(consultation.opens_on)),
            status=409,
        )


def list_open_consultations(today: date | None = None) -> list[Consultation]:
    today = today or today_utc()
    return list(
        db.session.scalars(
            db.select(Consultation)
            .where(
                Consultation.status == ConsultationStatus.OPEN,
                Consultation.opens_on <= today,
                Consultation.closes_on >= today,
            )
            .order_by(Consultation.closes_on, Consultation.id)
        )
    )


def list_published_consultations() -> list[Consultation]:
    return list(
        db.session.scalars(
            db.select(Consultation)
            .where(Consultation.status == ConsultationStatus.PUBLISHED)
            .order_by(Consultation.published_at.desc(), Consultation.id.desc())
        )
    )


def get_public_consultation(slug: str, with_questions: bool = True) -> Consultation:
    """Return a consultation the public may see (anything but a draft), else raise NotFound.

    `with_questions` loads questions and options in two queries, not one per question.
    """
    query = db.select(Consultation).filter_by(slug=slug)
    if with_questions:
        query = query.options(selectinload(Consultation.questions).selectinload(Question.options))
    consultation = db.session.scalar(query)
    if consultation is None or consultation.status == ConsultationStatus.DRAFT:
        raise NotFound(NO_SUCH_CONSULTATION)
    return consultation
