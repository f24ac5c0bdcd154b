"""Running counts behind the results pages.

Storing a response does not touch the tally tables: every submission would otherwise update
the same few hot rows, one transaction after another. A database trigger lists each stored
response in `responses_awaiting_tally` (ResponseAwaitingTally), and `fold_batch` later takes a
batch off that list and adds its counts to the tallies, in one transaction. Readers use
`live`, which adds the few responses still listed to the tally rows in the same statement, so
every count the results pages show is exact.

A fold takes the rows it deletes from the list, not an id range, so a response committed late
(with a lower id than one already folded) is simply folded next time, and no response can be
taken by two folds. Folds, recounts and withdrawals take one PostgreSQL advisory lock so they
never add to the same rows at once; SQLite allows one writer at a time anyway.

`recount_tallies` rebuilds the tallies with GROUP BY queries and `compare_tallies` proves the
counts the pages show equal a full recount.
"""

from collections import Counter
from dataclasses import dataclass
from functools import cache

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    Select,
    String,
    Subquery,
    any_,
    cast,
    delete,
    distinct,
    exists,
    func,
    select,
    text,
    type_coerce,
    union_all,
)

from engage.core.extensions import db
from engage.surveys.models import (
    Answer,
    Option,
    OptionTally,
    Question,
    QuestionTally,
    Response,
    ResponseAwaitingTally,
    ResponseTally,
)
from engage.surveys.services import answer_sentiment

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


# The tally tables and the column that names what each row counts.
OWNER_COLUMNS = {
    ResponseTally: "consultation_id",
    QuestionTally: "question_id",
    OptionTally: "option_id",
}
FOLD_BATCH = 500  # responses per fold transaction; well under SQLite's bound-parameter limit
# Any fixed number serves; this one spells "engage" and tallies rows, in hex.
_ADVISORY_LOCK_KEY = 0x656E67616765


def _count_queries(
    *conditions: ColumnElement[bool], answers_of: ColumnElement[bool] | None = None
) -> dict[type, Select]:
    """For the responses matching `conditions`, one (owner, channel, area, count) GROUP BY per
    tally table: responses per consultation, responses answering each question, choices of
    each option.

    `answers_of`, when given, picks the same responses by `Answer.response_id`. It makes the
    planner start from those few and look their answers up by response id; left to itself
    SQLite walked the whole answers index in GROUP BY order, which took a second at 100,000
    responses even with no response waiting.
    """
    # VARCHAR in the database; read as text so the rows match the tally tables' own.
    channel = type_coerce(Response.channel, String)
    answers = [answers_of] if answers_of is not None else []
    return {
        ResponseTally: select(Response.consultation_id, channel, Response.area, func.count())
        .where(*conditions)
        .group_by(Response.consultation_id, channel, Response.area),
        QuestionTally: select(
            Answer.question_id, channel, Response.area, func.count(distinct(Answer.response_id))
        )
        .join(Response, Answer.response_id == Response.id)
        .where(*conditions, *answers)
        .group_by(Answer.question_id, channel, Response.area),
        OptionTally: select(Answer.option_id, channel, Response.area, func.count())
        .join(Response, Answer.response_id == Response.id)
        .where(*conditions, *answers, Answer.option_id.is_not(None))
        .group_by(Answer.option_id, channel, Response.area),
    }


def _on_postgresql() -> bool:
    """The few places below where PostgreSQL and SQLite need different SQL ask this."""
    return db.session.get_bind().dialect.name == "postgresql"


def _is_awaiting(response_id: ColumnElement[int]) -> ColumnElement[bool]:
    """The response `response_id` names is on the awaiting list.

    On PostgreSQL as `= ANY(the list as one array)`: the list is read once, then responses and
    answers are looked up by index whatever the planner's statistics say. Written as a plain
    IN, stale statistics after a bulk load led it to scan all nine million answers (37 s).
    SQLite's planner starts from the list as it is.
    """
    queue = ResponseAwaitingTally.__table__
    if _on_postgresql():
        # Cast, so ANY reads one array value rather than a subquery's set of rows.
        listed = select(func.array_agg(queue.c.response_id)).scalar_subquery()
        return response_id == any_(cast(listed, ARRAY(Integer)))
    return response_id.in_(select(queue.c.response_id))


