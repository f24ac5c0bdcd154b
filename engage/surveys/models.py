"""Consultations, their questions and options, in-person events, and the public's responses.

Contact details for updates and the prize draw live in `ContactRequest`, which has no link to a
`Response`: the answers stay anonymous.
"""

import enum
import secrets
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from engage.core.db_types import UTCDateTime, utcnow
from engage.core.enum_column import enum_column
from engage.core.extensions import Model
from engage.core.languages import translatable

TITLE_MAX = 200
SUMMARY_MAX = 2000
PROMPT_MAX = 500
HELP_MAX = 1000
OPTION_MAX = 200
FREE_TEXT_DEFAULT_MAX = 2000
FREE_TEXT_HARD_MAX = 5000


class ConsultationStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"  # closed, with results shown to the public


class QuestionKind(enum.StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    AGREEMENT = "agreement"
    YES_NO = "yes_no_unsure"
    RATING = "rating"
    FREE_TEXT = "free_text"


QUESTION_KIND_LABELS = {
    QuestionKind.SINGLE_CHOICE: "Single choice",
    QuestionKind.MULTIPLE_CHOICE: "Multiple choice",
    QuestionKind.AGREEMENT: "Five-point agreement scale",
    QuestionKind.YES_NO: "Yes / no / not sure",
    QuestionKind.RATING: "Rating 1 to 5",
    QuestionKind.FREE_TEXT: "Free text",
}

# Kinds whose options are fixed, so every consultation's results line up.
FIXED_OPTIONS: dict[QuestionKind, tuple[str, ...]] = {
    QuestionKind.AGREEMENT: (
        "Strongly agree",
        "Agree",
        "Neither agree nor disagree",
        "Disagree",
        "Strongly disagree",
    ),
    QuestionKind.YES_NO: ("Yes", "No", "Not sure"),
    QuestionKind.RATING: ("1", "2", "3", "4", "5"),
}


class Channel(enum.StrEnum):
    ONLINE = "online"
    ROADSHOW = "roadshow"
    WORKSHOP = "workshop"
    PARTNER_EVENT = "partner_event"
    CALLBACK = "callback"
    SOCIAL = "social"  # a reply to a daily question, counted once staff confirm its position


CHANNEL_LABELS = {
    Channel.ONLINE: "Online survey",
    Channel.ROADSHOW: "Roadshow",
    Channel.WORKSHOP: "Workshop",
    Channel.PARTNER_EVENT: "Partner-agency event",
    Channel.CALLBACK: "Victim call-back",
    Channel.SOCIAL: "Social media replies",
}


class EventKind(enum.StrEnum):
    ROADSHOW = "roadshow"
    WORKSHOP = "workshop"
    PARTNER_EVENT = "partner_event"
    VICTIM_CALLBACK = "victim_callback"

    @property
    def channel(self) -> Channel:
        return EVENT_CHANNELS[self]


EVENT_CHANNELS = {
    EventKind.ROADSHOW: Channel.ROADSHOW,
    EventKind.WORKSHOP: Channel.WORKSHOP,
    EventKind.PARTNER_EVENT: Channel.PARTNER_EVENT,
    EventKind.VICTIM_CALLBACK: Channel.CALLBACK,
}

EVENT_KIND_LABELS = {
    EventKind.ROADSHOW: "Roadshow",
    EventKind.WORKSHOP: "Workshop",
    EventKind.PARTNER_EVENT: "Partner-agency event",
    EventKind.VICTIM_CALLBACK: "Victim call-back session",
}


class AgeBand(enum.StrEnum):
    UNDER_18 = "under_18"
    AGE_18_24 = "18_24"
    AGE_25_34 = "25_34"
    AGE_35_44 = "35_44"
    AGE_45_54 = "45_54"
    AGE_55_64 = "55_64"
    AGE_65_74 = "65_74"
    AGE_75_PLUS = "75_plus"
    PREFER_NOT = "prefer_not"


AGE_BAND_LABELS = {
    AgeBand.UNDER_18: translatable("Under 18"),
    AgeBand.AGE_18_24: translatable("18 to 24"),
    AgeBand.AGE_25_34: translatable("25 to 34"),
    AgeBand.AGE_35_44: translatable("35 to 44"),
    AgeBand.AGE_45_54: translatable("45 to 54"),
    AgeBand.AGE_55_64: translatable("55 to 64"),
    AgeBand.AGE_65_74: translatable("65 to 74"),
    AgeBand.AGE_75_PLUS: translatable("75 or over"),
    AgeBand.PREFER_NOT: translatable("Prefer not to say"),
}


class Consultation(Model):
    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(Text, default="")
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    status: Mapped[ConsultationStatus] = mapped_column(
        enum_column(ConsultationStatus), default=ConsultationStatus.DRAFT
    )
    # "We did": what the force and PCC decided, shown with the published results.
    outcome: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A new random number whenever the consultation, a question or an option changes (see
    # _new_questions_revision below), so a copy of the questions' rules cached by
    # (id, revision) knows it is stale. Random, not counted up, so a consultation made after
    # another was deleted cannot meet the old one's cached copy.
    questions_revision: Mapped[int] = mapped_column(
        BigInteger, default=lambda: new_revision(), server_default="0"
    )

    questions: Mapped[list["Question"]] = relationship(
        back_populates="consultation",
        order_by="(Question.position, Question.id)",
        cascade="all, delete-orphan",
    )
    events: Mapped[list["Event"]] = relationship(
        back_populates="consultation", order_by="(Event.held_on, Event.id)"
    )
    sections: Mapped[list["Section"]] = relationship(
        order_by="(Section.position, Section.id)", cascade="all, delete-orphan"
    )

    __table_args__ = (CheckConstraint("closes_on >= opens_on", name="closes_after_opens"),)

    @property
    def ordered_questions(self) -> list["Question"]:
        """The questions in the order people meet them: by section, then by position.

        Questions in no section come first. Without sections this is `questions` itself.
        """
        if not self.sections:
            return list(self.questions)
        return sorted(self.questions, key=lambda question: question.order_key)


class Question(Model):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind))
    prompt: Mapped[str] = mapped_column(String(PROMPT_MAX))
    help_text: Mapped[str] = mapped_column(String(HELP_MAX), default="")
    required: Mapped[bool] = mapped_column(default=False)
    max_length: Mapped[int] = mapped_column(default=FREE_TEXT_DEFAULT_MAX)
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_sections.id", ondelete="SET NULL"), index=True
    )

    consultation: Mapped[Consultation] = relationship(back_populates="questions")
    section: Mapped["Section | None"] = relationship()
    rule: Mapped["DisplayRule | None"] = relationship(
        primaryjoin="DisplayRule.question_id == Question.id", uselist=False, viewonly=True
    )
    options: Mapped[list["Option"]] = relationship(
        back_populates="question",
        order_by="(Option.position, Option.id)",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        CheckConstraint(
            f"max_length > 0 AND max_length <= {FREE_TEXT_HARD_MAX}", name="max_length_bounded"
        ),
    )

    @property
    def has_options(self) -> bool:
        return self.kind != QuestionKind.FREE_TEXT

    @property
    def field_name(self) -> str:
        return f"q{self.id}"

    @property
    def order_key(self) -> tuple[int, int, int]:
        return (self.section.position if self.section else -1, self.position, self.id)

    @property
    def conditions(self) -> tuple["Condition", ...]:
        """Every rule that decides whether this question is asked: its section's, then its own."""
        rules = [self.section.rule if self.section else None, self.rule]
        return tuple(Condition.of(rule) for rule in rules if rule is not None)

    @property
    def option_ids(self) -> set[int]:
        return {option.id for option in self.options}

    @property
    def exclusive_labels(self) -> dict[int, str]:
        """Options chosen on their own ("None of these"), by id."""
        return {option.id: option.label for option in self.options if option.exclusive}

    @property
    def exclusive_values(self) -> list[str]:
        """The form values of options chosen on their own, for the checkboxes' markup."""
        return [str(option.id) for option in self.options if option.exclusive]

    @property
    def option_items(self) -> list[tuple[str, str]]:
        """(value, label) pairs for the question's radios or checkboxes."""
        return [(str(option.id), option.label) for option in self.options]


