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
    SQLColumnExpression,
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

from engage.core.extensions import Model, db
from engage.surveys.age_tally_models import (
    AGE_NOT_GIVEN,
    OptionAgeTally,
    QuestionAgeTally,
    ResponseAgeTally,
)
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

TallyKey = tuple  # (owner id, channel, area), and the age band in the age band tallies


@cache
def _upsert(table_name: str, key: tuple[str, ...]):
    """The tally upsert in the SQL PostgreSQL and SQLite share. Text, because SQLAlchemy does
    not cache the compiled form of its dialect ON CONFLICT constructs and compiling three of
    them for every response was a large share of its cost."""
    columns = ", ".join(key)
    return text(
        f"INSERT INTO {table_name} ({columns}, count) "
        f"VALUES ({', '.join(':' + column for column in key)}, :count) "
        f"ON CONFLICT ({columns}) "
        f"DO UPDATE SET count = {table_name}.count + excluded.count"
    )


def key_columns(model) -> tuple[str, ...]:
    """The columns a tally table's rows are counted by."""
    base = (OWNER_COLUMNS[model], "channel", "area")
    return (*base, "age_band") if model in AGE_TALLIES else base


def _add_counts(model, counts: Counter) -> None:
    """Add `counts` to a tally table, a row per key, as one executemany.

    Keys are sorted so concurrent transactions lock rows in the same order and cannot deadlock.
    """
    if not counts:
        return
    key = key_columns(model)
    rows = [
        {**dict(zip(key, values, strict=True)), "count": count}
        for values, count in sorted(counts.items())
    ]
    db.session.connection().execute(_upsert(model.__tablename__, key), rows)


# The tally tables and the column that names what each row counts.
OWNER_COLUMNS = {
    ResponseTally: "consultation_id",
    QuestionTally: "question_id",
    OptionTally: "option_id",
    ResponseAgeTally: "consultation_id",
    QuestionAgeTally: "question_id",
    OptionAgeTally: "option_id",
}
# Each age band tally and the tally it splits by age band.
AGE_TALLIES = {
    ResponseAgeTally: ResponseTally,
    QuestionAgeTally: QuestionTally,
    OptionAgeTally: OptionTally,
}
FOLD_BATCH = 500  # responses per fold transaction; well under SQLite's bound-parameter limit
# Any fixed number serves; this one spells "engage" and tallies rows, in hex.
_ADVISORY_LOCK_KEY = 0x656E67616765


def _count_queries(
    *conditions: ColumnElement[bool], answers_of: ColumnElement[bool] | None = None
) -> dict[type[Model], Select]:
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
    age = func.coalesce(type_coerce(Response.age_band, String), AGE_NOT_GIVEN)
    queries = {}
    for model, extra in [(m, []) for m in AGE_TALLIES.values()] + [(m, [age]) for m in AGE_TALLIES]:
        queries[model] = _count_query(model, conditions, answers, [channel, Response.area, *extra])
    return queries


def _count_query(model, conditions, answers, keys: list) -> Select:
    """One tally table's GROUP BY: (owner, *keys, count)."""
    owner = OWNER_COLUMNS[model]
    if owner == "consultation_id":
        return (
            select(Response.consultation_id, *keys, func.count())
            .where(*conditions)
            .group_by(Response.consultation_id, *keys)
        )
    if owner == "question_id":
        return (
            select(Answer.question_id, *keys, func.count(distinct(Answer.response_id)))
            .join(Response, Answer.response_id == Response.id)
            .where(*conditions, *answers)
            .group_by(Answer.question_id, *keys)
        )
    return (
        select(Answer.option_id, *keys, func.count())
        .join(Response, Answer.response_id == Response.id)
        .where(*conditions, *answers, Answer.option_id.is_not(None))
        .group_by(Answer.option_id, *keys)
    )


def _on_postgresql() -> bool:
    """The few places below where PostgreSQL and SQLite need different SQL ask this."""
    return db.session.get_bind().dialect.name == "postgresql"


def _is_awaiting(response_id: SQLColumnExpression[int]) -> ColumnElement[bool]:
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


def _waiting_counts(consultation_id: int | None = None) -> dict[type[Model], Select]:
    """The counts of the responses awaiting the tallies (of one consultation)."""
    waiting = [_is_awaiting(Response.id)]
    if consultation_id is not None:
        waiting.append(Response.consultation_id == consultation_id)
    return _count_queries(*waiting, answers_of=_answers_also_of(_is_awaiting(Answer.response_id)))


