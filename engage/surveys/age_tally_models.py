"""Running counts per channel, area and age band, behind the results' weighting by age.

The same counts as `ResponseTally`, `QuestionTally` and `OptionTally` with the respondent's age
band added to the key, kept by the same fold (`services.tallies`), never by the submission.
Kept apart from those, whose rows the dashboards and worklists read without needing the age.
"""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engage.core.extensions import Model

AGE_NOT_GIVEN = "not_given"  # the age band of a response that gave none (keys cannot be null)


class ResponseAgeTally(Model):
    """Responses per consultation, channel, area and age band."""

    __tablename__ = "response_age_tallies"

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    area: Mapped[str] = mapped_column(String(20), primary_key=True)
    age_band: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class QuestionAgeTally(Model):
    """Responses answering a question, per channel, area and age band."""

    __tablename__ = "question_age_tallies"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    area: Mapped[str] = mapped_column(String(20), primary_key=True)
    age_band: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class OptionAgeTally(Model):
    """Responses choosing an option, per channel, area and age band."""

    __tablename__ = "option_age_tallies"

    option_id: Mapped[int] = mapped_column(
        ForeignKey("options.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    area: Mapped[str] = mapped_column(String(20), primary_key=True)
    age_band: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
