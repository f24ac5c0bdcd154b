"""A consultation's results, read from the running tallies rather than from every answer.

The tallies hold counts per (question or option, channel, area), so a filter or a side-by-side
breakdown is a small GROUP BY over a few thousand rows, however many responses there are.
`tallies.live` adds the responses not yet folded into them, so the counts are exact.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from engage.analysis.statistics import percentage, wilson_interval
from engage.core.areas import AREA_NAMES_WITH_NOT_GIVEN
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys.models import (
    CHANNEL_LABELS,
    Channel,
    Consultation,
    Option,
    OptionTally,
    Question,
    QuestionTally,
    ResponseTally,
)
from engage.surveys.services import tallies
from engage.surveys.services.asked import asked_counts, asked_of

DIMENSIONS = ("channel", "area")
ALL = None  # the key of the whole, unsplit group


@dataclass
class OptionResult:
    option_id: int
    label: str
    count: int
    percent: float | None
    interval: tuple[float, float] | None


@dataclass
class QuestionResult:
    question: Question
    answered: int
    options: list[OptionResult] = field(default_factory=list)
    # For a question shown only to some (display rules): how many were asked, and who, as in
    # "answered Yes to ‘Do you drive’". Its percentages are of those asked.
    asked: int | None = None
    asked_of: str = ""

    @property
    def base(self) -> int:
        return self.answered if self.asked is None else self.asked


@dataclass
class Group:
    key: str | None
    label: str
    responses: int
    questions: list[QuestionResult]


@dataclass
class Filters:
    channel: str | None = None
    area: str | None = None
    compare: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.channel or self.area)


@dataclass
class ConsultationResults:
    consultation: Consultation
    filters: Filters
    total_responses: int
    by_channel: dict[str, int]
    by_area: dict[str, int]
    groups: list[Group]  # one group, or one per channel or area when comparing
    # Answers per (question, area) and choices per (option, area), under the filters; None
    # when compared by channel, which sums the tallies by channel instead.
    by_areas: tuple[dict, dict] | None = None

    @property
    def overall(self) -> Group:
        return self.groups[0]


def dimension_label(dimension: str, key: str) -> str:
    if dimension == "channel":
        return CHANNEL_LABELS.get(Channel(key), key) if key in Channel._value2member_map_ else key
    return AREA_NAMES_WITH_NOT_GIVEN.get(key, key)


def check_filters(channel: str | None, area: str | None, compare: str | None) -> Filters:
    """Refuse filter values that name no channel, area or breakdown, so no page shows nonsense."""
    channel, area, compare = channel or None, area or None, compare or None
    if channel is not None and channel not in Channel._value2member_map_:
        raise DomainError("Choose a channel from the list.", field="channel", status=400)
    if area is not None and area not in AREA_NAMES_WITH_NOT_GIVEN:
        raise DomainError("Choose an area from the list.", field="area", status=400)
    if compare is not None and compare not in DIMENSIONS:
        raise DomainError("Compare by channel or by area.", field="compare", status=400)
    return Filters(channel, area, compare)


def _where(source, filters: Filters) -> list:
    conditions = []
    if filters.channel:
        conditions.append(source.c.channel == filters.channel)
    if filters.area:
        conditions.append(source.c.area == filters.area)
    return conditions


def _sums(model, consultation_id, owner_ids, filters: Filters, by: str, waiting: bool) -> dict:
    """Sum a tally per owner and channel or area: {(owner, channel or area): count}."""
    source = tallies.live(model, consultation_id, waiting)
    owner = source.c[tallies.OWNER_COLUMNS[model]]
    columns = [owner, source.c[by]]
    rows = db.session.execute(
        select(*columns, func.sum(source.c.count))
        .where(owner.in_(owner_ids), *_where(source, filters))
        .group_by(*columns)
    )
    return {(row[0], row[1]): int(row[2]) for row in rows if row[2]}


def _merge(counts: dict) -> dict:
    merged: dict = defaultdict(int)
    for (owner, _group), count in counts.items():
        merged[(owner, ALL)] += count
    return merged


def _owner_ids(consultation: Consultation):
    question_ids = select(Question.id).where(Question.consultation_id == consultation.id)
    return question_ids, select(Option.id).where(Option.question_id.in_(question_ids))


def consultation_results(consultation: Consultation, filters: Filters | None = None):
    """Per question: n answered, and each option's count, percentage and 95% Wilson interval.

    The tallies are summed by area unless compared by channel, so that re-weighting by area
    needs no further query (each would add the responses awaiting the tallies in again).
    """
    filters = filters or Filters()
    question_ids, option_ids = _owner_ids(consultation)
    split = filters.compare
    by = "channel" if split == "channel" else "area"
    waiting = tallies.any_awaiting(consultation.id)
    answered = _sums(QuestionTally, consultation.id, question_ids, filters, by, waiting)
    chosen = _sums(OptionTally, consultation.id, option_ids, filters, by, waiting)
    asked = asked_counts(consultation, by, filters.channel, filters.area)
    responses = tallies.live(ResponseTally, consultation.id, waiting)
    rows = db.session.execute(
        select(responses.c.channel, responses.c.area, func.sum(responses.c.count))
        .where(responses.c.consultation_id == consultation.id, *_where(responses, filters))
        .group_by(responses.c.channel, responses.c.area)
    ).all()
    by_channel: dict[str, int]
    by_area: dict[str, int]
    by_channel, by_area = defaultdict(int), defaultdict(int)
    for channel, area, count in rows:
        by_channel[channel] += int(count)
        by_area[area] += int(count)
    by_channel = {key: count for key, count in by_channel.items() if count}
    by_area = {key: count for key, count in by_area.items() if count}
    total = sum(by_channel.values())

    overall = _questions(consultation, _merge(answered), _merge(chosen), ALL, _merge(asked))
    groups = [Group(ALL, "All responses", total, overall)]
    if split:
        counts = by_channel if split == "channel" else by_area
        for key in sorted(counts, key=lambda k: -counts[k]):
            groups.append(
                Group(
                    key,
                    dimension_label(split, key),
                    counts[key],
                    _questions(consultation, answered, chosen, key, asked),
                )
            )
    by_areas = (answered, chosen) if by == "area" else None
    return ConsultationResults(consultation, filters, total, by_channel, by_area, groups, by_areas)


def _questions(consultation, answered, chosen, group, asked) -> list[QuestionResult]:
    results = []
    for question in consultation.questions:
        answered_n = answered.get((question.id, group), 0)
        ruled = bool(question.conditions)
        asked_n = asked.get((question.id, group), 0) if ruled else None
        # Of those asked, for a question shown only to some; else of those who answered.
        n = asked_n if asked_n is not None else answered_n
        options = []
        for option in question.options:
            count = chosen.get((option.id, group), 0)
            options.append(
                OptionResult(
                    option.id,
                    option.label,
                    count,
                    percentage(count, n),
                    wilson_interval(count, n) if n else None,
                )
            )
        results.append(
            QuestionResult(
                question, answered_n, options, asked_n, asked_of(question) if ruled else ""
            )
        )
    return results
