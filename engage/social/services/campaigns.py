"""Campaigns and their daily questions: the rules for setting them up."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, or_, select, update

from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.core.rows import rows_affected
from engage.social.models import (
    HASHTAGS_MAX,
    NAME_MAX,
    Campaign,
    CollectionRun,
    DailyQuestion,
    Platform,
    RunStatus,
    SocialPost,
)
from engage.surveys.models import Consultation, Question, QuestionKind

HASHTAG_WORD = re.compile(r"^\w{1,100}$", re.UNICODE)
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
# X's recent search endpoint reaches back this far; older posts must be imported from a file.
RECENT_SEARCH_REACH = timedelta(days=7)
# Which fixed option a position counts as, for the question kinds that have fixed options.
POSITION_OPTION_LABELS = {
    QuestionKind.YES_NO: ("Yes", "No", "Not sure"),
    QuestionKind.AGREEMENT: ("Agree", "Disagree", "Neither agree nor disagree"),
}


@dataclass
class CampaignDetails:
    slug: str
    name: str
    hashtags: str
    starts_on: date
    ends_on: date
    consultation_id: int | None = None
    include_retweets: bool = False
    monthly_read_budget: int = 10_000
    retention_days: int = 365


def normalise_hashtags(raw: str) -> str:
    """'#WMP2020, #westmidlands' -> 'wmp2020 westmidlands'; refuses what is not a hashtag."""
    tags: dict[str, None] = {}
    for word in re.split(r"[\s,]+", raw or ""):
        word = word.strip().lstrip("#").lower()
        if not word:
            continue
        if not HASHTAG_WORD.match(word):
            raise DomainError(
                f"‘{word[:40]}’ is not a hashtag: use letters, digits and underscores only.",
                field="hashtags",
            )
        tags.setdefault(word, None)
    if not tags:
        raise DomainError("Enter at least one hashtag, such as #WMP2020.", field="hashtags")
    joined = " ".join(tags)
    if len(joined) > HASHTAGS_MAX:
        raise DomainError(
            f"Hashtags must be {HASHTAGS_MAX} characters or fewer in all.", field="hashtags"
        )
    return joined


def _check(details: CampaignDetails, campaign: Campaign | None) -> None:
    if not SLUG.match(details.slug or ""):
        raise DomainError(
            "The short name must be lower-case letters, digits and hyphens, like wmp2020.",
            field="slug",
        )
    taken = db.session.scalar(select(Campaign.id).where(Campaign.slug == details.slug))
    if taken is not None and (campaign is None or taken != campaign.id):
        raise DomainError("Another campaign already has this short name.", field="slug")
    if not details.name.strip() or len(details.name) > NAME_MAX:
        raise DomainError(f"Enter a name of up to {NAME_MAX} characters.", field="name")
    if details.ends_on < details.starts_on:
        raise DomainError("The end date must be on or after the start date.", field="ends_on")
    if details.monthly_read_budget < 0:
        raise DomainError("The monthly read budget cannot be negative.", field="budget")
    if details.retention_days < 1:
        raise DomainError("Keep posts for at least one day.", field="retention_days")
    if details.consultation_id is not None and not db.session.get(
        Consultation, details.consultation_id
    ):
        raise DomainError("Choose a consultation from the list.", field="consultation_id")


def create_campaign(details: CampaignDetails, *, is_demo: bool = False) -> Campaign:
    details.hashtags = normalise_hashtags(details.hashtags)
    _check(details, None)
    campaign = Campaign(**vars(details), is_demo=is_demo)
    db.session.add(campaign)
    db.session.flush()
    return campaign


def update_campaign(campaign: Campaign, details: CampaignDetails) -> Campaign:
    details.hashtags = normalise_hashtags(details.hashtags)
    _check(details, campaign)
    if campaign.daily_questions and details.consultation_id != campaign.consultation_id:
        raise DomainError(
            "The consultation cannot change once daily questions are linked to its questions.",
            field="consultation_id",
        )
    for name, value in vars(details).items():
        setattr(campaign, name, value)
    db.session.flush()
    return campaign


def get_campaign(slug: str) -> Campaign:
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        raise DomainError(f"No campaign with the short name '{slug}'.", status=404)
    return campaign


def list_campaigns() -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).order_by(Campaign.starts_on.desc())))


def post_counts() -> dict[int, int]:
    rows = db.session.execute(
        select(SocialPost.campaign_id, func.count()).group_by(SocialPost.campaign_id)
    )
    return dict(rows.tuples().all())


@dataclass
class DailyQuestionDetails:
    question_id: int
    platform: str
    post_id: str
    posted_at: datetime
    text: str


def _default_options(question: Question) -> dict[str, int | None]:
    """The options that supports, opposes and mixed count as, for fixed-option questions."""
    labels = POSITION_OPTION_LABELS.get(question.kind)
    if not labels:
        return {"supports_option_id": None, "opposes_option_id": None, "mixed_option_id": None}
    by_label = {option.label: option.id for option in question.options}
    supports, opposes, mixed = (by_label.get(label) for label in labels)
    return {"supports_option_id": supports, "opposes_option_id": opposes, "mixed_option_id": mixed}


def add_daily_question(campaign: Campaign, details: DailyQuestionDetails) -> DailyQuestion:
    """Link the force's post to a consultation question, and link the replies already stored."""
    if campaign.consultation_id is None:
        raise DomainError("Link the campaign to a consultation before adding daily questions.")
    question = db.session.get(Question, details.question_id)
    if question is None or question.consultation_id != campaign.consultation_id:
        raise DomainError("Choose a question of the campaign's consultation.", field="question_id")
    if details.platform not in Platform._value2member_map_:
        raise DomainError("Choose a platform from the list.", field="platform")
    post_id = (details.post_id or "").strip()
    if not post_id or len(post_id) > 40:
        raise DomainError("Enter the post's id, up to 40 characters.", field="post_id")
    if details.platform == Platform.X and not post_id.isdigit():
        raise DomainError("An X post id is digits only, as in its web address.", field="post_id")
    exists = db.session.scalar(
        select(DailyQuestion.id).where(
            DailyQuestion.platform == details.platform, DailyQuestion.post_id == post_id
        )
    )
    if exists:
        raise DomainError("This post is already a daily question.", field="post_id")
    if not details.text.strip() or len(details.text) > 1000:
        raise DomainError("Enter the post's text, up to 1,000 characters.", field="text")
    daily = DailyQuestion(
        campaign_id=campaign.id,
        question_id=question.id,
        platform=Platform(details.platform),
        post_id=post_id,
        posted_at=details.posted_at.astimezone(UTC),
        text=details.text.strip(),
        **_default_options(question),
    )
    db.session.add(daily)
    db.session.flush()
    link_replies(daily)
    return daily


