"""Code frames, their codes and the codes' history, and the coding of answers and posts.

A free-text question or a social campaign has one code frame. Its codes start as themes staff
accept (or reject, kept so the history shows they were considered); a code renamed or merged
into another keeps its row and every step in `CodeEvent`. A text coded in a frame has a
`CodedText` per pass (the first coding, and the second coder's independent one on a sample),
and a `Coding` for each code applied, saying who applied it (NULL: the machine) and when.
"""

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.db_types import UTCDateTime, utcnow
from engage.core.enum_column import enum_column
from engage.core.extensions import Model

CODE_NAME_MAX = 80
DESCRIPTION_MAX = 1000
NOTE_MAX = 500


class CodeStatus(enum.StrEnum):
    ACTIVE = "active"
    MERGED = "merged"
    REJECTED = "rejected"


class CodeEventKind(enum.StrEnum):
    ACCEPTED = "accepted"  # a suggested theme became the code
    REJECTED = "rejected"  # a suggested theme was turned down
    RENAMED = "renamed"
    DESCRIBED = "described"
    MERGED_INTO = "merged_into"  # this code was merged into `other_code`
    ABSORBED = "absorbed"  # `other_code` was merged into this code


class CodingPass(enum.StrEnum):
    FIRST = "first"  # the coding that counts in results
    SECOND = "second"  # a second coder's independent coding of a sample, to measure agreement


class CodingSource(enum.StrEnum):
    HUMAN = "human"
    MACHINE = "machine"


class CodeFrame(Model):
    """The codes for one free-text question or one social campaign."""

    __tablename__ = "code_frames"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id"), unique=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("social_campaigns.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The last training of code suggestions: per-code precision and recall on held-back coding,
    # kept so that the page shows it again without retraining.
    training_report: Mapped[dict | None] = mapped_column(JSON)
    trained_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    codes: Mapped[list["Code"]] = relationship(
        back_populates="frame", order_by="Code.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint(
            "(question_id IS NULL) <> (campaign_id IS NULL)", name="question_or_campaign"
        ),
    )


class Code(Model):
    __tablename__ = "codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    frame_id: Mapped[int] = mapped_column(ForeignKey("code_frames.id"), index=True)
    name: Mapped[str] = mapped_column(String(CODE_NAME_MAX))
    # The name case-folded, so "Lighting" and "lighting" cannot both be active in a frame.
    name_key: Mapped[str] = mapped_column(String(CODE_NAME_MAX))
    description: Mapped[str] = mapped_column(String(DESCRIPTION_MAX), default="")
    status: Mapped[CodeStatus] = mapped_column(enum_column(CodeStatus), default=CodeStatus.ACTIVE)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("codes.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    frame: Mapped[CodeFrame] = relationship(back_populates="codes")
    merged_into: Mapped["Code | None"] = relationship(remote_side=[id])
    events: Mapped[list["CodeEvent"]] = relationship(
        back_populates="code", order_by="CodeEvent.id", foreign_keys="CodeEvent.code_id"
    )

    __table_args__ = (
        CheckConstraint(
            "(status = 'merged') = (merged_into_id IS NOT NULL)", name="merged_has_target"
        ),
        Index(
            "uq_codes_active_name",
            "frame_id",
            "name_key",
            unique=True,
            postgresql_where=text("status = 'active'"),
            sqlite_where=text("status = 'active'"),
        ),
    )


class CodeEvent(Model):
    """One step in a code's history: who accepted, renamed, described or merged it, and when."""

    __tablename__ = "code_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id"), index=True)
    kind: Mapped[CodeEventKind] = mapped_column(enum_column(CodeEventKind))
    old_name: Mapped[str | None] = mapped_column(String(CODE_NAME_MAX))
    new_name: Mapped[str | None] = mapped_column(String(CODE_NAME_MAX))
    other_code_id: Mapped[int | None] = mapped_column(ForeignKey("codes.id"))
    # For an accepted or rejected theme, the terms it was suggested with.
    note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    code: Mapped[Code] = relationship(back_populates="events", foreign_keys=[code_id])
    other_code: Mapped[Code | None] = relationship(foreign_keys=[other_code_id])


class CodedText(Model):
    """An answer or post coded in a frame, in one pass; unique, so a text is coded once a pass.

    `coder_id` is who last saved its codes; NULL while only the machine has suggested codes.
    """

    __tablename__ = "coded_texts"

    id: Mapped[int] = mapped_column(primary_key=True)
    frame_id: Mapped[int] = mapped_column(ForeignKey("code_frames.id"))
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("social_posts.id", ondelete="CASCADE"))
    coding_pass: Mapped[CodingPass] = mapped_column(enum_column(CodingPass))
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    coded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    codings: Mapped[list["Coding"]] = relationship(
        back_populates="coded_text",
        order_by="Coding.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (
        CheckConstraint("(answer_id IS NULL) <> (post_id IS NULL)", name="answer_or_post"),
        CheckConstraint("(coder_id IS NULL) = (coded_at IS NULL)", name="coder_has_time"),
        CheckConstraint(
            "coding_pass = 'first' OR coder_id IS NOT NULL", name="second_pass_by_a_person"
        ),
        UniqueConstraint("frame_id", "answer_id", "coding_pass", name="uq_coded_texts_answer"),
        UniqueConstraint("frame_id", "post_id", "coding_pass", name="uq_coded_texts_post"),
        Index("ix_coded_texts_answer_id", "answer_id"),
        Index("ix_coded_texts_post_id", "post_id"),
    )


class Coding(Model):
    """A code applied to a coded text, by a person or (assigned_by_id NULL) the machine.

    A person who keeps a machine suggestion takes it over; its confidence stays on record.
    """

    __tablename__ = "codings"

    id: Mapped[int] = mapped_column(primary_key=True)
    coded_text_id: Mapped[int] = mapped_column(ForeignKey("coded_texts.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id"), index=True)
    source: Mapped[CodingSource] = mapped_column(enum_column(CodingSource))
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    # The machine's probability that the code applies, when it suggested it.
    confidence: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    coded_text: Mapped[CodedText] = relationship(back_populates="codings")
    code: Mapped[Code] = relationship()

    __table_args__ = (
        UniqueConstraint("coded_text_id", "code_id", name="uq_codings_text_code"),
        CheckConstraint(
            "(source = 'machine') = (assigned_by_id IS NULL)", name="machine_or_person"
        ),
        CheckConstraint(
            "source = 'human' OR confidence IS NOT NULL", name="machine_gives_confidence"
        ),
        CheckConstraint(
            "confidence IS NULL OR (confidence >= 0 AND confidence <= 1)",
            name="confidence_is_probability",
        ),
    )
