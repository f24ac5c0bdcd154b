"""Checking and storing the public's answers, whichever channel they came through."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import Integer, String, bindparam, select, text

from engage.auth.models import StaffUser
from engage.core.areas import AREA_NAMES, NOT_GIVEN
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys.models import (
    AgeBand,
    Answer,
    Channel,
    Consultation,
    ConsultationStatus,
    Event,
    Question,
    QuestionKind,
    Response,
)
from engage.surveys.section_models import is_asked
from engage.surveys.services import consultations, tallies
from engage.surveys.services.consultations import ConsultationFacts
from engage.surveys.services.question_rules import QuestionRules
from engage.surveys.services.references import new_reference

POSTCODE_DISTRICT_MAX = 4


class AnswerErrors(DomainError):
    """Answers that break the questions' rules; `errors` maps field name to message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("There is a problem with your answers.")
        self.errors = errors


class DuplicateSubmission(DomainError):
    """The form's one-time token was already used: the response is stored once."""

    def __init__(self, reference: str | None):
        super().__init__(
            _("We already have this response. It has not been stored twice."), status=409
        )
        self.reference = reference


class ConsultationChanged(DomainError):
    """The consultation closed or its questions changed after the answers were checked."""

    def __init__(self):
        super().__init__(
            _(
                "This consultation changed while you were answering. "
                "Check your answers and send them again."
            ),
            status=409,
        )


@dataclass
class AboutYou:
    area: str | None = None
    postcode_district: str | None = None
    age_band: str | None = None


@dataclass
class CleanAnswer:
    question: Question | QuestionRules
    option_ids: list[int] = field(default_factory=list)
    text: str | None = None


def _question_label(question: Question | QuestionRules) -> str:
    prompt = question.prompt.rstrip("?")
    return prompt if len(prompt) <= 80 else prompt[:77] + "..."


def clean_answers(
    questions: Sequence[Question | QuestionRules],
    raw: Mapping[str, Sequence[str]],
    *,
    blanks_allowed: bool = False,
    refuse_unasked: bool = False,
) -> list[CleanAnswer]:
    """Check raw form values against each question's rules and return the answers given.

    `raw` maps a question's field name (`q<ID>`) to the values submitted for it. Raises
    `AnswerErrors` listing every problem, so the form can show them all at once. With
    `blanks_allowed` (a paper form keyed in later, when the person is not there to ask) a
    required question left blank is stored as not answered rather than refused.

    A question whose display rules the earlier answers do not meet was not asked: its answer is
    dropped unseen and it is never required (a browser without JavaScript shows every question
    of a page), or with `refuse_unasked` (staff keying in paper) an answer to it is refused.
    `questions` must come in the order people meet them, so each rule's question comes first.
    """
    known = {question.field_name for question in questions}
    unknown = sorted(name for name in raw if name not in known and raw[name])
    if unknown:
        raise DomainError(
            _("The form contained answers to questions that are not in this survey."), status=400
        )
    errors: dict[str, str] = {}
    cleaned: list[CleanAnswer] = []
    chosen: dict[int, list[int]] = {}
    for question in questions:
        values = [value.strip() for value in raw.get(question.field_name, ()) if value.strip()]
        if not is_asked(question.conditions, chosen):
            if values and refuse_unasked:
                errors[question.field_name] = _not_asked(question)
            continue
        try:
            answer = _clean_one(question, values, blanks_allowed)
        except ValueError as problem:
            errors[question.field_name] = str(problem)
            continue
        if answer is not None:
            cleaned.append(answer)
            chosen[question.id] = answer.option_ids
    if errors:
        raise AnswerErrors(errors)
    return cleaned


def clean_leniently(
    questions: Sequence[Question | QuestionRules], raw: Mapping[str, Sequence[str]]
) -> list[CleanAnswer]:
    """The valid answers among `raw` to the questions they say were asked; the rest left out.

    For deciding which pages and questions to show from a draft, never for storing.
    """
    cleaned: list[CleanAnswer] = []
    chosen: dict[int, list[int]] = {}
    for question in questions:
        values = [value.strip() for value in raw.get(question.field_name, ()) if value.strip()]
        if not values or not is_asked(question.conditions, chosen):
            continue
        try:
            answer = _clean_one(question, values, blanks_allowed=True)
        except ValueError:
            continue
        if answer is not None:
            cleaned.append(answer)
            chosen[question.id] = answer.option_ids
    return cleaned


def asked_question_ids(
    questions: Sequence[Question | QuestionRules], answers: Sequence[CleanAnswer]
) -> set[int]:
    """The questions these (cleaned) answers mean were asked: every one whose rules they meet."""
    chosen = {answer.question.id: answer.option_ids for answer in answers}
    return {question.id for question in questions if is_asked(question.conditions, chosen)}


def _not_asked(question: Question | QuestionRules) -> str:
    why = " and ".join(condition.description for condition in question.conditions)
    return (
        f"‘{_question_label(question)}’ is only asked of people who {why}, "
        "so this person was not asked it: leave it blank"
    )


