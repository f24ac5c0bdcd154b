"""Demo data: a consultation with sections and questions asked only after certain answers.

"Roads and driving" asks drivers about speeding on a page of its own, which non-drivers skip,
and reveals "what makes driving feel unsafe" in place after a Yes. Its generated responses go
through the same answer checks as the public's, so nobody is stored answering what they were
not asked, and its results show each follow-up's base ("Asked of the ... who answered Yes").
"""

import random
from collections.abc import Callable
from datetime import timedelta

from engage.core.areas import WEST_MIDLANDS_AREAS
from engage.core.db_types import utcnow
from engage.core.extensions import db
from engage.surveys.models import (
    FIXED_OPTIONS,
    Consultation,
    ConsultationStatus,
    Option,
    Question,
    QuestionKind,
)
from engage.surveys.services import sections, tallies
from engage.surveys.services.responses import AboutYou, clean_answers, submit_response
from engage.surveys.services.sections import RuleDetails

ROADS_SLUG = "roads-and-driving"
DRIVES = "Do you drive in the West Midlands?"
ROADS_RESPONSES = 120

# (section, kind, prompt, options for choice questions)
ROADS_QUESTIONS: list[tuple[str, QuestionKind, str, tuple[str, ...] | None]] = [
    ("Getting about", QuestionKind.YES_NO, DRIVES, None),
    (
        "Getting about",
        QuestionKind.FREE_TEXT,
        "What makes driving feel unsafe where you live?",
        None,
    ),
    (
        "Speeding",
        QuestionKind.AGREEMENT,
        "Speed cameras make the roads where I live safer",
        None,
    ),
    (
        "Speeding",
        QuestionKind.SINGLE_CHOICE,
        "How often do you see dangerous driving?",
        ("Every day", "Every week", "Every month", "Rarely or never"),
    ),
    ("Walking and cycling", QuestionKind.YES_NO, "Do you walk or cycle on busy roads?", None),
]
UNSAFE = ["Cars racing at night", "Speeding past the school", "Phones at the wheel", "Potholes"]


def load_roads_demo(echo: Callable[[str], None], rng: random.Random) -> Consultation:
    today = utcnow().date()
    consultation = Consultation(
        slug=ROADS_SLUG,
        title="Roads and driving",
        summary="Tell us how safe the roads feel where you live, whether you drive or not.",
        status=ConsultationStatus.OPEN,
        opens_on=today - timedelta(days=10),
        closes_on=today + timedelta(days=40),
        is_demo=True,
    )
    db.session.add(consultation)
    for position, (_section, kind, prompt, given) in enumerate(ROADS_QUESTIONS):
        labels: tuple[str, ...] = given or FIXED_OPTIONS.get(kind, ())
        consultation.questions.append(
            Question(
                kind=kind,
                position=position,
                prompt=prompt,
                required=position == 0,
                options=[Option(label=label, position=i) for i, label in enumerate(labels)],
            )
        )
    db.session.flush()
    by_title = {}
    for (title, *_rest), question in zip(ROADS_QUESTIONS, consultation.questions, strict=True):
        if title not in by_title:
            by_title[title] = sections.add_section(consultation, title)
        sections.place_question(consultation, question, by_title[title].id)
    drives, unsafe = consultation.questions[0], consultation.questions[1]
    yes = [drives.options[0].id]
    sections.set_rule(consultation, unsafe, RuleDetails(drives.id, yes))
    sections.set_rule(consultation, by_title["Speeding"], RuleDetails(drives.id, yes))
    db.session.flush()
    _generate(consultation, rng)
    tallies.recount_tallies(consultation.id)
    echo(f"Roads and driving: sections and follow-up questions, {ROADS_RESPONSES} responses.")
    return consultation


def _generate(consultation: Consultation, rng: random.Random) -> None:
    """Random answers to every question; the answer checks drop those not asked."""
    questions = consultation.ordered_questions
    for _ in range(ROADS_RESPONSES):
        raw = {}
        for question in questions:
            if question.kind == QuestionKind.FREE_TEXT:
                if rng.random() < 0.5:
                    raw[question.field_name] = [rng.choice(UNSAFE)]
            else:
                weights = [3, 1, 1] if question.prompt == DRIVES else None
                option = rng.choices(question.options, weights)[0]
                raw[question.field_name] = [str(option.id)]
        submit_response(
            consultation,
            clean_answers(questions, raw),
            AboutYou(area=rng.choice(WEST_MIDLANDS_AREAS).slug),
            is_demo=True,
        )
