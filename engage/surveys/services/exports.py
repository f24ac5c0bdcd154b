"""CSV exports of a consultation: every response, the per-question summary, the contact list.

Responses are streamed in batches, so an export of a million responses runs in constant memory.
Cells that a spreadsheet would run as a formula are defused.
"""

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import select

from engage.core.extensions import db
from engage.surveys.models import (
    CHANNEL_LABELS,
    Answer,
    Consultation,
    ContactRequest,
    Event,
    Response,
)
from engage.surveys.services.representation import Representation
from engage.surveys.services.results import ALL, ConsultationResults, dimension_label
from engage.surveys.services.weighting import WeightedResults
from engage.web.csv_writing import csv_lines

BATCH = 1000
ANSWER_SEPARATOR = "; "


def responses_csv(consultation: Consultation) -> Iterator[str]:
    """One row per response, one column per question; no contact details (there are none)."""
    questions = list(consultation.questions)
    labels = {option.id: option.label for question in questions for option in question.options}
    events = {
        event_id: name
        for event_id, name in db.session.execute(
            select(Event.id, Event.name).where(Event.consultation_id == consultation.id)
        )
    }
    header = [
        "reference",
        "channel",
        "event",
        "area",
        "postcode_district",
        "age_band",
        "submitted_at",
    ]
    header += [f"Q{number}. {question.prompt}" for number, question in enumerate(questions, 1)]

    def rows():
        yield header
        last_id = 0
        while True:
            batch = db.session.execute(
                select(
                    Response.id,
                    Response.reference,
                    Response.channel,
                    Response.event_id,
                    Response.area,
                    Response.postcode_district,
                    Response.age_band,
                    Response.submitted_at,
                )
                .where(Response.consultation_id == consultation.id, Response.id > last_id)
                .order_by(Response.id)
                .limit(BATCH)
            ).all()
            if not batch:
                return
            answers: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
            for response_id, question_id, option_id, text in db.session.execute(
                select(Answer.response_id, Answer.question_id, Answer.option_id, Answer.text)
                .where(Answer.response_id.in_([row.id for row in batch]))
                .order_by(Answer.response_id, Answer.option_id)
            ):
                answers[response_id][question_id].append(
                    text if text is not None else labels[option_id]
                )
            for row in batch:
                given = answers.get(row.id, {})
                yield [
                    row.reference,
                    CHANNEL_LABELS.get(row.channel, row.channel),
                    events.get(row.event_id, ""),
                    dimension_label("area", row.area),
                    row.postcode_district,
                    row.age_band.value if row.age_band else "",
                    row.submitted_at.isoformat(timespec="seconds"),
                ] + [ANSWER_SEPARATOR.join(given.get(question.id, [])) for question in questions]
            last_id = batch[-1].id
            db.session.expunge_all()

    return csv_lines(rows())


REPRESENTATION_GROUP = "Respondents against population"
THEMES_GROUP = "Themes (all responses)"


def summary_csv(
    results: ConsultationResults,
    weighted: WeightedResults | None = None,
    represented: Representation | None = None,
    themes: dict | None = None,
) -> Iterator[str]:
    """Per question and option: count, n answered, percentage and 95% interval, per group;
    for all responses also the share re-weighted by area, its interval and n_eff; then each
    area's share of respondents against its share of the population.

    `themes` (question id: ThemeCounts) adds a row per code of a coded free-text question:
    texts coded with it, texts coded and the percentage of them, over all responses.
    """

    def rows():
        yield [
            "group",
            "question_number",
            "question",
            "answer",
            "count",
            "answered",
            "percent",
            "ci95_low",
            "ci95_high",
            "weighted_percent",
            "weighted_ci95_low",
            "weighted_ci95_high",
            "weighted_n_effective",
            "population_percent",
            "under_represented",
        ]
        for group in results.groups:
            for number, question in enumerate(group.questions, 1):
                for option in question.options:
                    low, high = option.interval or (None, None)
                    yield [
                        group.label,
                        number,
                        question.question.prompt,
                        option.label,
                        option.count,
                        question.answered,
                        _round(option.percent),
                        _round(low),
                        _round(high),
                        *_weighted_cells(weighted, group, question, option),
                        "",
                        "",
                    ]
        for number, question in enumerate(results.overall.questions, 1):
            coded = (themes or {}).get(question.question.id)
            for name, count in coded.counts if coded else ():
                yield [
                    THEMES_GROUP,
                    number,
                    question.question.prompt,
                    name,
                    count,
                    coded.coded,
                    _round(coded.percent(count)),
                    "",
                    "",
                    *[""] * 6,  # no re-weighting or population share for codes
                ]
        if represented and represented.in_areas:
            yield from _representation_rows(represented)

    return csv_lines(rows())


def _representation_rows(represented: Representation) -> Iterator[list]:
    flags = {True: "yes", False: "no", None: ""}
    for share in represented.areas:
        low, high = share.interval or (None, None)
        yield [
            REPRESENTATION_GROUP,
            "",
            "Area lived in",
            share.area.name,
            share.respondents,
            represented.in_areas,
            _round(share.percent),
            _round(low),
            _round(high),
            "",
            "",
            "",
            "",
            _round(share.population_percent),
            flags[share.under_represented],
        ]


def _weighted_cells(weighted, group, question, option) -> list[str]:
    if group.key is not ALL or not weighted or not weighted.possible:
        return ["", "", "", ""]
    entry = weighted.questions[question.question.id]
    share = entry.options[option.option_id]
    low, high = share.interval or (None, None)
    n_eff = _round(entry.effective_n) if entry.weighted_answers else ""
    return [_round(share.percent), _round(low), _round(high), n_eff]


def _round(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def contacts_csv(consultation: Consultation) -> Iterator[str]:
    """The people who asked for updates or entered the draw: personal data, staff only."""
    query = (
        select(ContactRequest)
        .where(ContactRequest.consultation_id == consultation.id)
        .order_by(ContactRequest.id)
    )

    def rows():
        yield ["entry_reference", "name", "email", "wants_updates", "prize_draw", "given_on"]
        for request in db.session.scalars(query):
            yield [
                request.entry_reference,
                request.name,
                request.email,
                "yes" if request.wants_updates else "no",
                "yes" if request.prize_draw else "no",
                request.created_on.isoformat(),
            ]

    return csv_lines(rows())
