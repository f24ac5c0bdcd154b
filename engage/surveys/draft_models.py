"""Answers waiting on the "Check your answers" page, between the form and sending them."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engage.core.db_types import UTCDateTime, utcnow
from engage.core.extensions import Model

DRAFT_KEY_LENGTH = 43  # secrets.token_urlsafe(32)


class AnswerDraft(Model):
    """A public form's answers and "about you", checked but not sent yet.

    Found only by the random key kept in the person's session; contact details never come
    here (they wait in the session), so a draft is as anonymous as a response.
    """

    __tablename__ = "answer_drafts"

    key: Mapped[str] = mapped_column(String(DRAFT_KEY_LENGTH), primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"))
    # The form's values by field name, each a list, as the browser posted them.
    values: Mapped[dict] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