def link_replies(daily: DailyQuestion) -> int:
    """Point stored replies in the daily question's conversation at it; returns how many."""
    result = rows_affected(
        update(SocialPost)
        .where(
            SocialPost.campaign_id == daily.campaign_id,
            SocialPost.platform == daily.platform,
            SocialPost.daily_question_id.is_(None),
            or_(
                SocialPost.conversation_id == daily.post_id,
                SocialPost.in_reply_to_id == daily.post_id,
            ),
        )
        .values(daily_question_id=daily.id)
    )
    return result


def reads_this_month(campaign: Campaign, now: datetime) -> int:
    """Posts read from the X API for `campaign` since the first of `now`'s month."""
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(CollectionRun.posts_read), 0)).where(
                CollectionRun.campaign_id == campaign.id,
                CollectionRun.source == "x-api",
                CollectionRun.started_at >= month_start,
            )
        )
    )


def last_runs(campaign: Campaign, limit: int = 10) -> list[CollectionRun]:
    return list(
        db.session.scalars(
            select(CollectionRun)
            .where(CollectionRun.campaign_id == campaign.id)
            .order_by(CollectionRun.started_at.desc(), CollectionRun.id.desc())
            .limit(limit)
        )
    )


def last_completed_x_run(campaign: Campaign) -> CollectionRun | None:
    return db.session.scalar(
        select(CollectionRun)
        .where(
            CollectionRun.campaign_id == campaign.id,
            CollectionRun.source == "x-api",
            CollectionRun.status == RunStatus.COMPLETED,
        )
        .order_by(CollectionRun.started_at.desc())
        .limit(1)
    )
