"""Scoring stored texts' sentiment in batches, for every package that stores polarity.

A model `M` with `id`, `text` and `polarity` columns is rescored by id, a batch at a time: one
query to read a batch, one call to the analyser for all its texts, one UPDATE to write.
"""

from collections.abc import Iterator

from sqlalchemy import ColumnElement, select, true

from engage.analysis.sentiment import score
from engage.bulk_updates import set_by_id
from engage.core.extensions import db

RESCORE_BATCH = 2000


def score_rows(model, condition: ColumnElement[bool]) -> int:
    """Score every row of `model` matching `condition` now; return how many."""
    rows = db.session.execute(select(model.id, model.text).where(condition)).all()
    _write(model, rows)
    return len(rows)


def rescore_in_batches(model, condition: ColumnElement[bool] | None = None) -> Iterator[int]:
    """Recompute polarity a batch at a time, by id, yielding each batch's size for progress.

    The caller commits between batches, so a large rescore holds no long transaction.
    """
    last_id = 0
    while True:
        rows = db.session.execute(
            select(model.id, model.text)
            .where(condition if condition is not None else true(), model.id > last_id)
            .order_by(model.id)
            .limit(RESCORE_BATCH)
        ).all()
        if not rows:
            return
        _write(model, rows)
        last_id = rows[-1].id
        yield len(rows)


def _write(model, rows) -> None:
    if not rows:
        return
    results = score([row.text for row in rows])
    polarities = {row.id: result.score for row, result in zip(rows, results, strict=True)}
    set_by_id(model, "polarity", polarities, float)