def _clean_one(
    question: Question | QuestionRules, values: list[str], blanks_allowed: bool = False
) -> CleanAnswer | None:
    label = _question_label(question)
    if not values:
        if question.required and not blanks_allowed:
            if question.kind == QuestionKind.FREE_TEXT:
                raise ValueError(_("Enter your answer to ‘%(question)s’", question=label))
            if question.kind == QuestionKind.MULTIPLE_CHOICE:
                raise ValueError(_("Select at least one answer to ‘%(question)s’", question=label))
            raise ValueError(_("Select an answer to ‘%(question)s’", question=label))
        return None
    if question.kind == QuestionKind.FREE_TEXT:
        if len(values) > 1:
            raise ValueError(_("Give one answer to ‘%(question)s’", question=label))
        text = values[0]
        if len(text) > question.max_length:
            raise ValueError(
                _(
                    "Your answer to ‘%(question)s’ must be %(limit)s characters or fewer "
                    "(it is %(length)s)",
                    question=label,
                    limit=f"{question.max_length:,}",
                    length=f"{len(text):,}",
                )
            )
        return CleanAnswer(question, text=text)
    valid_ids = question.option_ids
    try:
        chosen = [int(value) for value in values]
    except ValueError:
        raise ValueError(
            _("Select one of the answers given for ‘%(question)s’", question=label)
        ) from None
    if any(option_id not in valid_ids for option_id in chosen):
        raise ValueError(_("Select one of the answers given for ‘%(question)s’", question=label))
    if question.kind != QuestionKind.MULTIPLE_CHOICE and len(chosen) > 1:
        raise ValueError(_("Select only one answer to ‘%(question)s’", question=label))
    chosen_ids = set(chosen)
    alone = chosen_ids & question.exclusive_labels.keys() if len(chosen_ids) > 1 else None
    if alone:
        raise ValueError(
            _(
                "For ‘%(question)s’, select ‘%(option)s’ on its own, "
                "or untick it to choose other answers",
                question=label,
                option=question.exclusive_labels[min(alone)],
            )
        )
    return CleanAnswer(question, option_ids=sorted(chosen_ids))


def clean_about_you(about: AboutYou) -> AboutYou:
    """Check the optional 'about you' answers; raises AnswerErrors naming the field."""
    errors = {}
    area = (about.area or "").strip() or None
    if area is not None and area not in AREA_NAMES:
        errors["area"] = _("Select the area you live in from the list")
    district = (about.postcode_district or "").strip().upper().replace(" ", "") or None
    if district is not None and not _looks_like_postcode_district(district):
        errors["postcode_district"] = _(
            "Enter the first part of your postcode only, like B5 or WV10"
        )
    age_band = (about.age_band or "").strip() or None
    if age_band is not None and age_band not in AgeBand._value2member_map_:
        errors["age_band"] = _("Select your age group from the list")
    if errors:
        raise AnswerErrors(errors)
    return AboutYou(area=area, postcode_district=district, age_band=age_band)


