"""Recomputing stored posts' sentiment when the analyser changes."""

from collections.abc import Iterator

from sqlalchemy import func, select, update

from engage.analysis.sentiment import polarity
from engage.extensions import db
from engage.social.models import Campaign, SocialPost

RESCORE_BATCH = 2000


def _scope(query, campaign: Campaign | None):
    return query.where(SocialPost.campaign_id == campaign.id) if campaign else query


def count_posts(campaign: Campaign | None) -> int:
    return db.session.scalar(_scope(select(func.count()).select_from(SocialPost), campaign))


def rescore_posts(campaign: Campaign | None) -> Iterator[int]:
    """Recompute polarity a batch at a time, by id, yielding each batch's size for progress.

    The caller commits between batches, so a large rescore holds no long transaction.
    """
    last_id = 0
    while True:
        rows = db.session.execute(
            _scope(select(SocialPost.id, SocialPost.text), campaign)
            .where(SocialPost.id > last_id)
            .order_by(SocialPost.id)
            .limit(RESCORE_BATCH)
        ).all()
        if not rows:
            return
        db.session.execute(
            update(SocialPost), [{"id": row.id, "polarity": polarity(row.text)} for row in rows]
        )
        last_id = rows[-1].id
        yield len(rows)
