"""Social media campaigns, their daily questions, the replies collected, and what staff did.

Posts are public, but the platform keeps only what the work needs: text, time, reply links,
public counts and the author's handle (shown to staff only, pseudonymised in exports), and
`flask --app engage social purge` deletes posts once their campaign's retention period ends.
"""

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.db_types import UTCDateTime, utcnow
from engage.core.enum_column import enum_column
from engage.core.extensions import Model

NAME_MAX = 200
HASHTAGS_MAX = 300
POST_ID_MAX = 40
POST_TEXT_MAX = 25_000  # X's own limit for a long post; anything longer is not a real post
NOTE_MAX = 2000
HASHTAG_MAX = 100


class Platform(enum.StrEnum):
    X = "x"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    OTHER = "other"


PLATFORM_LABELS = {
    Platform.X: "X",
    Platform.FACEBOOK: "Facebook",
    Platform.INSTAGRAM: "Instagram",
    Platform.OTHER: "Other",
}


class Position(enum.StrEnum):
    """Where a reply stands on its daily question."""

    SUPPORTS = "supports"
    OPPOSES = "opposes"
    MIXED = "mixed"
    UNCLEAR = "unclear"


POSITION_LABELS = {
    Position.SUPPORTS: "Supports",
    Position.OPPOSES: "Opposes",
    Position.MIXED: "Mixed",
    Position.UNCLEAR: "Unclear",
}


class RunStatus(enum.StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    STOPPED = "stopped"  # ended early on purpose: the read budget, or the retry bound
    FAILED = "failed"


class Campaign(Model):
    """A run of daily questions under one or more hashtags, such as #WMP2020."""

    __tablename__ = "social_campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    # Space-separated, lower case, without '#': "wmp2020 westmidlandspolice".
    hashtags: Mapped[str] = mapped_column(String(HASHTAGS_MAX))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultations.id"))
    include_retweets: Mapped[bool] = mapped_column(default=False)
    # Posts the X API may read for this campaign in a calendar month (X charges per post read).
    monthly_read_budget: Mapped[int] = mapped_column(default=10_000)
    retention_days: Mapped[int] = mapped_column(default=365)
    # The newest X post id stored so far: the next collection's since_id.
    newest_x_id: Mapped[str | None] = mapped_column(String(POST_ID_MAX))
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    consultation = relationship("Consultation")
    daily_questions: Mapped[list["DailyQuestion"]] = relationship(
        back_populates="campaign", order_by="(DailyQuestion.posted_at, DailyQuestion.id)"
    )

    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="campaign_ends_after_start"),
        CheckConstraint("monthly_read_budget >= 0", name="read_budget_not_negative"),
        CheckConstraint("retention_days > 0", name="retention_positive"),
    )

    @property
    def hashtag_list(self) -> list[str]:
        return self.hashtags.split()


class DailyQuestion(Model):
    """The force's post asking one consultation question; replies to it answer that question.

    A confirmed position counts as the option named here, so "supports" on a yes/no question
    counts as "Yes" and on an agreement scale as "Agree".
    """

    __tablename__ = "social_daily_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("social_campaigns.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    platform: Mapped[Platform] = mapped_column(enum_column(Platform))
    post_id: Mapped[str] = mapped_column(String(POST_ID_MAX))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(String(1000))
    supports_option_id: Mapped[int | None] = mapped_column(ForeignKey("options.id"))
    opposes_option_id: Mapped[int | None] = mapped_column(ForeignKey("options.id"))
    mixed_option_id: Mapped[int | None] = mapped_column(ForeignKey("options.id"))

    campaign: Mapped[Campaign] = relationship(back_populates="daily_questions")
    question = relationship("Question")

    __table_args__ = (UniqueConstraint("platform", "post_id", name="uq_daily_question_post"),)

    @property
    def countable(self) -> bool:
        """Whether a position on a reply counts as an answer: the question has options for it."""
        return self.supports_option_id is not None or self.opposes_option_id is not None

    @property
    def counted_as(self) -> dict["Position", str]:
        """The answer each countable position counts as, by label: {supports: "Yes", ...}."""
        labels = {option.id: option.label for option in self.question.options}
        return {
            position: labels[option_id]
            for position in (Position.SUPPORTS, Position.OPPOSES, Position.MIXED)
            if (option_id := self.option_for(position)) in labels
        }

    def option_for(self, position: "Position") -> int | None:
        return {
            Position.SUPPORTS: self.supports_option_id,
            Position.OPPOSES: self.opposes_option_id,
            Position.MIXED: self.mixed_option_id,
        }.get(position)