def _answers_also_of(condition: ColumnElement[bool]) -> ColumnElement[bool] | None:
    """The responses' condition restated on the answers' side, where the planner needs it.

    SQLite does (see `_count_queries`). PostgreSQL starts from the responses found and joins
    their answers by index; the same list repeated there is compared again at every answer
    looked up, which made 2,000 waiting responses cost 140 ms instead of 28.
    """
    return None if _on_postgresql() else condition


def _waiting_counts(consultation_id: int | None = None) -> dict[type, Select]:
    """The counts of the responses awaiting the tallies (of one consultation)."""
    waiting = [_is_awaiting(Response.id)]
    if consultation_id is not None:
        waiting.append(Response.consultation_id == consultation_id)
    return _count_queries(*waiting, answers_of=_answers_also_of(_is_awaiting(Answer.response_id)))


def live(model, consultation_id: int | None = None) -> Subquery:
    """A tally table with the responses not yet folded into it added on: rows of (owner column,
    channel, area, count), several per key, to be summed. Exact whenever it is read.

    With `consultation_id`, only that consultation's waiting responses are added; the caller
    still picks that consultation's owners from the result.
    """
    owner = OWNER_COLUMNS[model]
    tallied = select(
        getattr(model, owner).label(owner), model.channel, model.area, model.count.label("count")
    )
    pending = _waiting_counts(consultation_id)[model]
    return union_all(tallied, pending).subquery(f"live_{model.__tablename__}")


def _serialise_writers(wait: bool = True) -> bool:
    """Take the lock folds, recounts and withdrawals share, until the transaction ends; False
    when `wait` is off and another holds it. Only PostgreSQL needs it."""
    if not _on_postgresql():
        return True
    if wait:
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
        return True
    return bool(
        db.session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY}
        )
    )


def fold_batch(limit: int | None = None, wait: bool = True) -> int:
    """Add up to `limit` (default FOLD_BATCH) awaiting responses to the tallies, score their
    free-text answers, and take them off the list; return how many. Returns 0 without waiting
    when `wait` is off and another fold is running."""
    limit = limit or FOLD_BATCH
    if not _serialise_writers(wait):
        return 0
    queue = ResponseAwaitingTally.__table__
    # Deleting is what takes a response: a row deleted by one transaction cannot be deleted
    # by another, so no response is ever counted twice.
    taken = list(
        db.session.execute(
            delete(queue)
            .where(queue.c.response_id.in_(select(queue.c.response_id).limit(limit)))
            .returning(queue.c.response_id)
        ).scalars()
    )
    if taken:
        for model, query in _count_queries(
            Response.id.in_(taken), answers_of=_answers_also_of(Answer.response_id.in_(taken))
        ).items():
            counts = Counter({tuple(row[:3]): row[3] for row in db.session.execute(query)})
            _add_counts(model, OWNER_COLUMNS[model], counts)
        answer_sentiment.score_answers_of(taken)
    return len(taken)


def tidy_awaiting_list() -> None:
    """Give back the space of the awaiting list's deleted rows (PostgreSQL only).

    Every fold deletes rows from the list, and PostgreSQL keeps a deleted row until VACUUM.
    Autovacuum does this by itself where it is on; where it is off (as on the development
    machine), each read of the list would otherwise step over every response ever folded.
    VACUUM cannot run in a transaction, so it has a connection of its own.
    """
    if not _on_postgresql():
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"VACUUM {ResponseAwaitingTally.__tablename__}"))


def count_pending() -> int:
    """How many stored responses the tallies do not include yet."""
    return db.session.scalar(select(func.count()).select_from(ResponseAwaitingTally))


