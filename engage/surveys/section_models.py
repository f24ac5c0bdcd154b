"""Sections (the pages of a survey) and the rules that show a question or section only to some.

A rule names an earlier question and some of its options: the question or section it guards is
asked only when that earlier answer is one of them (or, with `negate`, is none of them). The
foreign keys stop an option or question that a rule uses from being deleted, and the check
constraints keep a rule on exactly one thing and off its own question.
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.extensions import Model
from engage.surveys.models import Option, Question

SECTION_TITLE_MAX = 200

display_rule_options = Table(
    "display_rule_options",
    Model.metadata,
    Column("rule_id", ForeignKey("display_rules.id", ondelete="CASCADE"), primary_key=True),
    Column("option_id", ForeignKey("options.id"), primary_key=True),
)


class Section(Model):
    """A page of a consultation's questions."""

    __tablename__ = "question_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(SECTION_TITLE_MAX))

    rule: Mapped["DisplayRule | None"] = relationship(
        back_populates="section", cascade="all, delete-orphan", uselist=False
    )


class DisplayRule(Model):
    """Show a question or a section only when an earlier answer is (not) one of some options."""

    __tablename__ = "display_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), unique=True
    )
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_sections.id", ondelete="CASCADE"), unique=True
    )
    # The earlier question whose answer decides; a plain foreign key, so it cannot be deleted.
    depends_on_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    # Shown when the answer is none of the options, rather than one of them.
    negate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    section: Mapped[Section | None] = relationship(back_populates="rule")
    question: Mapped[Question | None] = relationship(foreign_keys=[question_id])
    depends_on: Mapped[Question] = relationship(foreign_keys=[depends_on_id])
    options: Mapped[list[Option]] = relationship(
        secondary=display_rule_options, order_by="(Option.position, Option.id)"
    )

    __table_args__ = (
        CheckConstraint("(question_id IS NULL) <> (section_id IS NULL)", name="one_target"),
        CheckConstraint(
            "question_id IS NULL OR question_id <> depends_on_id", name="not_on_itself"
        ),
    )

    @property
    def option_ids(self) -> frozenset[int]:
        return frozenset(option.id for option in self.options)


@dataclass(frozen=True)
class Condition:
    """A rule as plain values: asked only if question `depends_on_id`'s answer is (not) one of
    `option_ids`. An earlier question left unanswered meets neither kind of rule."""

    depends_on_id: int
    option_ids: frozenset[int]
    negate: bool = False
    # What people are told: the earlier question's prompt and the chosen options' labels.
    prompt: str = ""
    labels: tuple[str, ...] = ()

    @classmethod
    def of(cls, rule: "DisplayRule") -> "Condition":
        labels = tuple(option.label for option in rule.options)
        return cls(rule.depends_on_id, rule.option_ids, rule.negate, rule.depends_on.prompt, labels)

    @property
    def description(self) -> str:
        """ "answered Yes to ‘Do you drive’", in the reader's language (rules are cached per
        process, for every reader, so this is worded when read)."""
        return describe(self.prompt, list(self.labels), self.negate)

    def is_met(self, chosen: Mapping[int, Collection[int]]) -> bool:
        given = chosen.get(self.depends_on_id)
        if not given:
            return False
        return bool(self.option_ids.intersection(given)) != self.negate


def describe(prompt: str, labels: list[str], negate: bool) -> str:
    """ "answered Yes or Not sure to ‘Do you drive’" """
    if len(labels) > 1:
        either = _("%(others)s or %(last)s", others=", ".join(labels[:-1]), last=labels[-1])
    else:
        either = "".join(labels)
    question = prompt.rstrip("?")
    if negate:
        return _("did not answer %(answers)s to ‘%(question)s’", answers=either, question=question)
    return _("answered %(answers)s to ‘%(question)s’", answers=either, question=question)


def is_asked(conditions: Iterable[Condition], chosen: Mapping[int, Collection[int]]) -> bool:
    return all(condition.is_met(chosen) for condition in conditions)
