"""Recomputing stored posts' sentiment when the analyser changes."""

from collections.abc import Iterator

from sqlalchemy import func, select

from engage.core.extensions import db
from engage.sentiment.scoring import rescore_in_batches
from engage.social.models import Campaign, SocialPost


def _condition(campaign: Campaign | None):
    return SocialPost.campaign_id == campaign.id if campaign else None


def count_posts(campaign: Campaign | None) -> int:
    query = select(func.count()).select_from(SocialPost)
    if campaign:
        query = query.where(_condition(campaign))
    return db.session.execute(query).scalar_one()


def rescore_posts(campaign: Campaign | None) -> Iterator[int]:
    """Recompute polarity a batch at a time, by id, yielding each batch's size for progress.

    The caller commits between batches, so a large rescore holds no long transaction.
    """
    return rescore_in_batches(SocialPost, _condition(campaign))
