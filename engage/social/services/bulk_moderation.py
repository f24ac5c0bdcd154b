"""Moderating many posts at once from the dashboard's list, and the next reply to classify."""

from sqlalchemy import select

from engage.auth.models import StaffUser
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.social.models import Campaign, Platform, Position, SocialPost
from engage.social.services import moderation

BULK_MAX = 100
POSITION_ACTIONS = {f"position:{position.value}": position.value for position in Position}
BULK_ACTIONS = (*POSITION_ACTIONS, "needs_reply", "hide")


def posts_of_campaign(campaign: Campaign, post_ids: list[int]) -> list[SocialPost]:
    """The ticked posts, all of this campaign, or a DomainError naming what is wrong."""
    if not post_ids:
        raise DomainError("Tick at least one post.", field="post_ids")
    if len(post_ids) > BULK_MAX:
        raise DomainError(f"Tick {BULK_MAX} posts or fewer at a time.", field="post_ids")
    posts = db.session.scalars(
        select(SocialPost).where(SocialPost.id.in_(post_ids), SocialPost.campaign_id == campaign.id)
    ).all()
    if len(posts) != len(set(post_ids)):
        raise DomainError("Some of the ticked posts are not in this campaign.", status=404)
    return sorted(posts, key=lambda post: post.id)


def moderate_posts(
    campaign: Campaign, post_ids: list[int], action: str, staff: StaffUser, reason: str = ""
) -> int:
    """Apply one action to every ticked post, all or nothing; returns how many."""
    if action not in BULK_ACTIONS:
        raise DomainError("Choose what to do with the ticked posts.", field="action")
    posts = posts_of_campaign(campaign, post_ids)
    for post in posts:
        try:
            if action in POSITION_ACTIONS:
                moderation.set_position(post, staff, POSITION_ACTIONS[action])
            elif action == "needs_reply":
                moderation.set_flag(post, staff, "needs_reply", True)
            else:
                moderation.hide_post(post, staff, reason)
        except DomainError as refused:
            # All or nothing: say which post stopped the batch, and why.
            raise DomainError(
                f"Nothing was changed. The post of {post.created_at:%-d %B %H:%M}: "
                f"{refused.message}",
                field="reason" if action == "hide" and refused.field else "action",
                status=refused.status,
            ) from refused
    db.session.flush()
    return len(posts)


def next_reply_to_classify(campaign: Campaign, after: SocialPost) -> SocialPost | None:
    """The next visible reply to a daily question with no position yet, in posting order."""
    waiting = (
        select(SocialPost)
        .where(
            SocialPost.campaign_id == campaign.id,
            SocialPost.daily_question_id.is_not(None),
            SocialPost.position.is_(None),
            SocialPost.hidden.is_(False),
            SocialPost.id != after.id,
        )
        .order_by(SocialPost.created_at, SocialPost.id)
    )
    later = db.session.scalar(
        waiting.where(
            (SocialPost.created_at > after.created_at)
            | ((SocialPost.created_at == after.created_at) & (SocialPost.id > after.id))
        ).limit(1)
    )
    return later or db.session.scalar(waiting.limit(1))


def original_url(post: SocialPost) -> str | None:
    """Where the post can be seen on its platform, where its id is enough to say."""
    if post.platform == Platform.X:
        return f"https://x.com/i/web/status/{post.external_id}"
    return None