def any_awaiting(consultation_id: int) -> bool:
    """Whether any of the consultation's responses wait to be folded into the tallies.

    One indexed look: when none do (the usual case between folds), a page reads the tallies
    alone rather than adding an empty count of waiting answers to each of its sums, which on
    PostgreSQL cost more than the sum itself. A response stored just after the look is
    counted by the next view, as if the page had been asked for a moment earlier.
    """
    queue = ResponseAwaitingTally.__table__
    first = db.session.scalar(
        select(queue.c.response_id)
        .join(Response, Response.id == queue.c.response_id)
        .where(Response.consultation_id == consultation_id)
        .limit(1)
    )
    return first is not None


def live(model, consultation_id: int | None = None, waiting: bool = True) -> Subquery:
    """A tally table with the responses not yet folded into it added on: rows of (owner column,
    channel, area[, age band], count), several per key, to be summed. Exact whenever read.

    With `consultation_id`, only that consultation's waiting responses are added; the caller
    still picks that consultation's owners from the result. `waiting=False` (the caller has
    seen `any_awaiting` say none) reads the tally table alone.
    """
    tallied = select(
        *(getattr(model, column).label(column) for column in key_columns(model)),
        model.count.label("count"),
    )
    if not waiting:
        return tallied.subquery(f"live_{model.__tablename__}")
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
            counts = Counter({tuple(row[:-1]): row[-1] for row in db.session.execute(query)})
            _add_counts(model, counts)
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
    return db.session.execute(select(func.count()).select_from(ResponseAwaitingTally)).scalar_one()


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
        counts = Counter({tuple(row[:-1]): -row[-1] for row in db.session.execute(query)})
        _add_counts(model, counts)
    return True


@dataclass
class TallySnapshot:
    """Counts per tally table, keyed as the table's rows are."""

    tables: dict[type[Model], dict[TallyKey, int]]

    @property
    def responses(self) -> dict[TallyKey, int]:
        return self.tables[ResponseTally]

    @property
    def questions(self) -> dict[TallyKey, int]:
        return self.tables[QuestionTally]

    @property
    def options(self) -> dict[TallyKey, int]:
        return self.tables[OptionTally]


def _snapshot(queries: dict[type[Model], Select]) -> TallySnapshot:
    return TallySnapshot({model: _as_dict(query) for model, query in queries.items()})


def _owner_ids(consultation_id: int) -> dict[type[Model], Select]:
    question_ids = select(Question.id).where(Question.consultation_id == consultation_id)
    option_ids = select(Option.id).where(Option.question_id.in_(question_ids))
    ids = {
        ResponseTally: select(db.literal(consultation_id)),
        QuestionTally: question_ids,
        OptionTally: option_ids,
    }
    return ids | {age_model: ids[model] for age_model, model in AGE_TALLIES.items()}


def stored_tallies(consultation_id: int) -> TallySnapshot:
    """What the results pages count for one consultation: tallies plus responses awaiting."""
    queries = {}
    for model, owner_ids in _owner_ids(consultation_id).items():
        source = live(model, consultation_id)
        keys = [source.c[column] for column in key_columns(model)]
        queries[model] = (
            select(*keys, func.sum(source.c.count)).where(keys[0].in_(owner_ids)).group_by(*keys)
        )
    return _snapshot(queries)


def counted_from_answers(consultation_id: int) -> TallySnapshot:
    """Count the same figures from the responses and answers themselves (a full scan)."""
    return _snapshot(_count_queries(Response.consultation_id == consultation_id))


def _as_dict(query) -> dict[TallyKey, int]:
    result = {}
    for *key, count in db.session.execute(query):
        if count:
            result[(key[0], *(str(value) for value in key[1:]))] = int(count)
    return result


def compare_tallies(consultation_id: int) -> list[str]:
    """Return a line for every count that differs from a full recount; empty when all agree."""
    stored = stored_tallies(consultation_id)
    counted = counted_from_answers(consultation_id)
    differences = []
    for model, want in counted.tables.items():
        have = stored.tables[model]
        for key in sorted(set(have) | set(want), key=str):
            if have.get(key, 0) != want.get(key, 0):
                differences.append(
                    f"{model.__tablename__} {key}: tally {have.get(key, 0)}, "
                    f"recount {want.get(key, 0)}"
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
        _add_counts(model, Counter(counted.tables[model]))
    db.session.flush()
