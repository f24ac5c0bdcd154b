"""Building consultations: their details, status, and ordered questions with options.

Once a consultation has responses, its questions can still be reworded, but nothing that stored
answers point at (a question's kind, its options, a question that has answers) can change, so
existing answers keep their meaning and the tallies stay true.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, func, select

from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys.models import (
    FIXED_OPTIONS,
    FREE_TEXT_DEFAULT_MAX,
    FREE_TEXT_HARD_MAX,
    OPTION_MAX,
    Answer,
    Consultation,
    ConsultationStatus,
    Option,
    Question,
    QuestionKind,
    QuestionTally,
    ResponseTally,
)
from engage.surveys.services import rule_checks, tallies
from engage.surveys.services.consultations import today_utc

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80
MAX_OPTIONS = 30
MIN_CHOICE_OPTIONS = 2

# Which status each status may move to, and the button text that does it.
TRANSITIONS: dict[ConsultationStatus, dict[ConsultationStatus, str]] = {
    ConsultationStatus.DRAFT: {ConsultationStatus.OPEN: "Open to responses"},
    ConsultationStatus.OPEN: {ConsultationStatus.CLOSED: "Close to responses"},
    ConsultationStatus.CLOSED: {
        ConsultationStatus.OPEN: "Reopen to responses",
        ConsultationStatus.PUBLISHED: "Publish results",
    },
    ConsultationStatus.PUBLISHED: {ConsultationStatus.CLOSED: "Withdraw published results"},
}


@dataclass
class ConsultationDetails:
    title: str
    slug: str
    summary: str
    opens_on: date
    closes_on: date
    outcome: str = ""


@dataclass
class QuestionDetails:
    kind: QuestionKind
    prompt: str
    help_text: str = ""
    required: bool = False
    max_length: int | None = None
    options: list[str] = field(default_factory=list)
    # The option, among `options`, chosen on its own ("None of these"); multiple choice only.
    exclusive_option: str = ""


def slug_from_title(title: str) -> str:
    """A lower-case, hyphenated address part made from a title."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words)[:SLUG_MAX].strip("-")