class Option(Model):
    __tablename__ = "options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(OPTION_MAX))
    # Chosen on its own ("None of these"): a multiple-choice answer with it has nothing else.
    exclusive: Mapped[bool] = mapped_column(default=False, server_default=false())

    question: Mapped[Question] = relationship(back_populates="options")


class Event(Model):
    """A roadshow, workshop, partner-agency event or victim call-back session."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    name: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date]
    venue: Mapped[str] = mapped_column(String(200), default="")
    area: Mapped[str] = mapped_column(String(20))
    attendees: Mapped[int | None]
    is_demo: Mapped[bool] = mapped_column(default=False)

    consultation: Mapped[Consultation] = relationship(back_populates="events")

    __table_args__ = (
        CheckConstraint("attendees IS NULL OR attendees >= 0", name="attendees_not_negative"),
    )

    @property
    def channel(self) -> Channel:
        return self.kind.channel


class Response(Model):
    """One person's anonymous answers, from any channel."""

    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    area: Mapped[str] = mapped_column(String(20), default="not_given")
    postcode_district: Mapped[str | None] = mapped_column(String(4))
    age_band: Mapped[AgeBand | None] = mapped_column(enum_column(AgeBand))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # One-time token from the form; unique, so a double-click or replay cannot store twice.
    form_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    is_demo: Mapped[bool] = mapped_column(default=False)

    answers: Mapped[list["Answer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )
    event: Mapped[Event | None] = relationship()

    __table_args__ = (Index("ix_responses_consultation_id_id", "consultation_id", "id"),)


class ResponseAwaitingTally(Model):
    """A stored response the running tallies do not include yet.

    A database trigger (migration 0005) adds one for every response row however it is stored,
    in the same transaction; a fold (`tallies.fold_batch`) deletes it as it adds the response's
    answers to the tallies. Results read the tallies plus the responses listed here, so counts
    are exact without each submission writing to the shared tally rows. A table of its own,
    not a flag on `responses`: it stays as small as the backlog, where clearing a flag left
    PostgreSQL an index of a million dead entries to wade through on every results page.
    """

    __tablename__ = "responses_awaiting_tally"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )


class Answer(Model):
    """One answer: a chosen option (a row per option for multiple choice) or free text."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("options.id"))
    text: Mapped[str | None] = mapped_column(Text)
    polarity: Mapped[float | None]

    response: Mapped[Response] = relationship(back_populates="answers")

    __table_args__ = (
        Index("ix_answers_response_id", "response_id"),
        Index("ix_answers_question_id_option_id", "question_id", "option_id"),
        CheckConstraint("(option_id IS NULL) <> (text IS NULL)", name="option_or_text"),
    )


def new_revision() -> int:
    return secrets.randbits(62)


@event.listens_for(Session, "before_flush")
def _new_questions_revision(session: Session, _context, _instances) -> None:
    """Give every consultation whose questions or options this flush changes a new revision.

    Here rather than in the builder's functions, so no way of changing a question (present or
    future) can leave a stale copy of its rules in use.
    """
    changed = set()
    for item in (*session.new, *session.dirty, *session.deleted):
        if isinstance(item, (Section, DisplayRule)):
            item = db_consultation(session, item.consultation_id)
        if isinstance(item, Option):
            item = item.question
        if isinstance(item, Question):
            item = item.consultation
        if isinstance(item, Consultation):
            changed.add(item)
    for consultation in changed:
        consultation.questions_revision = new_revision()


def db_consultation(session: Session, consultation_id: int | None) -> "Consultation | None":
    return session.get(Consultation, consultation_id) if consultation_id else None


def random_row_id() -> int:
    """A random positive 31-bit id, so row order says nothing about when a row was added."""
    return secrets.randbelow(2**31 - 2) + 1


class ContactRequest(Model):
    """Someone's wish to be kept updated or enter the prize draw.

    Deliberately unlinked from `Response`, dated by day only and given a random id (a sequence
    would line contacts up with responses in time), so it cannot be joined back to anyone's
    answers.
    """

    __tablename__ = "contact_requests"

    id: Mapped[int] = mapped_column(primary_key=True, default=random_row_id)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    entry_reference: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254))
    wants_updates: Mapped[bool] = mapped_column(default=False)
    prize_draw: Mapped[bool] = mapped_column(default=False)
    created_on: Mapped[date]
    # Double opt-in: only a confirmed, not unsubscribed request for updates is sent any.
    confirmed_on: Mapped[date | None]
    unsubscribed_on: Mapped[date | None]
    is_demo: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (UniqueConstraint("consultation_id", "email"),)

    @property
    def gets_updates(self) -> bool:
        return self.wants_updates and self.confirmed_on is not None and not self.unsubscribed_on


class PrizeDraw(Model):
    """The record of a consultation's prize draw; one per consultation, so it cannot be re-run."""

    __tablename__ = "prize_draws"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), unique=True)
    drawn_by_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    entrant_count: Mapped[int]
    # Null once contact details are purged; the reference and counts stay as the record.
    winner_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact_requests.id", ondelete="SET NULL")
    )
    winner_reference: Mapped[str] = mapped_column(String(16))
    contacts_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    winner: Mapped[ContactRequest | None] = relationship()
    drawn_by = relationship("StaffUser")
    consultation: Mapped[Consultation] = relationship()


class ResponseTally(Model):
    """Responses per consultation, channel and area, kept exact as each response is stored."""

    __tablename__ = "response_tallies"

    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    area: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class QuestionTally(Model):
    """How many responses answered a question, per channel and area."""

    __tablename__ = "question_tallies"

    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    area: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class OptionTally(Model):
    """How many responses chose an option, per channel and area."""

    __tablename__ = "option_tallies"

    option_id: Mapped[int] = mapped_column(ForeignKey("options.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    area: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


from engage.surveys.section_models import Condition, DisplayRule, Section  # noqa: E402
