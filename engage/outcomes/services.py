"""The rules for commitments and chosen quotes, and what the public and the fund's pages see."""

from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import func

from engage.activecitizens.models import GrantApplication
from engage.activecitizens.models.applications import FUNDED_STATES
from engage.activecitizens.services.publication import published_grants_query
from engage.auth.models import StaffUser
from engage.core.db_types import utcnow
from engage.core.errors import DomainError, NotFound
from engage.core.extensions import db
from engage.outcomes.models import (
    COMMITMENT_DETAIL_MAX,
    COMMITMENT_TITLE_MAX,
    OWNER_MAX,
    PROGRESS_NOTE_MAX,
    QUOTE_MAX,
    ChosenQuote,
    Commitment,
    CommitmentStatus,
    commitment_grants,
)
from engage.surveys.models import Answer, Consultation, ConsultationStatus, Question, QuestionKind


@dataclass
class CommitmentDetails:
    title: str
    owner: str
    detail: str = ""
    status: str = CommitmentStatus.PLANNED.value
    progress_percent: int | None = 0
    progress_note: str = ""


def _checked(details: CommitmentDetails) -> CommitmentDetails:
    """Trimmed details, or a DomainError naming the first field that breaks a rule."""
    title, owner = details.title.strip(), details.owner.strip()
    detail, note = details.detail.strip(), details.progress_note.strip()
    if not title:
        raise DomainError("Enter what the force or PCC will do", field="title")
    if len(title) > COMMITMENT_TITLE_MAX:
        raise DomainError(f"Keep the commitment under {COMMITMENT_TITLE_MAX} characters", "title")
    if not owner:
        raise DomainError("Enter who owns the commitment", field="owner")
    if len(owner) > OWNER_MAX:
        raise DomainError(f"Keep the owner under {OWNER_MAX} characters", field="owner")
    if len(detail) > COMMITMENT_DETAIL_MAX:
        raise DomainError(f"Keep the detail under {COMMITMENT_DETAIL_MAX} characters", "detail")
    if len(note) > PROGRESS_NOTE_MAX:
        raise DomainError(
            f"Keep the progress note under {PROGRESS_NOTE_MAX} characters", "progress_note"
        )
    if details.status not in {status.value for status in CommitmentStatus}:
        raise DomainError("Choose a status", field="status")
    percent = details.progress_percent or 0
    if not 0 <= percent <= 100:
        raise DomainError("Progress must be between 0 and 100%", field="progress_percent")
    if details.status == CommitmentStatus.DONE and percent != 100:
        percent = 100
    return CommitmentDetails(title, owner, detail, details.status, percent, note)


def _apply(commitment: Commitment, details: CommitmentDetails, by: StaffUser | None) -> None:
    commitment.title = details.title
    commitment.owner = details.owner
    commitment.detail = details.detail
    commitment.status = CommitmentStatus(details.status)
    commitment.progress_percent = cast(int, details.progress_percent)  # _checked gave a number
    commitment.progress_note = details.progress_note
    commitment.updated_at = utcnow()
    commitment.updated_by_id = by.id if by else None


def list_commitments(consultation: Consultation) -> list[Commitment]:
    return list(
        db.session.scalars(
            db.select(Commitment)
            .where(Commitment.consultation_id == consultation.id)
            .order_by(Commitment.position, Commitment.id)
        )
    )


def get_commitment(consultation: Consultation, commitment_id: int) -> Commitment:
    commitment = db.session.get(Commitment, commitment_id)
    if commitment is None or commitment.consultation_id != consultation.id:
        raise NotFound("There is no such commitment in this consultation.")
    return commitment


def add_commitment(
    consultation: Consultation, details: CommitmentDetails, by: StaffUser | None
) -> Commitment:
    checked = _checked(details)
    last = db.session.scalar(
        db.select(func.max(Commitment.position)).where(
            Commitment.consultation_id == consultation.id
        )
    )
    commitment = Commitment(consultation_id=consultation.id, position=(last or 0) + 1)
    _apply(commitment, checked, by)
    db.session.add(commitment)
    db.session.flush()
    return commitment


def update_commitment(
    commitment: Commitment, details: CommitmentDetails, by: StaffUser | None
) -> Commitment:
    _apply(commitment, _checked(details), by)
    db.session.flush()
    return commitment


def delete_commitment(commitment: Commitment) -> None:
    db.session.delete(commitment)
    db.session.flush()


def linkable_grants() -> list[GrantApplication]:
    """Grants a commitment can be said to be delivered by: those approved, in any round."""
    return list(
        db.session.scalars(
            db.select(GrantApplication)
            .where(GrantApplication.state.in_(FUNDED_STATES))
            .order_by(GrantApplication.title, GrantApplication.id)
        )
    )


def link_grant(commitment: Commitment, application_id: int | None) -> GrantApplication:
    """Record that the grant serves the commitment; only an approved grant can."""
    application = db.session.get(GrantApplication, application_id) if application_id else None
    if application is None:
        raise DomainError("Choose a grant", field="application_id", status=404)
    if application.state not in FUNDED_STATES:
        raise DomainError(
            "Only an approved grant can be linked to a commitment.", field="application_id"
        )
    if application in commitment.grants:
        raise DomainError(
            f"“{application.title}” is already linked to this commitment.",
            field="application_id",
        )
    commitment.grants.append(application)
    db.session.flush()
    return application