def list_consultations(page: int, per_page: int = 20):
    """A page of consultations, newest first, with their response counts from the tallies."""
    pagination = db.paginate(
        select(Consultation).order_by(Consultation.id.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
    )
    ids = [consultation.id for consultation in pagination.items]
    source = tallies.live(ResponseTally)
    counts = dict(
        db.session.execute(
            select(source.c.consultation_id, func.sum(source.c.count))
            .where(source.c.consultation_id.in_(ids))
            .group_by(source.c.consultation_id)
        )
        .tuples()
        .all()
    )
    return pagination, {cid: int(counts.get(cid, 0)) for cid in ids}


def answered_question_ids(consultation: Consultation) -> set[int]:
    """Ids of the consultation's questions that have answers, read from the tallies."""
    source = tallies.live(QuestionTally, consultation.id)
    return set(
        db.session.scalars(
            select(source.c.question_id)
            .join(Question, Question.id == source.c.question_id)
            .where(Question.consultation_id == consultation.id)
            .group_by(source.c.question_id)
            .having(func.sum(source.c.count) > 0)
        )
    )


def question_has_answers(question: Question) -> bool:
    return bool(db.session.scalar(select(exists().where(Answer.question_id == question.id))))


def _check_details(details: ConsultationDetails, consultation: Consultation | None) -> None:
    slug = details.slug
    if not SLUG_PATTERN.match(slug) or len(slug) > SLUG_MAX:
        raise DomainError(
            "Enter a web address of lower-case letters, numbers and hyphens, like policing-plan",
            field="slug",
        )
    taken = db.session.scalar(
        select(Consultation.id).where(
            Consultation.slug == slug,
            Consultation.id != (consultation.id if consultation else -1),
        )
    )
    if taken is not None:
        raise DomainError("Another consultation already uses that web address", field="slug")
    if (
        consultation is not None
        and consultation.status != ConsultationStatus.DRAFT
        and slug != consultation.slug
    ):
        raise DomainError(
            "The web address cannot change once the consultation has opened: "
            "people may already have the link",
            field="slug",
        )
    if details.closes_on < details.opens_on:
        raise DomainError(
            "The closing date must be on or after the opening date", field="closes_on"
        )


def create_consultation(details: ConsultationDetails) -> Consultation:
    """Create a draft consultation."""
    _check_details(details, None)
    consultation = Consultation(
        slug=details.slug,
        title=details.title,
        summary=details.summary,
        opens_on=details.opens_on,
        closes_on=details.closes_on,
        outcome=details.outcome,
        status=ConsultationStatus.DRAFT,
    )
    db.session.add(consultation)
    db.session.flush()
    return consultation


def update_consultation(consultation: Consultation, details: ConsultationDetails) -> None:
    _check_details(details, consultation)
    if consultation.status == ConsultationStatus.PUBLISHED and not details.outcome.strip():
        raise DomainError(
            "Say what was done as a result: the published results page shows it", field="outcome"
        )
    consultation.slug = details.slug
    consultation.title = details.title
    consultation.summary = details.summary
    consultation.opens_on = details.opens_on
    consultation.closes_on = details.closes_on
    consultation.outcome = details.outcome
    db.session.flush()


def change_status(
    consultation: Consultation, new_status: ConsultationStatus, today: date | None = None
) -> None:
    """Move a consultation along its life: draft, open, closed, results published."""
    today = today or today_utc()
    allowed = TRANSITIONS[consultation.status]
    if new_status not in allowed:
        raise DomainError(
            f"A consultation that is {consultation.status.value} cannot become {new_status.value}",
            status=409,
        )
    if new_status == ConsultationStatus.OPEN:
        if not consultation.questions:
            raise DomainError("Add at least one question before opening the consultation")
        if consultation.closes_on < today:
            raise DomainError(
                "The closing date has passed. Change the dates before opening the consultation"
            )
    if new_status == ConsultationStatus.PUBLISHED:
        if not consultation.outcome.strip():
            raise DomainError(
                "Say what was done as a result (‘we did’) in the consultation's details "
                "before publishing its results"
            )
        consultation.published_at = utcnow()
    if new_status == ConsultationStatus.CLOSED and consultation.status == ConsultationStatus.OPEN:
        # Closing early ends online answering today; the public page then says it has closed.
        consultation.closes_on = max(consultation.opens_on, min(consultation.closes_on, today))
    consultation.status = new_status
    db.session.flush()


def _clean_options(details: QuestionDetails) -> list[str]:
    if details.kind == QuestionKind.FREE_TEXT:
        return []
    if details.kind in FIXED_OPTIONS:
        return list(FIXED_OPTIONS[details.kind])
    labels = [label.strip() for label in details.options if label.strip()]
    if len(labels) < MIN_CHOICE_OPTIONS:
        raise DomainError("Enter at least two options, one per line", field="options")
    if len(labels) > MAX_OPTIONS:
        raise DomainError(f"Enter {MAX_OPTIONS} options or fewer", field="options")
    if any(len(label) > OPTION_MAX for label in labels):
        raise DomainError(f"Each option must be {OPTION_MAX} characters or fewer", field="options")
    if len({label.casefold() for label in labels}) != len(labels):
        raise DomainError("Each option must be different", field="options")
    return labels


def _clean_exclusive(details: QuestionDetails, labels: list[str]) -> str | None:
    """The label of the option chosen on its own, as spelt in the options, or None."""
    wanted = details.exclusive_option.strip()
    if not wanted:
        return None
    if details.kind != QuestionKind.MULTIPLE_CHOICE:
        raise DomainError(
            "Only a multiple-choice question can have an option chosen on its own",
            field="exclusive_option",
        )
    match = next((label for label in labels if label.casefold() == wanted.casefold()), None)
    if match is None:
        raise DomainError(
            "Type the option chosen on its own exactly as it appears in the options",
            field="exclusive_option",
        )
    return match


def _clean_max_length(details: QuestionDetails) -> int:
    if details.kind != QuestionKind.FREE_TEXT or details.max_length is None:
        return FREE_TEXT_DEFAULT_MAX
    if not 1 <= details.max_length <= FREE_TEXT_HARD_MAX:
        raise DomainError(
            f"The answer length limit must be between 1 and {FREE_TEXT_HARD_MAX:,} characters",
            field="max_length",
        )
    return details.max_length


def add_question(consultation: Consultation, details: QuestionDetails) -> Question:
    """Add a question at the end of the consultation."""
    labels = _clean_options(details)
    exclusive = _clean_exclusive(details, labels)
    position = max((question.position for question in consultation.questions), default=-1) + 1
    question = Question(
        kind=details.kind,
        position=position,
        prompt=details.prompt,
        help_text=details.help_text,
        required=details.required,
        max_length=_clean_max_length(details),
        options=[
            Option(label=label, position=i, exclusive=label == exclusive)
            for i, label in enumerate(labels)
        ],
    )
    consultation.questions.append(question)
    db.session.flush()
    return question


def update_question(question: Question, details: QuestionDetails) -> None:
    """Change a question; once it has answers, only its wording, help, and new options."""
    labels = _clean_options(details)
    exclusive = _clean_exclusive(details, labels)
    max_length = _clean_max_length(details)
    if question_has_answers(question):
        _check_answered_change(question, details, labels, max_length)
        if exclusive != next(iter(question.exclusive_labels.values()), None):
            raise DomainError(
                "This question has answers, so which option is chosen on its own cannot change: "
                "earlier answers may have it with others",
                field="exclusive_option",
            )
    rule_checks.refuse_if_options_used(question, labels)
    question.prompt = details.prompt
    question.help_text = details.help_text
    question.required = details.required
    question.max_length = max_length
    if question.kind != details.kind or [o.label for o in question.options] != labels:
        _replace_options(question, labels)
    for option in question.options:
        option.exclusive = option.label == exclusive
    question.kind = details.kind
    db.session.flush()


def _check_answered_change(
    question: Question, details: QuestionDetails, labels: list[str], max_length: int
) -> None:
    if details.kind != question.kind:
        raise DomainError(
            "This question has answers, so its type cannot change. Add a new question instead.",
            field="kind",
        )
    current = [option.label for option in question.options]
    if labels[: len(current)] != current:
        raise DomainError(
            "This question has answers, so its options cannot be removed, reworded or "
            "reordered. You can add new options at the end.",
            field="options",
        )
    if question.kind == QuestionKind.FREE_TEXT and max_length < question.max_length:
        raise DomainError(
            "This question has answers, so its length limit cannot be lowered", field="max_length"
        )


def _replace_options(question: Question, labels: list[str]) -> None:
    """Keep options whose label stays in place; add the rest (only unanswered questions reach
    here with removals)."""
    kept = {option.label: option for option in question.options}
    question.options = [kept.get(label) or Option(label=label) for label in labels]
    for position, option in enumerate(question.options):
        option.position = position


def delete_question(question: Question) -> None:
    if question_has_answers(question):
        raise DomainError(
            "This question has answers, so it cannot be deleted: that would lose people's answers.",
            status=409,
        )
    rule_checks.refuse_if_question_used(question)
    if question.rule is not None:
        db.session.delete(question.rule)
    consultation = question.consultation
    consultation.questions.remove(question)
    db.session.flush()
    _renumber(consultation)


def move_question(question: Question, direction: str) -> None:
    """Swap a question with its neighbour above ("up") or below ("down")."""
    if direction not in ("up", "down"):
        raise DomainError("Choose to move the question up or down", status=400)
    questions = list(question.consultation.questions)
    index = questions.index(question)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    before = {each: each.position for each in questions}
    for position, each in enumerate(questions):
        each.position = position
    try:
        rule_checks.check_all_rules(question.consultation)
    except DomainError:
        for each, position in before.items():
            each.position = position
        raise
    db.session.flush()
    db.session.expire(question.consultation, ["questions"])


def _renumber(consultation: Consultation) -> None:
    for position, question in enumerate(consultation.questions):
        question.position = position
    db.session.flush()


def get_question(consultation: Consultation, question_id: int) -> Question:
    """The consultation's question with this id, or a 404 error."""
    question = db.session.get(Question, question_id)
    if question is None or question.consultation_id != consultation.id:
        raise DomainError("That question is not part of this consultation.", status=404)
    return question
