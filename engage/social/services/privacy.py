"""Keeping as little as the work needs: pseudonymous authors in exports, and retention."""

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from engage.core.extensions import db
from engage.core.rows import rows_affected
from engage.core.settings import settings
from engage.social.models import Campaign, SocialPost


def pseudonym(platform: str, author_id: str) -> str:
    """A stable stand-in for an author: a keyed hash, so it cannot be reversed by guessing
    handles without the app's secret key, yet the same author reads the same in every export."""
    if not author_id:
        return ""
    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, f"{platform}:{author_id}".encode(), hashlib.sha256).hexdigest()
    return "author-" + digest[:16]


def retention_cutoff(campaign: Campaign, now: datetime) -> datetime:
    return now - timedelta(days=campaign.retention_days)


def purge_expired_posts(campaign: Campaign, now: datetime) -> int:
    """Delete the campaign's posts older than its retention period; return how many.

    Their moderation notes and hashtags go with them. A confirmed position stays counted in the
    consultation's results: that response holds no text or handle, only the option it counts as.
    """
    expired = select(SocialPost.id).where(
        SocialPost.campaign_id == campaign.id,
        SocialPost.created_at < retention_cutoff(campaign, now),
    )
    result = rows_affected(
        delete(SocialPost)
        .where(SocialPost.id.in_(expired))
        .execution_options(synchronize_session=False)
    )
    return result


def count_posts_before(cutoff: datetime) -> int:
    """How many posts, in every campaign, were published before `cutoff`."""
    return db.session.execute(
        select(func.count()).where(SocialPost.created_at < cutoff)
    ).scalar_one()


def purge_posts_before(cutoff: datetime) -> int:
    """Delete every campaign's posts published before `cutoff` (the platform-wide retention
    schedule, over any campaign's own shorter period); return how many."""
    expired = select(SocialPost.id).where(SocialPost.created_at < cutoff)
    return rows_affected(
        delete(SocialPost)
        .where(SocialPost.id.in_(expired))
        .execution_options(synchronize_session=False)
    )
