"""CSV exports of posts: hidden posts left out, authors pseudonymised."""

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from engage.analysis.sentiment import polarity_label
from engage.core.extensions import db
from engage.social.models import POSITION_LABELS, Campaign, SocialPost
from engage.social.services.privacy import pseudonym
from engage.web.csv_writing import csv_lines

EXPORT_COLUMNS = (
    "platform",
    "post_id",
    "created_at_utc",
    "author",
    "text",
    "in_reply_to",
    "daily_question",
    "polarity",
    "sentiment",
    "position",
    "needs_reply",
    "possible_crime",
    "likes",
    "replies",
    "reposts",
)
CHUNK = 2000


def posts_csv(campaign: Campaign) -> Iterator[str]:
    """The campaign's visible posts as CSV text, oldest first, read a chunk at a time."""
    return csv_lines(_rows(campaign))


def _rows(campaign: Campaign):
    yield EXPORT_COLUMNS
    last_id = 0
    while True:
        posts = list(
            db.session.scalars(
                select(SocialPost)
                .options(selectinload(SocialPost.daily_question))
                .where(
                    SocialPost.campaign_id == campaign.id,
                    SocialPost.hidden.is_(False),
                    SocialPost.id > last_id,
                )
                .order_by(SocialPost.id)
                .limit(CHUNK)
            )
        )
        for post in posts:
            yield _row(post)
        if len(posts) < CHUNK:
            return
        last_id = posts[-1].id
        db.session.expunge_all()


def _row(post: SocialPost) -> list:
    return [
        post.platform.value,
        post.external_id,
        post.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        pseudonym(post.platform.value, post.author_id),
        post.text,
        post.in_reply_to_id or "",
        post.daily_question.question_id if post.daily_question else "",
        round(post.polarity, 4),
        polarity_label(post.polarity),
        POSITION_LABELS[post.position] if post.position else "",
        "yes" if post.needs_reply else "no",
        "yes" if post.possible_crime else "no",
        post.like_count,
        post.reply_count,
        post.repost_count,
    ]
