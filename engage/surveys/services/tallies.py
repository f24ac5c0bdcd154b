"""Running counts behind the results pages.

Each stored response adds to small tally tables in the same transaction, so the results page
reads a few thousand rows however many responses there are, and its counts are exact.
`recount_tallies` rebuilds them with GROUP BY queries and `compare_tallies` proves they agree.
"""

from collections import Counter
from dataclasses import dataclass
from functools import cache

from sqlalchemy import delete, distinct, func, select, text

from engage.extensions import db
from engage.surveys.models import (
    Answer,
    Option,
    OptionTally,
    Question,
    QuestionTally,
    Response,
    ResponseTally,
)

TallyKey = tuple  # (owner id, channel, area)


@cache
def _upsert(table_name: str, owner_column: str):
    """The tally upsert in the SQL PostgreSQL and SQLite share. Text, because SQLAlchemy does
    not cache the compiled form of its dialect ON CONFLICT constructs and compiling three of
    them for every response was a large share of its cost."""
    return text(
        f"INSERT INTO {table_name} ({owner_column}, channel, area, count) "
        f"VALUES (:{owner_column}, :channel, :area, :count) "
        f"ON CONFLICT ({owner_column}, channel, area) "
        f"DO UPDATE SET count = {table_name}.count + excluded.count"
    )


def _add_counts(model, owner_column: str, counts: Counter) -> None:
    """Add `counts` to a tally table, a row per key, as one executemany.

    Keys are sorted so concurrent transactions lock rows in the same order and cannot deadlock.
    """
    if not counts:
        return
    rows = [
        {owner_column: owner, "channel": channel, "area": area, "count": count}
        for (owner, channel, area), count in sorted(counts.items())
    ]
    statement = _upsert(model.__tablename__, owner_column)
    db.session.connection().execute(statement, rows)


def count_response(
    consultation_id: int,
    channel: str,
    area: str,
    question_ids: set[int],
    option_ids: list[int],
    sign: int = 1,
) -> None:
    """Add one response's answers to the tallies (or, with `sign=-1`, take them out)."""
    _add_counts(ResponseTally, "consultation_id", Counter({(consultation_id, channel, area): sign}))
    _add_counts(
        QuestionTally, "question_id", Counter({(qid, channel, area): sign for qid in question_ids})
    )
    _add_counts(
        OptionTally, "option_id", Counter({(oid, channel, area): sign for oid in option_ids})
    )


@dataclass
class TallySnapshot:
    responses: dict[TallyKey, int]
    questions: dict[TallyKey, int]
    options: dict[TallyKey, int]


def stored_tallies(consultation_id: int) -> TallySnapshot:
    """Read the tally tables for one consultation."""
    question_ids = select(Question.id).where(Question.consultation_id == consultation_id)
    option_ids = select(Option.id).where(Option.question_id.in_(question_ids))
    return TallySnapshot(
        responses=_as_dict(
            select(
                ResponseTally.consultation_id,
                ResponseTally.channel,
                ResponseTally.area,
                ResponseTally.count,
            ).where(ResponseTally.consultation_id == consultation_id)
        ),
        questions=_as_dict(
            select(
                QuestionTally.question_id,
                QuestionTally.channel,
                QuestionTally.area,
                QuestionTally.count,
            ).where(QuestionTally.question_id.in_(question_ids))
        ),
        options=_as_dict(
            select(
                OptionTally.option_id, OptionTally.channel, OptionTally.area, OptionTally.count
            ).where(OptionTally.option_id.in_(option_ids))
        ),
    )


def counted_from_answers(consultation_id: int) -> TallySnapshot:
    """Count the same figures from the responses and answers themselves (a full scan)."""
    in_consultation = Response.consultation_id == consultation_id
    channel = Response.channel
    return TallySnapshot(
        responses=_as_dict(
            select(Response.consultation_id, channel, Response.area, func.count())
            .where(in_consultation)
            .group_by(Response.consultation_id, channel, Response.area)
        ),
        questions=_as_dict(
            select(
                Answer.question_id, channel, Response.area, func.count(distinct(Answer.response_id))
            )
            .join(Response, Answer.response_id == Response.id)
            .where(in_consultation)
            .group_by(Answer.question_id, channel, Response.area)
        ),
        options=_as_dict(
            select(Answer.option_id, channel, Response.area, func.count())
            .join(Response, Answer.response_id == Response.id)
            .where(in_consultation, Answer.option_id.is_not(None))
            .group_by(Answer.option_id, channel, Response.area)
        ),
    )


def _as_dict(query) -> dict[TallyKey, int]:
    result = {}
    for owner, channel, area, count in db.session.execute(query):
        if count:
            result[(owner, str(channel), area)] = count
    return result


def compare_tallies(consultation_id: int) -> list[str]:
    """Return a line for every tally that differs from a full recount; empty when all agree."""
    stored = stored_tallies(consultation_id)
    counted = counted_from_answers(consultation_id)
    differences = []
    for table in ("responses", "questions", "options"):
        have, want = getattr(stored, table), getattr(counted, table)
        for key in sorted(set(have) | set(want), key=str):
            if have.get(key, 0) != want.get(key, 0):
                differences.append(
                    f"{table} {key}: tally {have.get(key, 0)}, recount {want.get(key, 0)}"
                )
    return differences


def recount_tallies(consultation_id: int) -> None:
    """Replace a consultation's tallies with a full recount (after bulk loads or repairs)."""
    counted = counted_from_answers(consultation_id)
    question_ids = select(Question.id).where(Question.consultation_id == consultation_id)
    option_ids = select(Option.id).where(Option.question_id.in_(question_ids))
    db.session.execute(
        delete(ResponseTally).where(ResponseTally.consultation_id == consultation_id)
    )
    db.session.execute(delete(QuestionTally).where(QuestionTally.question_id.in_(question_ids)))
    db.session.execute(delete(OptionTally).where(OptionTally.option_id.in_(option_ids)))
    _add_counts(ResponseTally, "consultation_id", Counter(counted.responses))
    _add_counts(QuestionTally, "question_id", Counter(counted.questions))
    _add_counts(OptionTally, "option_id", Counter(counted.options))
    db.session.flush()
