"""The public's online submission: check everything at once, then store answers and contacts apart.

A submission is checked twice: when the "Check your answers" page is shown, and again when it is
sent, because the values travel back through hidden fields the browser could change.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext

from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys.models import Question
from engage.surveys.services import consultations, updates
from engage.surveys.services.consultations import ConsultationFacts, SubmissionTarget
from engage.surveys.services.contacts import ContactChoice, clean_contact, record_contact_request
from engage.surveys.services.question_rules import QuestionRules, question_rules
from engage.surveys.services.responses import (
    AboutYou,
    AnswerErrors,
    CleanAnswer,
    DuplicateSubmission,
    asked_question_ids,
    clean_about_you,
    clean_answers,
    submit_response,
)

CONSENT_MISSING = lazy_gettext("Tick the box to say you agree to how we use your answers")
NOTHING_ANSWERED = lazy_gettext("Answer at least one question before you continue")


@dataclass
class SubmissionInput:
    """What the public's form sent, as plain values."""

    answers: Mapping[str, Sequence[str]] = field(default_factory=dict)
    about: AboutYou = field(default_factory=AboutYou)
    contact: ContactChoice = field(default_factory=ContactChoice)
    consent: bool = False


@dataclass
class CheckedSubmission:
    answers: list[CleanAnswer]
    about: AboutYou
    contact: ContactChoice
    # The questions this person was asked (all, unless display rules hid some).
    asked: set[int] = field(default_factory=set)


@dataclass
class Receipt:
    """What the confirmation page tells the person who answered."""

    reference: str
    prize_draw_reference: str | None = None
    wants_updates: bool = False
    # The contact request to email a confirmation link to. Never kept in the session beside
    # `reference`: that would link the contact to the response.
    contact_to_confirm: int | None = None


def check_submission(
    consultation: ConsultationFacts,
    given: SubmissionInput,
    today: date | None = None,
    questions: Sequence[Question | QuestionRules] | None = None,
) -> CheckedSubmission:
    """Check answers, "about you", contact details and consent; raise AnswerErrors with them all.

    A consultation that is not open raises DomainError before anything else is looked at.
    Unknown question names raise a 400 DomainError (the form was not ours). `questions`
    defaults to the consultation's own.
    """
    consultations.ensure_accepting_online(consultation, today)
    # Only a Consultation is checked against its own questions: send_submission passes a
    # SubmissionTarget's question rules.
    questions = consultation.ordered_questions if questions is None else questions  # type: ignore[union-attr]
    errors: dict[str, str] = {}
    answers: list[CleanAnswer] = []
    about, contact = AboutYou(), ContactChoice()
    try:
        answers = clean_answers(questions, given.answers)
    except AnswerErrors as problem:
        errors.update(problem.errors)
    if not errors and not answers and questions:
        errors[questions[0].field_name] = NOTHING_ANSWERED
    try:
        about = clean_about_you(given.about)
    except AnswerErrors as problem:
        errors.update(problem.errors)
    try:
        contact = clean_contact(given.contact)
    except AnswerErrors as problem:
        errors.update(problem.errors)
    if not given.consent:
        errors["consent"] = CONSENT_MISSING
    if errors:
        raise AnswerErrors(errors)
    return CheckedSubmission(answers, about, contact, asked_question_ids(questions, answers))


def send_submission(
    consultation: ConsultationFacts,
    given: SubmissionInput,
    form_token: str,
    today: date | None = None,
) -> Receipt:
    """Check and store an online response, and any contact request, with no link between them.

    A reused `form_token` raises DuplicateSubmission before anything is stored.
    """
    checked = check_submission(
        consultation,
        given,
        today,
        questions=question_rules(consultation.id, consultation.questions_revision),
    )
    response = submit_response(
        consultation, checked.answers, checked.about, form_token=form_token, today=today
    )
    contact = record_contact_request(consultation, checked.contact)
    return Receipt(
        reference=response.reference,
        prize_draw_reference=contact.entry_reference if contact and contact.prize_draw else None,
        wants_updates=checked.contact.wants_updates,
        contact_to_confirm=contact.id if contact and updates.needs_confirming(contact) else None,
    )


def send_online_submission(
    slug: str, target: SubmissionTarget, given: SubmissionInput, form_token: str
) -> Receipt:
    """send_submission to the consultation `slug`, whose `target` may be this process's memory
    of it (consultations.remembered_submission_target).

    A refusal is only final once judged against the consultation as it is now: if it closed or
    its questions changed since `target` was read, the answers are checked again against it.
    """
    try:
        return send_submission(target, given, form_token)
    except DuplicateSubmission:
        raise
    except DomainError:
        current = consultations.get_submission_target(slug)
        if current == target:
            raise
    db.session.rollback()  # nothing was stored, but the retry must not build on a failed try
    consultations.forget_submission_target(slug)
    return send_submission(current, given, form_token)
