"""Demo data for surveys: the WMP2020 consultation with roadshows and generated responses.

Everything created here is marked `is_demo`, so it can be told apart from real answers.
"""

import random
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import insert, select

from engage.analysis.sentiment import polarity
from engage.auth.models import StaffUser
from engage.core.areas import NOT_GIVEN, WEST_MIDLANDS_AREAS
from engage.core.db_types import utcnow
from engage.core.extensions import db
from engage.surveys.demo_conditional import load_roads_demo
from engage.surveys.demo_content import (
    DEMO_COMMENTS,
    EXCLUSIVE_OPTIONS,
    NEIGHBOURHOOD_COMMENTS,
    NEIGHBOURHOOD_OUTCOME,
    NEIGHBOURHOOD_QUESTIONS,
    WMP2020_QUESTIONS,
)
from engage.surveys.models import (
    FIXED_OPTIONS,
    AgeBand,
    Answer,
    Channel,
    Consultation,
    ConsultationStatus,
    ContactRequest,
    Event,
    EventKind,
    Option,
    Question,
    QuestionKind,
    Response,
)
from engage.surveys.services import tallies
from engage.surveys.services.references import new_reference

WMP2020_SLUG = "wmp2020"
ONLINE_RESPONSES = 3500
# (event kind, number of events, responses keyed in per event)
IN_PERSON_PLAN = [
    (EventKind.ROADSHOW, 18, 30),
    (EventKind.WORKSHOP, 8, 20),
    (EventKind.PARTNER_EVENT, 11, 10),
    (EventKind.VICTIM_CALLBACK, 4, 20),
]
VENUES = [
    "Central Library",
    "Community Centre",
    "Shopping Centre",
    "Leisure Centre",
    "Town Hall",
    "Mosque community hall",
    "Gurdwara hall",
    "Parish church hall",
]
# Population-weighted chance of each area, roughly as the seven districts' shares.
AREA_WEIGHTS = [0.39, 0.13, 0.11, 0.11, 0.07, 0.10, 0.09]


def load_survey_demo(
    echo: Callable[[str], None], admin: StaffUser, seed: int = 2020
) -> Consultation:
    """Create the WMP2020 demo consultation and a published one, with responses; return the
    WMP2020 one."""
    rng = random.Random(seed)
    today = utcnow().date()
    wmp2020 = _build_consultation(
        WMP2020_SLUG,
        "WMP2020: help shape the future of West Midlands Police",
        "West Midlands Police is changing how it works by 2020. Tell us how you want to contact "
        "us, report crime, follow your case and get involved in keeping your neighbourhood safe.",
        WMP2020_QUESTIONS,
        ConsultationStatus.OPEN,
        today - timedelta(days=40),
        today + timedelta(days=30),
    )
    events = _build_events(wmp2020, rng)
    db.session.flush()
    online = _generate_responses(wmp2020, Channel.ONLINE, ONLINE_RESPONSES, rng, today, None, None)
    in_person = 0
    for event in events:
        per_event = dict((kind, n) for kind, _, n in IN_PERSON_PLAN)[event.kind]
        in_person += _generate_responses(
            wmp2020, event.channel, per_event, rng, today, event, admin
        )
    tallies.recount_tallies(wmp2020.id)
    _add_contact_requests(wmp2020, rng, 240)
    echo(
        f"WMP2020 consultation: {online:,} online and {in_person:,} in-person responses "
        f"from {len(events)} events."
    )

    published = _build_consultation(
        "neighbourhood-priorities-2025",
        "Neighbourhood policing priorities",
        "What should your neighbourhood policing team focus on?",
        NEIGHBOURHOOD_QUESTIONS,
        ConsultationStatus.PUBLISHED,
        today - timedelta(days=200),
        today - timedelta(days=140),
    )
    published.outcome = NEIGHBOURHOOD_OUTCOME
    published.published_at = utcnow() - timedelta(days=100)
    db.session.flush()
    count = _generate_responses(
        published, Channel.ONLINE, 800, rng, published.closes_on, None, None
    )
    tallies.recount_tallies(published.id)
    echo(f"Published consultation with {count:,} responses and its outcome.")
    load_roads_demo(echo, rng)
    return wmp2020


def _build_consultation(slug, title, summary, questions, status, opens_on, closes_on):
    consultation = Consultation(
        slug=slug,
        title=title,
        summary=summary,
        status=status,
        opens_on=opens_on,
        closes_on=closes_on,
        is_demo=True,
    )
    for position, (kind, prompt, help_text, labels, _shares) in enumerate(questions):
        question = Question(
            kind=kind, position=position, prompt=prompt, help_text=help_text, required=position == 0
        )
        labels = labels or FIXED_OPTIONS.get(kind, ())
        question.options = [
            Option(label=label, position=i, exclusive=label in EXCLUSIVE_OPTIONS)
            for i, label in enumerate(labels)
        ]
        consultation.questions.append(question)
    db.session.add(consultation)
    return consultation


