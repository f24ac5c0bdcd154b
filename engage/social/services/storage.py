"""Storing posts once, however often or however concurrently they arrive.

A post is unique by (platform, external id) in the database. Each batch is one
INSERT ... ON CONFLICT DO NOTHING RETURNING, so a repeated collection, a re-run import or two
imports at once skip what is stored without an error to recover from.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from engage.analysis.sentiment import score
from engage.analysis.text import hashtags_in
from engage.core.db_types import utcnow
from engage.core.extensions import db
from engage.social.models import (
    POST_ID_MAX,
    POST_TEXT_MAX,
    Campaign,
    DailyQuestion,
    Platform,
    PostHashtag,
    SocialPost,
)

# Replies keep arriving after a campaign's last day; posts from further away are not about it.
EARLIEST_BEFORE_START = timedelta(days=1)
LATEST_AFTER_END = timedelta(days=30)


@dataclass
class IncomingPost:
    """A post as read from the X API or a file, before it is checked and stored."""

    platform: Platform
    external_id: str
    created_at: datetime
    text: str
    author_id: str = ""
    author_handle: str = ""
    conversation_id: str | None = None
    in_reply_to_id: str | None = None
    lang: str | None = None
    like_count: int = 0
    reply_count: int = 0
    repost_count: int = 0
    is_repost: bool = False


@dataclass
class StoreOutcome:
    stored: int = 0
    duplicates: int = 0


class CampaignWindow:
    """What a campaign accepts: its time window and the daily-question posts replies point at."""

    def __init__(self, campaign: Campaign):
        self.campaign_id = campaign.id
        self.include_reposts = campaign.include_retweets
        self.starts_at = datetime.combine(campaign.starts_on, datetime.min.time(), UTC)
        self.ends_at = datetime.combine(campaign.ends_on, datetime.max.time(), UTC)
        self.earliest = self.starts_at - EARLIEST_BEFORE_START
        self.latest = self.ends_at + LATEST_AFTER_END
        rows = db.session.execute(
            select(DailyQuestion.platform, DailyQuestion.post_id, DailyQuestion.id).where(
                DailyQuestion.campaign_id == campaign.id
            )
        )
        self.daily_posts = {(platform, post_id): dq_id for platform, post_id, dq_id in rows}

    def problem_with(self, post: IncomingPost) -> str | None:
        """Why `post` cannot be stored for this campaign, or None when it can."""
        if not post.external_id or len(post.external_id) > POST_ID_MAX:
            return f"its id must be 1 to {POST_ID_MAX} characters"
        if not post.text or not post.text.strip():
            return "it has no text"
        if len(post.text) > POST_TEXT_MAX:
            return f"its text is {len(post.text):,} characters, over the {POST_TEXT_MAX:,} limit"
        if post.is_repost and not self.include_reposts:
            return "it is a repost, and the campaign leaves reposts out"
        if (post.platform, post.external_id) in self.daily_posts:
            return "it is the campaign's own daily question post"
        if not self.earliest <= post.created_at <= self.latest:
            return (
                f"it was posted on {post.created_at:%-d %B %Y}, outside the campaign "
                f"({self.starts_at:%-d %B %Y} to {self.ends_at:%-d %B %Y}, "
                f"replies accepted up to {LATEST_AFTER_END.days} days after)"
            )
        return None

    def daily_question_for(self, post: IncomingPost) -> int | None:
        """The daily question a reply answers, by its conversation or the post it replies to."""
        for parent in (post.conversation_id, post.in_reply_to_id):
            if parent and (post.platform, parent) in self.daily_posts:
                return self.daily_posts[(post.platform, parent)]
        return None


def _insert_ignoring_duplicates(table):
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(
            index_elements=["platform", "external_id"]
        )
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=["platform", "external_id"])


def store_posts(
    window: CampaignWindow, posts: Sequence[IncomingPost], *, is_demo: bool = False
) -> StoreOutcome:
    """Store checked posts with their sentiment and hashtags; skip those already stored.

    Call `window.problem_with` first: this stores what it is given.
    """
    if not posts:
        return StoreOutcome()
    unique: dict[tuple[str, str], IncomingPost] = {}
    for post in posts:
        unique.setdefault((post.platform.value, post.external_id), post)
    collected_at = utcnow()
    sentiments = score([post.text for post in unique.values()])
    rows = [
        {
            "campaign_id": window.campaign_id,
            "platform": post.platform.value,
            "external_id": post.external_id,
            "conversation_id": post.conversation_id,
            "in_reply_to_id": post.in_reply_to_id,
            "author_id": post.author_id[:POST_ID_MAX],
            "author_handle": post.author_handle[:100],
            "text": post.text,
            "lang": (post.lang or None) and post.lang[:12],
            "created_at": post.created_at,
            "collected_at": collected_at,
            "like_count": post.like_count,
            "reply_count": post.reply_count,
            "repost_count": post.repost_count,
            "polarity": sentiment.score,
            "daily_question_id": window.daily_question_for(post),
            "is_demo": is_demo,
            "hidden": False,
            "needs_reply": False,
            "possible_crime": False,
        }
        for post, sentiment in zip(unique.values(), sentiments, strict=True)
    ]
    table = SocialPost.__table__
    statement = _insert_ignoring_duplicates(table).returning(
        table.c.id, table.c.platform, table.c.external_id
    )
    inserted = db.session.execute(statement, rows).all()
    texts = {key: post.text for key, post in unique.items()}
    hashtag_rows = [
        {"post_id": post_id, "tag": tag}
        for post_id, platform, external_id in inserted
        for tag in hashtags_in(texts[(platform, external_id)])
    ]
    if hashtag_rows:
        db.session.execute(PostHashtag.__table__.insert(), hashtag_rows)
    db.session.flush()
    return StoreOutcome(stored=len(inserted), duplicates=len(posts) - len(inserted))
