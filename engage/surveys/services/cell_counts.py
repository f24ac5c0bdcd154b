"""A consultation's counts per area and age band under the results' filters, from the age
band tallies (`age_tally_models`), for weighting by area and age band."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select

from engage.core.extensions import db
from engage.surveys.age_tally_models import OptionAgeTally, QuestionAgeTally, ResponseAgeTally
from engage.surveys.models import Consultation, Option, Question
from engage.surveys.services import tallies
from engage.surveys.services.results import Filters

Cell = tuple[str, str]  # (area, age band)


@dataclass
class CellCounts:
    responses: dict[Cell, int]
    answered: dict[tuple[int, Cell], int]  # (question id, cell): responses answering it
    chosen: dict[tuple[int, Cell], int]  # (option id, cell): responses choosing it


def _sums(model, consultation_id: int, owner_ids, filters: Filters, waiting: bool) -> dict:
    """Sum a live age band tally per owner, area and age band, under the channel filter."""
    source = tallies.live(model, consultation_id, waiting)
    owner = source.c[tallies.OWNER_COLUMNS[model]]
    conditions: list[ColumnElement[bool]] = [owner.in_(owner_ids)]
    if filters.channel:
        conditions.append(source.c.channel == filters.channel)
    if filters.area:
        conditions.append(source.c.area == filters.area)
    keys = (owner, source.c.area, source.c.age_band)
    rows = db.session.execute(
        select(*keys, func.sum(source.c.count)).where(*conditions).group_by(*keys)
    )
    return {(row[0], (row[1], row[2])): int(row[3]) for row in rows if row[3]}


def cell_counts(consultation: Consultation, filters: Filters) -> CellCounts:
    """Responses, answers and choices per area and age band: three GROUP BYs over the tallies."""
    question_ids = select(Question.id).where(Question.consultation_id == consultation.id)
    option_ids = select(Option.id).where(Option.question_id.in_(question_ids))
    waiting = tallies.any_awaiting(consultation.id)
    responses: dict[Cell, int] = defaultdict(int)
    own = select(db.literal(consultation.id))
    for (_owner, cell), count in _sums(
        ResponseAgeTally, consultation.id, own, filters, waiting
    ).items():
        responses[cell] += count
    return CellCounts(
        dict(responses),
        _sums(QuestionAgeTally, consultation.id, question_ids, filters, waiting),
        _sums(OptionAgeTally, consultation.id, option_ids, filters, waiting),
    )