def take_out_of_tallies(response_id: int) -> bool:
    """Before a response is deleted: take its answers out of the tallies if a fold had added
    them. Returns False when there is no such response."""
    _serialise_writers()
    queue = ResponseAwaitingTally.__table__
    # Deleting its entry first also takes SQLite's write lock, so no fold can take the
    # response between this check and what follows.
    was_waiting = db.session.execute(
        delete(queue).where(queue.c.response_id == response_id).returning(queue.c.response_id)
    ).first()
    if was_waiting:
        return True
    if db.session.get(Response, response_id) is None:
        return False
    for model, query in _count_queries(
        Response.id == response_id, answers_of=Answer.response_id == response_id
    ).items():
        counts = Counter({tuple(row[:3]): -row[3] for row in db.session.execute(query)})
        _add_counts(model, OWNER_COLUMNS[model], counts)
    return True


@dataclass
class TallySnapshot:
    responses: dict[TallyKey, int]
    questions: dict[TallyKey, int]
    options: dict[TallyKey, int]


def _snapshot(queries: dict[type, Select]) -> TallySnapshot:
    return TallySnapshot(
        responses=_as_dict(queries[ResponseTally]),
        questions=_as_dict(queries[QuestionTally]),
        options=_as_dict(queries[OptionTally]),
    )


def _owner_ids(consultation_id: int) -> dict[type, Select]:
    question_ids = select(Question.id).where(Question.consultation_id == consultation_id)
    return {
        ResponseTally: select(db.literal(consultation_id)),
        QuestionTally: question_ids,
        OptionTally: select(Option.id).where(Option.question_id.in_(question_ids)),
    }


def stored_tallies(consultation_id: int) -> TallySnapshot:
    """What the results pages count for one consultation: tallies plus responses awaiting."""
    queries = {}
    for model, owner_ids in _owner_ids(consultation_id).items():
        source = live(model, consultation_id)
        owner = source.c[OWNER_COLUMNS[model]]
        queries[model] = (
            select(owner, source.c.channel, source.c.area, func.sum(source.c.count))
            .where(owner.in_(owner_ids))
            .group_by(owner, source.c.channel, source.c.area)
        )
    return _snapshot(queries)


def counted_from_answers(consultation_id: int) -> TallySnapshot:
    """Count the same figures from the responses and answers themselves (a full scan)."""
    return _snapshot(_count_queries(Response.consultation_id == consultation_id))


def _as_dict(query) -> dict[TallyKey, int]:
    result = {}
    for owner, channel, area, count in db.session.execute(query):
        if count:
            result[(owner, str(channel), area)] = int(count)
    return result


def compare_tallies(consultation_id: int) -> list[str]:
    """Return a line for every count that differs from a full recount; empty when all agree."""
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
    """Replace a consultation's tallies with a full recount (after bulk loads or repairs).

    Every response stored so far is taken off the awaiting list and counted; one committed
    while this runs stays listed and is folded later, so none is counted twice or missed.
    """
    _serialise_writers()
    queue = ResponseAwaitingTally.__table__
    of_this_consultation = (
        select(Response.id)
        .where(Response.id == queue.c.response_id, Response.consultation_id == consultation_id)
        .exists()
    )
    db.session.execute(delete(queue).where(of_this_consultation))
    answer_sentiment.score_unscored_of_consultation(consultation_id)
    still_awaiting = exists().where(queue.c.response_id == Response.id)
    counted = _snapshot(
        _count_queries(Response.consultation_id == consultation_id, ~still_awaiting)
    )
    owner_ids = _owner_ids(consultation_id)
    for model, owner in OWNER_COLUMNS.items():
        db.session.execute(delete(model).where(getattr(model, owner).in_(owner_ids[model])))
    _add_counts(ResponseTally, "consultation_id", Counter(counted.responses))
    _add_counts(QuestionTally, "question_id", Counter(counted.questions))
    _add_counts(OptionTally, "option_id", Counter(counted.options))
    db.session.flush()
