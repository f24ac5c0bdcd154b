"""How many people were asked a question that display rules show only to some.

A response holds an answer to a question only if the question was asked (answers to questions
not asked are never stored), so the people asked a question are the responses whose answers
meet its rules. Counted in SQL per channel or area, under the results' filters; one query per
question with rules, none for a consultation without them.
"""

from sqlalchemy import and_, exists, func, select

from engage.core.extensions import db
from engage.surveys.models import Answer, Consultation, Question, Response
from engage.surveys.section_models import Condition


def _met(condition: Condition):
    answered = select(Answer.id).where(
        Answer.response_id == Response.id, Answer.question_id == condition.depends_on_id
    )
    chosen = answered.where(Answer.option_id.in_(sorted(condition.option_ids)))
    if condition.negate:
        return and_(exists(answered), ~exists(chosen))
    return exists(chosen)


def asked_counts(
    consultation: Consultation, by: str, channel: str | None, area: str | None
) -> dict[tuple[int, str], int]:
    """{(question id, channel or area): people asked} for each question with display rules."""
    counts: dict[tuple[int, str], int] = {}
    group = Response.channel if by == "channel" else Response.area
    for question in consultation.questions:
        conditions = question.conditions
        if not conditions:
            continue
        query = select(group, func.count()).where(
            Response.consultation_id == consultation.id, *(_met(c) for c in conditions)
        )
        if channel:
            query = query.where(Response.channel == channel)
        if area:
            query = query.where(Response.area == area)
        for key, count in db.session.execute(query.group_by(group)):
            counts[(question.id, str(key))] = int(count)
    return counts


def asked_of(question: Question) -> str:
    """ "answered Yes to ‘Do you drive’" (and each further rule), or "" if asked of everyone."""
    return " and ".join(condition.description for condition in question.conditions)