class SocialPost(Model):
    """One public post or reply, collected from X or imported from a file."""

    __tablename__ = "social_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("social_campaigns.id"))
    platform: Mapped[Platform] = mapped_column(enum_column(Platform))
    external_id: Mapped[str] = mapped_column(String(POST_ID_MAX))
    conversation_id: Mapped[str | None] = mapped_column(String(POST_ID_MAX))
    in_reply_to_id: Mapped[str | None] = mapped_column(String(POST_ID_MAX))
    author_id: Mapped[str] = mapped_column(String(POST_ID_MAX), default="")
    author_handle: Mapped[str] = mapped_column(String(100), default="")
    text: Mapped[str] = mapped_column(Text)
    # The text's distinct terms, space-separated, for the dashboard's top terms: split by the
    # first view that counts the post (see dashboard.keep_terms); None until then.
    terms: Mapped[str | None] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    collected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    like_count: Mapped[int] = mapped_column(default=0)
    reply_count: Mapped[int] = mapped_column(default=0)
    repost_count: Mapped[int] = mapped_column(default=0)
    polarity: Mapped[float] = mapped_column(default=0.0)
    daily_question_id: Mapped[int | None] = mapped_column(ForeignKey("social_daily_questions.id"))
    hidden: Mapped[bool] = mapped_column(default=False)
    needs_reply: Mapped[bool] = mapped_column(default=False)
    possible_crime: Mapped[bool] = mapped_column(default=False)
    position: Mapped[Position | None] = mapped_column(enum_column(Position))
    position_set_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    # The anonymous survey response that counts this reply's confirmed position in the results.
    response_id: Mapped[int | None] = mapped_column(ForeignKey("responses.id", ondelete="SET NULL"))
    is_demo: Mapped[bool] = mapped_column(default=False)

    campaign: Mapped[Campaign] = relationship()
    daily_question: Mapped[DailyQuestion | None] = relationship()
    actions: Mapped[list["ModerationAction"]] = relationship(
        back_populates="post",
        order_by="ModerationAction.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (
        UniqueConstraint("platform", "external_id", name="uq_social_post_external"),
        Index("ix_social_posts_campaign_created", "campaign_id", "created_at"),
        # The dashboard's list, newest first (id breaks ties), of visible or of hidden posts:
        # read from the index's end, 25 rows whatever the campaign holds (migration 0100).
        Index(
            "ix_social_posts_campaign_hidden_created",
            "campaign_id",
            "hidden",
            "created_at",
            "id",
        ),
        # A daily question's newest replies, visible or hidden, for the dashboard's list and
        # terms filtered by it; with its three equalities SQLite prefers it to the index above
        # whenever a question is chosen (that one would step over every other day's posts).
        Index(
            "ix_social_posts_daily_question_list",
            "daily_question_id",
            "campaign_id",
            "hidden",
            "created_at",
            "id",
        ),
    )


class PostHashtag(Model):
    """A hashtag a post carries, lower case, so top hashtags are one GROUP BY."""

    __tablename__ = "social_post_hashtags"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("social_posts.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(HASHTAG_MAX), primary_key=True)

    __table_args__ = (Index("ix_social_post_hashtags_tag", "tag"),)


class ModerationAction(Model):
    """Who did what to a post and when: the audit trail of moderation. Never updated."""

    __tablename__ = "social_moderation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("social_posts.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    action: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    post: Mapped[SocialPost] = relationship(back_populates="actions")
    staff = relationship("StaffUser")


class CollectionRun(Model):
    """One collection from X or one file import: when, how many, and how it ended."""

    __tablename__ = "social_collection_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("social_campaigns.id"), index=True)
    source: Mapped[str] = mapped_column(String(20))  # "x-api", "x-jsonl" or "csv"
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[RunStatus] = mapped_column(enum_column(RunStatus), default=RunStatus.RUNNING)
    posts_read: Mapped[int] = mapped_column(default=0)
    stored: Mapped[int] = mapped_column(default=0)
    duplicates: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(1000), default="")


