"""In-person events (roadshows, workshops, partner events, victim call-backs) and the paper
responses staff key in from them."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from engage.auth.models import StaffUser
from engage.core.areas import AREA_NAMES
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys.models import Consultation, Event, EventKind, Response
from engage.surveys.services.responses import (
    AboutYou,
    AnswerErrors,
    StoredResponse,
    clean_about_you,
    clean_answers,
    submit_response,
    withdraw_response,
)

NAME_MAX = 200


@dataclass
class EventDetails:
    kind: str
    name: str
    held_on: date
    area: str
    venue: str = ""
    attendees: int | None = None


def _check(details: EventDetails) -> EventKind:
    if details.kind not in EventKind._value2member_map_:
        raise DomainError("Choose the kind of event from the list", field="kind")
    if details.area not in AREA_NAMES:
        raise DomainError("Choose the area it was held in from the list", field="area")
    if not details.name.strip() or len(details.name) > NAME_MAX:
        raise DomainError(f"Enter a name of {NAME_MAX} characters or fewer", field="name")
    if details.attendees is not None and details.attendees < 0:
        raise DomainError("Enter a number of people, 0 or more", field="attendees")
    return EventKind(details.kind)


def add_event(consultation: Consultation, details: EventDetails) -> Event:
    kind = _check(details)
    event = Event(
        consultation_id=consultation.id,
        kind=kind,
        name=details.name.strip(),
        held_on=details.held_on,
        venue=details.venue.strip(),
        area=details.area,
        attendees=details.attendees,
    )
    db.session.add(event)
    db.session.flush()
    return event


def update_event(event: Event, details: EventDetails) -> None:
    """Change an event; its kind fixes its responses' channel, so it stays once it has any."""
    kind = _check(details)
    if kind != event.kind and count_event_responses(event):
        raise DomainError(
            "This event has responses, so its kind cannot change: it sets their channel",
            field="kind",
        )
    event.kind = kind
    event.name = details.name.strip()
    event.held_on = details.held_on
    event.venue = details.venue.strip()
    event.area = details.area
    event.attendees = details.attendees
    db.session.flush()


def get_event(consultation: Consultation, event_id: int) -> Event:
    """The consultation's event with this id, or a 404 error."""
    event = db.session.get(Event, event_id)
    if event is None or event.consultation_id != consultation.id:
        raise DomainError("That event is not part of this consultation.", status=404)
    return event


EVENTS_PER_PAGE = 20


def list_events(consultation: Consultation, kind: str | None, area: str | None, page: int):
    """A page of the consultation's events, newest first, optionally of one kind or area."""
    if kind and kind not in EventKind._value2member_map_:
        raise DomainError("Choose a kind of event from the list.", field="kind", status=400)
    if area and area not in AREA_NAMES:
        raise DomainError("Choose an area from the list.", field="area", status=400)
    query = select(Event).where(Event.consultation_id == consultation.id)
    if kind:
        query = query.where(Event.kind == kind)
    if area:
        query = query.where(Event.area == area)
    return db.paginate(
        query.order_by(Event.held_on.desc(), Event.id.desc()),
        page=page,
        per_page=EVENTS_PER_PAGE,
        error_out=False,
    )


# How long after saving a paper response the person who keyed it in may undo it.
UNDO_WINDOW = timedelta(minutes=30)


def last_undoable_response(event: Event, entered_by: StaffUser) -> Response | None:
    """The newest response this person keyed in for the event, if still within the window."""
    return db.session.scalar(
        select(Response)
        .where(
            Response.event_id == event.id,
            Response.entered_by_id == entered_by.id,
            Response.submitted_at >= utcnow() - UNDO_WINDOW,
        )
        .order_by(Response.submitted_at.desc(), Response.id.desc())
        .limit(1)
    )


def undo_paper_response(event: Event, reference: str, entered_by: StaffUser) -> str:
    """Delete the last paper response this person saved for the event (a slip of the keys)."""
    last = last_undoable_response(event, entered_by)
    if last is None or last.reference != reference:
        raise DomainError(
            "Only the last response you keyed in for this event, in the last "
            f"{UNDO_WINDOW.seconds // 60} minutes, can be undone.",
            status=409,
        )
    withdraw_response(last.id)
    return reference


def count_event_responses(event: Event) -> int:
    return db.session.execute(
        select(func.count()).select_from(Response).where(Response.event_id == event.id)
    ).scalar_one()


def responses_per_event(consultation: Consultation) -> dict[int, int]:
    rows = db.session.execute(
        select(Response.event_id, func.count())
        .where(Response.consultation_id == consultation.id, Response.event_id.is_not(None))
        .group_by(Response.event_id)
    )
    return {event_id: count for event_id, count in rows}


def record_paper_response(
    event: Event,
    raw_answers: Mapping[str, Sequence[str]],
    about: AboutYou,
    *,
    form_token: str,
    entered_by: StaffUser,
) -> StoredResponse:
    """Check and store one paper response from an event; raise AnswerErrors with every problem."""
    consultation = event.consultation
    errors: dict[str, str] = {}
    answers = []
    try:
        answers = clean_answers(
            consultation.ordered_questions, raw_answers, blanks_allowed=True, refuse_unasked=True
        )
    except AnswerErrors as problem:
        errors.update(problem.errors)
    try:
        about = clean_about_you(about)
    except AnswerErrors as problem:
        errors.update(problem.errors)
    if not errors and not answers and consultation.questions:
        errors[consultation.questions[0].field_name] = (
            "Enter at least one answer from the paper form"
        )
    if errors:
        raise AnswerErrors(errors)
    return submit_response(
        consultation,
        answers,
        about,
        channel=event.channel,
        event=event,
        form_token=form_token,
        entered_by=entered_by,
    )
