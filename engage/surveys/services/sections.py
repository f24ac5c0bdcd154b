"""Building a consultation's sections (its pages) and the rules that show a question or
section only to people who gave a certain earlier answer.

Once a question has answers, nothing may change who was asked it: its rule, its section's rule,
or moving it into or out of a section with a rule. Its results' base (the people asked) would
otherwise mix groups of people.
"""

from collections.abc import Collection
from dataclasses import dataclass

from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys.models import Consultation, Question, QuestionKind
from engage.surveys.section_models import SECTION_TITLE_MAX, Condition, DisplayRule, Section
from engage.surveys.services import rule_checks
from engage.surveys.services.builder import get_question, question_has_answers


@dataclass
class RuleDetails:
    depends_on_id: int
    option_ids: Collection[int]
    negate: bool = False


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise DomainError("Enter the section's title", field="title")
    if len(title) > SECTION_TITLE_MAX:
        raise DomainError(
            f"The section's title must be {SECTION_TITLE_MAX} characters or fewer", field="title"
        )
    return title


def get_section(consultation: Consultation, section_id: int) -> Section:
    section = db.session.get(Section, section_id)
    if section is None or section.consultation_id != consultation.id:
        raise DomainError("That section is not part of this consultation.", status=404)
    return section


def add_section(consultation: Consultation, title: str) -> Section:
    """Add a section at the end; questions are placed in it afterwards."""
    position = max((section.position for section in consultation.sections), default=-1) + 1
    section = Section(consultation_id=consultation.id, title=_clean_title(title), position=position)
    consultation.sections.append(section)
    db.session.flush()
    return section


def rename_section(section: Section, title: str) -> None:
    section.title = _clean_title(title)
    db.session.flush()


def move_section(consultation: Consultation, section: Section, direction: str) -> None:
    """Swap a section with its neighbour; refused if a rule would then use a later question."""
    if direction not in ("up", "down"):
        raise DomainError("Choose to move the section up or down", status=400)
    sections = list(consultation.sections)
    index = sections.index(section)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(sections):
        return
    sections[index], sections[other] = sections[other], sections[index]
    for position, each in enumerate(sections):
        each.position = position
    rule_checks.check_all_rules(consultation)
    db.session.flush()


def delete_section(consultation: Consultation, section: Section) -> None:
    """Delete a section; its questions stay, in no section (on the first page)."""
    questions = [q for q in consultation.questions if q.section_id == section.id]
    if section.rule is not None and any(question_has_answers(q) for q in questions):
        raise DomainError(
            "This section has a rule and its questions have answers, so deleting it would "
            "change who was asked them.",
            status=409,
        )
    for question in questions:
        question.section = None
        question.section_id = None
    consultation.sections.remove(section)
    db.session.flush()
    db.session.expire(consultation, ["sections"])
    rule_checks.check_all_rules(consultation)


def place_question(consultation: Consultation, question: Question, section_id: int | None) -> None:
    """Put a question in a section (None: in no section)."""
    section = get_section(consultation, section_id) if section_id else None
    if question.section_id == (section.id if section else None):
        return
    was = question.conditions
    question.section = section
    question.section_id = section.id if section else None
    if question.conditions != was and question_has_answers(question):
        raise DomainError(
            "This question has answers, and moving it would change who is asked it "
            "(the sections have different rules).",
            field="section",
        )
    rule_checks.check_all_rules(consultation)
    db.session.flush()


def _asked_questions(consultation: Consultation, target: Question | Section) -> list[Question]:
    if isinstance(target, Question):
        return [target]
    return [q for q in consultation.questions if q.section_id == target.id]


def set_rule(consultation: Consultation, target: Question | Section, details: RuleDetails) -> None:
    """Show `target` only when the earlier question's answer is (not) one of the options."""
    try:
        source = get_question(consultation, details.depends_on_id)
    except DomainError:
        raise DomainError(
            "Choose one of this consultation's questions", field="depends_on"
        ) from None
    if source.kind in (QuestionKind.FREE_TEXT,):
        raise DomainError(
            "A rule can only use a question with answers to choose from, not free text",
            field="depends_on",
        )
    chosen = set(details.option_ids)
    if not chosen:
        raise DomainError("Choose at least one answer for the rule", field="options")
    valid = {option.id: option for option in source.options}
    if not chosen <= valid.keys():
        raise DomainError(
            f"Choose answers that ‘{source.prompt.rstrip('?')}’ has: one of those chosen was "
            "deleted or belongs to another question",
            field="options",
        )
    if chosen == valid.keys() and not details.negate:
        raise DomainError(
            "Choose some of the answers, not all of them: a rule on every answer is the same as "
            "asking everyone who answered",
            field="options",
        )
    rule = target.rule
    old = Condition.of(rule) if rule is not None else None
    if rule is None:
        rule = DisplayRule(consultation_id=consultation.id)
        if isinstance(target, Question):
            rule.question = target
            rule.question_id = target.id
        else:
            rule.section = target
        db.session.add(rule)
    rule.depends_on = source
    rule.depends_on_id = source.id
    rule.options = [valid[option_id] for option_id in sorted(chosen)]
    rule.negate = details.negate
    rule_checks.check_rule_order(rule)
    new = Condition.of(rule)
    if (
        old is None
        or (old.depends_on_id, old.option_ids, old.negate)
        != (
            new.depends_on_id,
            new.option_ids,
            new.negate,
        )
    ) and _has_answers(consultation, target):
        raise DomainError(_answered_message(target), field="depends_on")
    db.session.flush()
    db.session.expire(target, ["rule"])


def clear_rule(consultation: Consultation, target: Question | Section) -> None:
    """Ask `target` of everyone again (refused once it has answers)."""
    rule = target.rule
    if rule is None:
        return
    if _has_answers(consultation, target):
        raise DomainError(_answered_message(target), status=409)
    db.session.delete(rule)
    db.session.flush()
    db.session.expire(target, ["rule"])


def _has_answers(consultation: Consultation, target: Question | Section) -> bool:
    return any(question_has_answers(q) for q in _asked_questions(consultation, target))


def _answered_message(target: Question | Section) -> str:
    what = "This question has" if isinstance(target, Question) else "Questions in this section have"
    return (
        f"{what} answers, so its rule cannot change: that would change who was asked, and mix "
        "answers from different groups of people. Add a new question instead."
    )