class _CampaignDayCount:
    """What every tally row counts posts by, and the count."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("social_campaigns.id", ondelete="CASCADE"))
    day: Mapped[date]
    daily_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("social_daily_questions.id", ondelete="CASCADE")
    )
    sentiment: Mapped[str] = mapped_column(String(8))
    position: Mapped[Position | None] = mapped_column(enum_column(Position))
    hidden: Mapped[bool]
    posts: Mapped[int]


class _CampaignHourCount(_CampaignDayCount):
    """What PostTally and HashtagTally rows (and their changes) count posts by: also the hour."""

    hour: Mapped[int]


class PostTally(_CampaignHourCount, Model):
    """Posts of one campaign hour counted by daily question, sentiment, position and hidden.

    Never edited by the code that stores or changes posts: database triggers (migration 0030)
    record each change as a `PostTallyChange`, and a fold adds those in (`services.post_tallies`).
    """

    __tablename__ = "social_post_tallies"

    polarity_sum: Mapped[float]
    needs_reply: Mapped[int]
    possible_crime: Mapped[int]

    __table_args__ = (Index("ix_social_post_tallies_campaign_day", "campaign_id", "day"),)


class HashtagTally(_CampaignHourCount, Model):
    """Posts of one campaign hour carrying a hashtag, by daily question, sentiment, position and
    hidden; kept like PostTally."""

    __tablename__ = "social_hashtag_tallies"

    tag: Mapped[str] = mapped_column(String(HASHTAG_MAX))

    __table_args__ = (Index("ix_social_hashtag_tallies_campaign_day", "campaign_id", "day"),)


class PostDayTally(_CampaignDayCount, Model):
    """PostTally summed over each day (kept by the same folds, migration 0100), so the figures
    that need no hour read a row per day and group, not 24: the dashboard's days, daily
    questions and flags, and the results page's replies waiting for a position."""

    __tablename__ = "social_post_day_tallies"

    polarity_sum: Mapped[float]
    needs_reply: Mapped[int]
    possible_crime: Mapped[int]

    __table_args__ = (Index("ix_social_post_day_tallies_campaign_day", "campaign_id", "day"),)


class HashtagDayTally(_CampaignDayCount, Model):
    """HashtagTally summed over each day: the dashboard's top hashtags read these."""

    __tablename__ = "social_hashtag_day_tallies"

    tag: Mapped[str] = mapped_column(String(HASHTAG_MAX))

    __table_args__ = (Index("ix_social_hashtag_day_tallies_campaign_day", "campaign_id", "day"),)


class PostTallyChange(_CampaignHourCount, Model):
    """What a statement on social_posts added to (or, negative, took from) PostTally's counts.

    Written only by database triggers (migration 0030); readers add these rows to the tallies,
    and a fold sums them into the tallies and deletes them. `taken` marks the rows a running
    fold took, so rows committed meanwhile wait for the next fold.
    """

    __tablename__ = "social_post_tally_changes"

    polarity_sum: Mapped[float]
    needs_reply: Mapped[int]
    possible_crime: Mapped[int]
    taken: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        Index("ix_social_post_tally_changes_campaign_hour", "campaign_id", "day", "hour"),
    )


class HashtagTallyChange(_CampaignHourCount, Model):
    """What a statement on posts or their hashtags added to or took from HashtagTally."""

    __tablename__ = "social_hashtag_tally_changes"

    tag: Mapped[str] = mapped_column(String(HASHTAG_MAX))
    taken: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        Index("ix_social_hashtag_tally_changes_campaign_hour", "campaign_id", "day", "hour"),
    )


class TopTerms(Model):
    """The commonest terms of a campaign's newest posts matching one set of dashboard filters,
    as last counted: the dashboard shows them with their age and recounts them after its reply
    once they are older than TOP_TERMS_MAX_AGE_SECONDS."""

    __tablename__ = "social_top_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("social_campaigns.id", ondelete="CASCADE"))
    filters_key: Mapped[str] = mapped_column(String(400))
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    posts_read: Mapped[int]
    # [[term, count], ...] as JSON, commonest first.
    terms: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("campaign_id", "filters_key", name="uq_social_top_terms_filters"),
    )
