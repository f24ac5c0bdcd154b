"""What a consultation's answers are checked against, read in one light query and cached.

Sending a response needs only each question's rules, not its ORM object with options, so the
busiest path reads them as plain rows: one query instead of loading and building ~50 objects.
Each process keeps the rules it read, keyed by the consultation's id and `questions_revision`,
which changes with every edit to the consultation or its questions. A response's insert
re-checks that revision in the same statement (responses.submit_response), so answers checked
against a stale copy are never stored.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, select

from engage.core.extensions import db
from engage.surveys.models import Consultation, Option, Question, QuestionKind
from engage.surveys.section_models import Condition, DisplayRule, Section


@dataclass(frozen=True)
class QuestionRules:
    id: int
    kind: QuestionKind
    prompt: str
    required: bool
    max_length: int
    option_ids: frozenset[int]
    # Options chosen on their own ("None of these"), by id, with their labels for the error.
    exclusive_labels: Mapping[int, str] = field(default_factory=dict)
    # The rules deciding whether it is asked at all (section_models.Condition).
    conditions: tuple[Condition, ...] = ()

    @property
    def field_name(self) -> str:
        return f"q{self.id}"


_cached: dict[tuple[int, int], list[QuestionRules]] = {}
_CACHE_LIMIT = 64  # consultations; far more than are ever open at once


def question_rules(consultation_id: int, revision: int | None = None) -> list[QuestionRules]:
    """The consultation's questions in order, with the ids of their options.

    With the consultation's current `questions_revision`, a copy read earlier by this process
    serves; without it the rules are always read.
    """
    if revision is None:
        return _read_rules(consultation_id)
    key = (consultation_id, revision)
    rules = _cached.get(key)
    if rules is None:
        rules = _read_rules(consultation_id)
        if len(_cached) >= _CACHE_LIMIT:
            # The earliest read goes (dicts keep insertion order), not every warm entry.
            del _cached[next(iter(_cached))]
        _cached[key] = rules
    return rules


def _read_rules(consultation_id: int) -> list[QuestionRules]:
    """Without sections or display rules this is one query, as it always was."""
    conditions: dict[int, tuple[Condition, ...]] = {}
    has_sections = bool(
        db.session.scalar(
            select(
                select(DisplayRule.id)
                .where(DisplayRule.consultation_id == consultation_id)
                .exists()
                | select(Section.id).where(Section.consultation_id == consultation_id).exists()
            )
        )
    )
    if has_sections:
        consultation = db.session.get(Consultation, consultation_id)
        conditions = {q.id: q.conditions for q in consultation.questions} if consultation else {}
    rows = db.session.execute(
        select(
            Question.id,
            Question.kind,
            Question.prompt,
            Question.required,
            Question.max_length,
            Option.id,
            Option.exclusive,
            Option.label,
        )
        .outerjoin(Option, Option.question_id == Question.id)
        .outerjoin(Section, Section.id == Question.section_id)
        .where(Question.consultation_id == consultation_id)
        .order_by(*_order(has_sections))
    )
    questions: dict[int, tuple[QuestionKind, str, bool, int]] = {}
    options: dict[int, set[int]] = {}
    exclusive: dict[int, dict[int, str]] = {}
    for question_id, kind, prompt, required, max_length, option_id, alone, label in rows:
        questions.setdefault(question_id, (kind, prompt, required, max_length))
        chosen = options.setdefault(question_id, set())
        only = exclusive.setdefault(question_id, {})
        if option_id is not None:
            chosen.add(option_id)
            if alone:
                only[option_id] = label
    return [
        QuestionRules(
            question_id,
            *fields,
            frozenset(options[question_id]),
            exclusive[question_id],
            conditions.get(question_id, ()),
        )
        for question_id, fields in questions.items()
    ]


def _order(has_sections: bool) -> list:
    """Questions in no section first, then section by section, as the public meet them."""
    by_position = [Question.position, Question.id]
    if not has_sections:
        return by_position
    return [func.coalesce(Section.position, -1), *by_position]