def _build_events(consultation: Consultation, rng: random.Random) -> list[Event]:
    events = []
    for kind, count, _ in IN_PERSON_PLAN:
        for index in range(count):
            area = WEST_MIDLANDS_AREAS[index % len(WEST_MIDLANDS_AREAS)]
            event = Event(
                consultation=consultation,
                kind=kind,
                name=f"{area.name} {kind.value.replace('_', ' ')} {index // 7 + 1}",
                held_on=consultation.opens_on + timedelta(days=rng.randrange(0, 38)),
                venue=f"{area.name} {rng.choice(VENUES)}",
                area=area.slug,
                attendees=rng.randrange(40, 120) if kind == EventKind.ROADSHOW else None,
                is_demo=True,
            )
            events.append(event)
    db.session.add_all(events)
    return events


def _generate_responses(consultation, channel, count, rng, last_day, event, entered_by) -> int:
    """Insert `count` responses in bulk; tallies are recounted by the caller."""
    first_day = consultation.opens_on
    span = max(1, (min(last_day, consultation.closes_on) - first_day).days)
    shares = {
        question.id: spec[4]
        for question, spec in zip(consultation.questions, _specs_for(consultation), strict=True)
    }
    comments = DEMO_COMMENTS if consultation.slug == WMP2020_SLUG else NEIGHBOURHOOD_COMMENTS
    comment_polarity = {comment: polarity(comment) for comment in comments}
    area_slugs = [area.slug for area in WEST_MIDLANDS_AREAS]
    rows = []
    for _ in range(count):
        if event is not None:
            area = event.area if rng.random() < 0.8 else rng.choice(area_slugs)
        else:
            area = rng.choices(area_slugs + [NOT_GIVEN], AREA_WEIGHTS + [0.12])[0]
        day = first_day + timedelta(days=rng.randrange(span))
        moment = datetime.combine(day, time(rng.randrange(7, 23), rng.randrange(60)), tzinfo=UTC)
        rows.append(
            {
                "consultation_id": consultation.id,
                "reference": new_reference("R"),
                "channel": channel,
                "event_id": event.id if event else None,
                "area": area,
                "age_band": rng.choice(list(AgeBand)) if rng.random() < 0.7 else None,
                "submitted_at": moment,
                "entered_by_id": entered_by.id if entered_by else None,
                "is_demo": True,
            }
        )
    ids = db.session.scalars(
        insert(Response).returning(Response.id, sort_by_parameter_order=True), rows
    ).all()
    answers = []
    for response_id in ids:
        for question in consultation.questions:
            answers.extend(
                _answer_rows(
                    question, shares[question.id], response_id, rng, comments, comment_polarity
                )
            )
    for start in range(0, len(answers), 5000):
        db.session.execute(insert(Answer), answers[start : start + 5000])
    return len(ids)


def _specs_for(consultation):
    return WMP2020_QUESTIONS if consultation.slug == WMP2020_SLUG else NEIGHBOURHOOD_QUESTIONS


def _answer_rows(question, shares, response_id, rng, comments, comment_polarity):
    base = {
        "response_id": response_id,
        "question_id": question.id,
        "text": None,
        "polarity": None,
        "option_id": None,
    }
    if question.kind == QuestionKind.FREE_TEXT:
        if rng.random() >= shares[0]:
            return []
        comment = rng.choice(comments)
        return [{**base, "text": comment, "polarity": comment_polarity[comment]}]
    if not question.required and rng.random() < 0.04:
        return []  # some people skip optional questions
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        chosen = [
            option
            for option, share in zip(question.options, shares, strict=True)
            if rng.random() < share
        ]
        chosen = [option for option in chosen if not option.exclusive] or chosen[:1]
        chosen = chosen or [rng.choice(question.options)]
        return [{**base, "option_id": option.id} for option in chosen]
    option = rng.choices(question.options, shares)[0]
    return [{**base, "option_id": option.id}]


def _add_contact_requests(consultation, rng, count) -> None:
    today = utcnow().date()
    for index in range(count):
        db.session.add(
            ContactRequest(
                consultation_id=consultation.id,
                entry_reference=new_reference("P"),
                name=f"Demo person {index + 1}",
                email=f"demo.person{index + 1}@example.org",
                wants_updates=rng.random() < 0.8,
                prize_draw=rng.random() < 0.6,
                created_on=today - timedelta(days=rng.randrange(0, 40)),
                is_demo=True,
            )
        )


def demo_loaded() -> bool:
    return db.session.scalar(select(Consultation.id).filter_by(slug=WMP2020_SLUG)) is not None