def linked_grant(commitment: Commitment, application_id: int) -> GrantApplication:
    application = next((grant for grant in commitment.grants if grant.id == application_id), None)
    if application is None:
        raise NotFound("That grant is not linked to this commitment.")
    return application


def unlink_grant(commitment: Commitment, application: GrantApplication) -> None:
    commitment.grants.remove(application)
    db.session.flush()


def _free_text_answer(consultation: Consultation, answer_id: int | None) -> Answer:
    answer = db.session.get(Answer, answer_id) if answer_id else None
    question = db.session.get(Question, answer.question_id) if answer is not None else None
    if (
        question is None
        or question.consultation_id != consultation.id
        or question.kind != QuestionKind.FREE_TEXT
        or answer is None
        or answer.text is None
    ):
        raise NotFound("There is no such comment in this consultation.")
    return answer


def answer_to_quote(consultation: Consultation, answer_id: int | None) -> Answer:
    """The comment a member of staff wants to quote, if it is one of this consultation's."""
    return _free_text_answer(consultation, answer_id)


def choose_quote(
    consultation: Consultation,
    answer_id: int | None,
    text: str,
    checked_for_personal_data: bool,
    by: StaffUser | None,
) -> ChosenQuote:
    """Keep a comment, as edited, to quote on the public page once it is checked."""
    answer = _free_text_answer(consultation, answer_id)
    text = " ".join(text.split())
    if not text:
        raise DomainError("Enter the words to quote", field="text")
    if len(text) > QUOTE_MAX:
        raise DomainError(f"Keep the quote under {QUOTE_MAX} characters", field="text")
    if not checked_for_personal_data:
        raise DomainError(
            "Confirm you have taken out names, addresses and anything else that could "
            "identify someone",
            field="checked",
        )
    already = db.session.scalar(db.select(ChosenQuote.id).where(ChosenQuote.answer_id == answer.id))
    if already is not None:
        raise DomainError("This comment is already quoted.", field="text", status=409)
    quote = ChosenQuote(
        consultation_id=consultation.id,
        question_id=answer.question_id,
        answer_id=answer.id,
        text=text,
        checked_by_id=by.id if by else None,
    )
    db.session.add(quote)
    db.session.flush()
    return quote


def list_quotes(consultation: Consultation) -> list[ChosenQuote]:
    return list(
        db.session.scalars(
            db.select(ChosenQuote)
            .where(ChosenQuote.consultation_id == consultation.id)
            .order_by(ChosenQuote.question_id, ChosenQuote.id)
        )
    )


def get_quote(consultation: Consultation, quote_id: int) -> ChosenQuote:
    quote = db.session.get(ChosenQuote, quote_id)
    if quote is None or quote.consultation_id != consultation.id:
        raise NotFound("There is no such quote in this consultation.")
    return quote


def remove_quote(quote: ChosenQuote) -> None:
    db.session.delete(quote)
    db.session.flush()


def _published_grant_ids(grant_ids: list[int]) -> set[int]:
    if not grant_ids:
        return set()
    public = published_grants_query().where(GrantApplication.id.in_(grant_ids))
    return {grant.id for grant in db.session.scalars(public)}


@dataclass
class PublicCommitment:
    commitment: Commitment
    grants: list[GrantApplication] = field(default_factory=list)


@dataclass
class PublicOutcomes:
    commitments: list[PublicCommitment]
    quotes_by_question: dict[int, list[ChosenQuote]]


def public_outcomes(consultation: Consultation) -> PublicOutcomes:
    """What the published page shows: commitments with only their public grants, and quotes.

    A grant linked by staff stays off the public page until its round's awards are published
    and its group has accepted the offer, as on the funded-projects page.
    """
    commitments = list_commitments(consultation)
    visible = _published_grant_ids([g.id for c in commitments for g in c.grants])
    quotes: dict[int, list[ChosenQuote]] = {}
    for quote in list_quotes(consultation):
        quotes.setdefault(quote.question_id, []).append(quote)
    return PublicOutcomes(
        [PublicCommitment(c, [g for g in c.grants if g.id in visible]) for c in commitments],
        quotes,
    )


@dataclass(frozen=True)
class ServedCommitment:
    title: str
    consultation_title: str
    consultation_slug: str


def commitments_for_grants(
    grant_ids: list[int], published_only: bool = True
) -> dict[int, list[ServedCommitment]]:
    """For each grant, the commitments it serves, of published consultations unless told not."""
    if not grant_ids:
        return {}
    query = (
        db.select(commitment_grants.c.application_id, Commitment, Consultation)
        .join(Commitment, Commitment.id == commitment_grants.c.commitment_id)
        .join(Consultation, Consultation.id == Commitment.consultation_id)
        .where(commitment_grants.c.application_id.in_(grant_ids))
        .order_by(Consultation.id, Commitment.position, Commitment.id)
    )
    if published_only:
        query = query.where(Consultation.status == ConsultationStatus.PUBLISHED)
    served: dict[int, list[ServedCommitment]] = {}
    for application_id, commitment, consultation in db.session.execute(query):
        served.setdefault(application_id, []).append(
            ServedCommitment(commitment.title, consultation.title, consultation.slug)
        )
    return served