def _looks_like_postcode_district(district: str) -> bool:
    """A UK outward code: 1-2 letters, a digit, then an optional digit or letter."""
    if not 2 <= len(district) <= POSTCODE_DISTRICT_MAX or not district.isalnum():
        return False
    letters = len(district) - len(district.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    rest = district[letters:]
    return 1 <= letters <= 2 and rest[:1].isdigit() and (len(rest) == 1 or len(rest) == 2)


def find_by_token(form_token: str) -> Response | None:
    return db.session.scalar(select(Response).where(Response.form_token == form_token))


@dataclass(frozen=True)
class StoredResponse:
    id: int
    reference: str
    channel: Channel


def submit_response(
    consultation: ConsultationFacts,
    answers: Sequence[CleanAnswer],
    about: AboutYou,
    *,
    channel: Channel = Channel.ONLINE,
    form_token: str | None = None,
    event: Event | None = None,
    entered_by: StaffUser | None = None,
    is_demo: bool = False,
    today: date | None = None,
) -> StoredResponse:
    """Store one response and its answers, awaiting the tallies (see tallies); return its id and
    reference.

    Online responses need an open consultation, checked again by the insert itself: one that
    closed or changed its questions since `consultation` was read raises ConsultationChanged.
    Paper responses keyed in by staff need an event of this consultation. A reused
    `form_token` raises DuplicateSubmission.
    """
    accepting_guard = None
    if channel == Channel.ONLINE:
        today = today or consultations.today_utc()
        consultations.ensure_accepting_online(consultation, today)
        accepting_guard = {
            "open_status": ConsultationStatus.OPEN,
            "questions_revision": consultation.questions_revision,
            "today": today,
        }
    else:
        _check_in_person(consultation, channel, event)
    if not answers:
        raise AnswerErrors({"form": _("Answer at least one question before sending your response")})

    stored = _insert_response(
        {
            "consultation_id": consultation.id,
            "reference": new_reference("S" if channel == Channel.SOCIAL else "R"),
            "channel": channel.value,
            "event_id": event.id if event else None,
            "area": about.area or NOT_GIVEN,
            "postcode_district": about.postcode_district,
            "age_band": AgeBand(about.age_band).value if about.age_band else None,
            "form_token": form_token,
            "entered_by_id": entered_by.id if entered_by else None,
            "is_demo": is_demo,
        },
        accepting_guard,
    )
    if stored is None:
        existing = find_by_token(form_token) if form_token else None
        if existing is None and accepting_guard is not None:
            raise ConsultationChanged()
        raise DuplicateSubmission(existing.reference if existing else None)
    response_id, reference = stored
    rows = []
    for answer in answers:
        if answer.text is not None:
            rows.append(_answer_row(response_id, answer.question.id, None, answer.text))
        for option_id in answer.option_ids:
            rows.append(_answer_row(response_id, answer.question.id, option_id, None))
    db.session.connection().execute(Answer.__table__.insert(), rows)
    return StoredResponse(response_id, reference, channel)


def _answer_row(response_id: int, question_id: int, option_id: int | None, text: str | None):
    return {
        "response_id": response_id,
        "question_id": question_id,
        "option_id": option_id,
        "text": text,
        # Scored after the reply, when the response is folded (services/answer_sentiment.py).
        "polarity": None,
    }


RESPONSE_COLUMNS = (
    "consultation_id",
    "reference",
    "channel",
    "event_id",
    "area",
    "postcode_district",
    "age_band",
    "form_token",
    "entered_by_id",
    "is_demo",
    "submitted_at",
)


_ON_CONFLICT = "ON CONFLICT (form_token) DO NOTHING RETURNING id, reference"


@cache
def _insert_response_statement():
    """INSERT ... ON CONFLICT (form_token) DO NOTHING RETURNING, in the SQL that PostgreSQL and
    SQLite share. Written as text because SQLAlchemy does not cache the compiled form of its
    dialect ON CONFLICT constructs, and compiling on every response cost a millisecond."""
    return _insert_text(f"VALUES ({_response_binds()}) {_ON_CONFLICT}")


@cache
def _insert_while_accepting_statement():
    """The same insert, made only if the consultation is still open today with the questions
    revision the answers were checked against (any edit to it draws a new one). One statement,
    so the consultation cannot close or change between the check and the insert, and nothing
    needs reading before it."""
    consultations_table = Consultation.__table__
    return _insert_text(
        f"SELECT {_response_binds()} FROM consultations "
        "WHERE consultations.id = :consultation_id AND consultations.status = :open_status "
        "AND consultations.questions_revision = :questions_revision "
        "AND consultations.opens_on <= :today AND consultations.closes_on >= :today "
        # SQLite reads ON CONFLICT after a SELECT as a join's ON unless a WHERE comes first.
        f"{_ON_CONFLICT}",
        bindparam("open_status", type_=consultations_table.c.status.type),
        bindparam("questions_revision", type_=consultations_table.c.questions_revision.type),
        bindparam("today", type_=consultations_table.c.opens_on.type),
    )


def _response_binds() -> str:
    return ", ".join(":" + name for name in RESPONSE_COLUMNS)


def _insert_text(source: str, *extra_binds):
    table = Response.__table__
    return (
        text(f"INSERT INTO responses ({', '.join(RESPONSE_COLUMNS)}) {source}")
        .bindparams(
            *(bindparam(name, type_=table.c[name].type) for name in RESPONSE_COLUMNS),
            *extra_binds,
        )
        .columns(id=Integer, reference=String)
    )


def _insert_response(values: dict, accepting_guard: dict | None = None) -> tuple[int, str] | None:
    """Insert a response row; None when its form token was already used, or when
    `accepting_guard` is given and the consultation no longer matches it.

    ON CONFLICT DO NOTHING answers a replay, even a concurrent one, without an error to
    recover from, and skipping the ORM's unit of work keeps the busiest write path short.
    """
    if accepting_guard is None:
        statement = _insert_response_statement()
    else:
        statement = _insert_while_accepting_statement()
    params = {**values, **(accepting_guard or {}), "submitted_at": utcnow()}
    row = db.session.connection().execute(statement, params).first()
    return (row.id, row.reference) if row else None


def _check_in_person(
    consultation: ConsultationFacts, channel: Channel, event: Event | None
) -> None:
    if consultation.status not in (ConsultationStatus.OPEN, ConsultationStatus.CLOSED):
        what = "Social media answers" if channel == Channel.SOCIAL else "Paper responses"
        raise DomainError(
            f"{what} can only be added while a consultation is open or closed, "
            "not in draft or after its results are published.",
            status=409,
        )
    if channel == Channel.SOCIAL:
        return
    if event is None or event.consultation_id != consultation.id:
        raise DomainError("Choose an event of this consultation for paper responses.", status=404)
    if event.channel != channel:
        raise DomainError("The response's channel must match its event.", field="event")


def withdraw_response(response_id: int) -> None:
    """Delete a response and take its answers back out of the tallies.

    Used when staff change or withdraw the position they gave a social media reply.
    """
    if not tallies.take_out_of_tallies(response_id):
        return
    response = db.session.get(Response, response_id)
    db.session.delete(response)
    db.session.flush()
