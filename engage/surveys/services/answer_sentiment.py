"""The sentiment of free-text answers, scored after the reply rather than on submission.

Scoring one comment with the trained model costs far more than the rest of a submission's
Python (see bench/README.md), so a free-text answer is stored with polarity NULL ("not scored
yet") and scored in a batch when its response is folded into the tallies. `rescore_answers`
recomputes every free-text answer after the analyser changes.
"""

from collections.abc import Iterator, Sequence

from sqlalchemy import func, select

from engage.core.extensions import db
from engage.sentiment.scoring import rescore_in_batches, score_rows
from engage.surveys.models import Answer, Response

FREE_TEXT = Answer.text.is_not(None)


def score_answers_of(response_ids: Sequence[int]) -> int:
    """Score the responses' free-text answers not yet scored; return how many."""
    if not response_ids:
        return 0
    return score_rows(
        Answer, Answer.response_id.in_(response_ids) & FREE_TEXT & Answer.polarity.is_(None)
    )


def score_unscored_of_consultation(consultation_id: int) -> int:
    """Score every free-text answer of the consultation not yet scored (after a recount, which
    takes responses off the awaiting list without folding them)."""
    of_consultation = Answer.response_id.in_(
        select(Response.id).where(Response.consultation_id == consultation_id)
    )
    unscored = of_consultation & FREE_TEXT & Answer.polarity.is_(None)
    return sum(rescore_in_batches(Answer, unscored))


def count_free_text_answers() -> int:
    return db.session.execute(
        select(func.count()).select_from(Answer).where(FREE_TEXT)
    ).scalar_one()


def rescore_answers() -> Iterator[int]:
    """Recompute every free-text answer's polarity a batch at a time, yielding batch sizes."""
    return rescore_in_batches(Answer, FREE_TEXT)
