"""What keeps display rules sound: each uses an earlier question and options it has.

Kept apart from the builder and sections services so both can call it without importing each
other. Rules are checked in memory, on the consultation as it would be after a change.
"""

from sqlalchemy import select

from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys.models import Consultation, Question
from engage.surveys.section_models import DisplayRule


def _short(prompt: str) -> str:
    prompt = prompt.rstrip("?")
    return prompt if len(prompt) <= 60 else prompt[:57] + "..."


def rules_of(consultation: Consultation) -> list[DisplayRule]:
    return list(
        db.session.scalars(
            select(DisplayRule)
            .where(DisplayRule.consultation_id == consultation.id)
            .order_by(DisplayRule.id)
        )
    )


def target_name(rule: DisplayRule) -> str:
    if rule.section is not None:
        return f"the section ‘{_short(rule.section.title)}’"
    assert rule.question is not None
    return f"‘{_short(rule.question.prompt)}’"


def check_rule_order(rule: DisplayRule) -> None:
    """Refuse a rule whose question is not earlier than what it decides.

    Every rule looking strictly back is also what rules out loops: a chain of rules can only
    ever lead to earlier questions, never round to where it started.
    """
    source = rule.depends_on
    if rule.section is not None:
        section = rule.section
        if source.section_id == section.id:
            raise DomainError(
                "A section's rule cannot use a question in the same section: "
                f"‘{_short(source.prompt)}’ would decide whether it is itself asked (a loop). "
                "Use a question from an earlier section.",
                field="depends_on",
            )
        if source.section is not None and source.section.position >= section.position:
            raise DomainError(
                f"The rule for {target_name(rule)} uses ‘{_short(source.prompt)}’, which comes "
                "later. A rule can only use a question people answered earlier.",
                field="depends_on",
            )
        return
    question = rule.question
    assert question is not None
    if source.id == question.id:
        raise DomainError(
            "A question cannot be shown depending on its own answer (a loop). "
            "Choose an earlier question.",
            field="depends_on",
        )
    if source.order_key >= question.order_key:
        raise DomainError(
            f"The rule for {target_name(rule)} uses ‘{_short(source.prompt)}’, which comes "
            "later. A rule can only use a question people answered earlier.",
            field="depends_on",
        )


def check_all_rules(consultation: Consultation) -> None:
    """Refuse the consultation's current layout if any rule now looks forwards."""
    for rule in rules_of(consultation):
        check_rule_order(rule)


def refuse_if_question_used(question: Question) -> None:
    """A question that a rule uses cannot be deleted."""
    used = db.session.scalars(select(DisplayRule).where(DisplayRule.depends_on_id == question.id))
    for rule in used:
        raise DomainError(
            f"This question decides who is asked {target_name(rule)}. "
            "Remove or change that rule first.",
            status=409,
        )


def refuse_if_options_used(question: Question, keep_labels: list[str]) -> None:
    """Options that a rule uses cannot be removed (nor replaced, by changing the kind)."""
    for rule in db.session.scalars(
        select(DisplayRule).where(DisplayRule.depends_on_id == question.id)
    ):
        for option in rule.options:
            if option.label not in keep_labels:
                raise DomainError(
                    f"The option ‘{option.label}’ decides who is asked {target_name(rule)}, "
                    "so it cannot be removed. Remove or change that rule first.",
                    field="options",
                )
