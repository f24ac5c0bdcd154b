"""CSV exports of a consultation: the per-question summary and the contact list (every response
is in response_export). Cells that a spreadsheet would run as a formula are defused.
"""

from collections.abc import Iterator

from sqlalchemy import select

from engage.core.extensions import db
from engage.surveys.models import (
    Consultation,
    ContactRequest,
)
from engage.surveys.services.representation import Representation
from engage.surveys.services.results import ALL, ConsultationResults
from engage.surveys.services.weighting import WeightedResults
from engage.web.csv_writing import csv_lines

BATCH = 1000
ANSWER_SEPARATOR = "; "


REPRESENTATION_GROUP = "Respondents against population"
THEMES_GROUP = "Themes (all responses)"
FILTERED_THEMES_GROUP = "Themes (responses matching the filters)"


def summary_csv(
    results: ConsultationResults,
    weighted: WeightedResults | None = None,
    represented: Representation | None = None,
    themes: dict | None = None,
) -> Iterator[str]:
    """Per question and option: count, n answered, percentage and 95% interval, per group;
    for all responses also the share re-weighted (by area and age band, or by area only: the
    weighted_by column says which), its interval and n_eff; then each
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
            "weighted_by",
            "population_percent",
            "under_represented",
            "base",
            "asked_of",
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
                        question.base,
                        question.asked_of,
                    ]
        for number, question in enumerate(results.overall.questions, 1):
            coded = (themes or {}).get(question.question.id)
            if not coded:
                continue
            for name, count in coded.counts:
                yield [
                    FILTERED_THEMES_GROUP if results.filters.active else THEMES_GROUP,
                    number,
                    question.question.prompt,
                    name,
                    count,
                    coded.coded,
                    _round(coded.percent(count)),
                    "",
                    "",
                    *[""] * 7,  # no re-weighting or population share for codes
                    coded.coded,
                    "",
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
            *[""] * 5,  # re-weighting is of answers, not of who responded
            _round(share.population_percent),
            flags[share.under_represented],
            represented.in_areas,
            "",
        ]


def _weighted_cells(weighted, group, question, option) -> list[str]:
    if group.key is not ALL or not weighted or not weighted.possible:
        return ["", "", "", "", ""]
    entry = weighted.questions[question.question.id]
    share = entry.options[option.option_id]
    low, high = share.interval or (None, None)
    n_eff = _round(entry.effective_n) if entry.weighted_answers else ""
    return [_round(share.percent), _round(low), _round(high), n_eff, weighted.strata]


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
                _updates_state(request),
                "yes" if request.prize_draw else "no",
                request.created_on.isoformat(),
            ]

    return csv_lines(rows())


def _updates_state(request: ContactRequest) -> str:
    """Only a confirmed opt-in counts as wanting updates (double opt-in)."""
    if not request.wants_updates:
        return "no"
    if request.unsubscribed_on:
        return "unsubscribed"
    return "confirmed" if request.confirmed_on else "not confirmed"
