"""Free-text answers for staff to read, with their sentiment, filtered and a page at a time."""

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.core.text_queries import (
    SENTIMENTS,
    UNSCORED,
    contains_phrase,
    sentiment_condition,
    sentiment_label,
)
from engage.surveys.models import Answer, Consultation, Question, QuestionKind, Response

PER_PAGE = 50
SEARCH_MAX = 100


def free_text_question(consultation: Consultation, question_id: int) -> Question:
    """Return the consultation's free-text question with this id, or raise a 404."""
    question = db.session.get(Question, question_id)
    if (
        question is None
        or question.consultation_id != consultation.id
        or question.kind != QuestionKind.FREE_TEXT
    ):
        raise DomainError(
            "That question has no free-text answers in this consultation.", status=404
        )
    return question


def list_free_text(
    question: Question, page: int = 1, sentiment: str | None = None, search: str | None = None
):
    """A page of the question's comments, newest first, optionally by sentiment or a phrase."""
    if sentiment and sentiment not in SENTIMENTS:
        raise DomainError("Choose positive, neutral or negative.", field="sentiment", status=400)
    if search and len(search) > SEARCH_MAX:
        raise DomainError(
            f"Search for {SEARCH_MAX} characters or fewer.", field="search", status=400
        )
    query = (
        select(Answer)
        .join(Answer.response)
        .options(contains_eager(Answer.response))
        .where(Answer.question_id == question.id, Answer.text.is_not(None))
        .order_by(Response.submitted_at.desc(), Answer.id.desc())
    )
    if sentiment:
        query = query.where(sentiment_condition(Answer.polarity, sentiment))
    if search:
        query = query.where(contains_phrase(Answer.text, search))
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False, count=True)


def sentiment_counts(question: Question) -> dict[str, int]:
    """How many of the question's comments are positive, neutral, negative and not scored yet
    (one GROUP BY)."""
    label = sentiment_label(Answer.polarity)
    rows = db.session.execute(
        select(label, func.count())
        .where(Answer.question_id == question.id, Answer.text.is_not(None))
        .group_by(label)
    )
    counts = dict.fromkeys((*SENTIMENTS, UNSCORED), 0)
    counts.update({name: count for name, count in rows})
    return counts
