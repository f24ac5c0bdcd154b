"""Staff corrections of a text's sentiment, kept apart from the model's polarity.

A correction records what staff read a post or a free-text answer as, beside the label the
model gave it then, who and when. The stored polarity is never changed, so every figure still
comes from the model; the counts of agreement tell how far to trust it, and the corrections
are labelled data for training a better one.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import CheckConstraint, ForeignKey, String, case, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.analysis.sentiment import polarity_label
from engage.auth.models import StaffUser
from engage.core.db_types import UTCDateTime, utcnow
from engage.core.errors import DomainError
from engage.core.extensions import Model, db
from engage.core.text_queries import SENTIMENTS
from engage.social.models import SocialPost
from engage.surveys.models import Answer, Response

LABEL_MAX = 8
_KNOWN = "IN ('negative', 'neutral', 'positive')"


class SentimentCorrection(Model):
    """What staff read one post or free-text answer as, and what the model had said."""

    __tablename__ = "sentiment_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("social_posts.id", ondelete="CASCADE"), unique=True
    )
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answers.id", ondelete="CASCADE"), unique=True
    )
    label: Mapped[str] = mapped_column(String(LABEL_MAX))
    model_label: Mapped[str] = mapped_column(String(LABEL_MAX))
    model_polarity: Mapped[float]
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    corrected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    staff = relationship("StaffUser")

    __table_args__ = (
        CheckConstraint("(post_id IS NULL) <> (answer_id IS NULL)", name="post_or_answer"),
        CheckConstraint(f"label {_KNOWN}", name="label_known"),
        CheckConstraint(f"model_label {_KNOWN}", name="model_label_known"),
    )


def _check_label(label: str | None) -> str:
    if label not in SENTIMENTS:
        raise DomainError("Choose positive, neutral or negative.", field="label", status=400)
    return label


def _record(owner: dict, polarity: float, label: str, staff: StaffUser) -> SentimentCorrection:
    """Add the correction, or replace the text's earlier one: one per text, the latest."""
    column = SentimentCorrection.post_id if "post_id" in owner else SentimentCorrection.answer_id
    correction = db.session.scalar(
        select(SentimentCorrection).where(column == next(iter(owner.values())))
    )
    if correction is None:
        correction = SentimentCorrection(**owner)
        db.session.add(correction)
    correction.label = label
    correction.model_label = polarity_label(polarity)
    correction.model_polarity = polarity
    correction.staff_id = staff.id
    correction.corrected_at = utcnow()
    db.session.flush()
    return correction


def correct_post(post: SocialPost, label: str | None, staff: StaffUser) -> SentimentCorrection:
    """Record what `staff` reads the post as; its polarity stays the model's."""
    return _record({"post_id": post.id}, post.polarity, _check_label(label), staff)


def correct_answer(
    consultation_id: int, answer_id: int, label: str | None, staff: StaffUser
) -> SentimentCorrection:
    """Record what `staff` reads a free-text answer of the consultation as."""
    label = _check_label(label)
    answer = db.session.get(Answer, answer_id)
    if answer is None or answer.text is None or answer.response.consultation_id != consultation_id:
        raise DomainError("That comment is not in this consultation.", status=404)
    if answer.polarity is None:
        raise DomainError(
            "This comment has not been scored yet. Try again in a minute.", status=409
        )
    return _record({"answer_id": answer.id}, answer.polarity, label, staff)


def corrections_of_answers(answer_ids: list[int]) -> dict[int, str]:
    """The corrected label of each of these answers that staff corrected."""
    if not answer_ids:
        return {}
    rows = db.session.execute(
        select(SentimentCorrection.answer_id, SentimentCorrection.label).where(
            SentimentCorrection.answer_id.in_(answer_ids)
        )
    )
    return cast(dict[int, str], dict(rows.tuples().all()))  # answer_id is one of answer_ids


def correction_of_post(post_id: int) -> SentimentCorrection | None:
    return db.session.scalar(
        select(SentimentCorrection).where(SentimentCorrection.post_id == post_id)
    )


@dataclass(frozen=True)
class CorrectionCounts:
    total: int
    agreed: int  # staff chose the label the model gave
    disagreed: int


def _counts(query) -> CorrectionCounts:
    agreed = func.sum(
        case((SentimentCorrection.label == SentimentCorrection.model_label, 1), else_=0)
    )
    total, agreed_count = db.session.execute(
        query.with_only_columns(func.count(SentimentCorrection.id), agreed)
    ).one()
    agreed_count = int(agreed_count or 0)
    return CorrectionCounts(total=total, agreed=agreed_count, disagreed=total - agreed_count)


def campaign_correction_counts(campaign_id: int) -> CorrectionCounts:
    """How many of a campaign's posts staff corrected, and how often they agreed with the model.

    Reads the corrections, each checked against its post by key: a join let SQLite read the
    campaign's every post and look for a correction of each, which grows with the posts."""
    of_campaign = (
        select(SocialPost.id)
        .where(SocialPost.id == SentimentCorrection.post_id, SocialPost.campaign_id == campaign_id)
        .exists()
    )
    return _counts(select(SentimentCorrection.id).where(of_campaign))


def consultation_correction_counts(consultation_id: int) -> CorrectionCounts:
    """How many of a consultation's comments staff corrected, and how often they agreed."""
    return _counts(
        select(SentimentCorrection.id)
        .join(Answer, Answer.id == SentimentCorrection.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.consultation_id == consultation_id)
    )
