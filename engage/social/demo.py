"""Demo data for social media: the #WMP2020 campaign, its seven daily questions and replies.

Every post is marked `is_demo`. Handles are made up (`demo_resident_123`).
"""

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from engage.auth.models import StaffUser
from engage.core.db_types import utcnow
from engage.core.extensions import db
from engage.social.demo_content import (
    ABUSIVE,
    CRIME_REPORTS,
    DAILY_POSTS,
    MIXED_OR_UNCLEAR,
    OPPOSED,
    SUPPORTIVE,
)
from engage.social.models import Campaign, Platform, SocialPost
from engage.social.services import moderation
from engage.social.services.campaigns import (
    CampaignDetails,
    DailyQuestionDetails,
    add_daily_question,
    create_campaign,
)
from engage.social.services.storage import CampaignWindow, IncomingPost, store_posts
from engage.surveys.models import Consultation

REPLIES = 1600
# Share of replies to each daily question that staff have already given a position.
CLASSIFIED_SHARE = 0.6
FIRST_POST_ID = 1_860_000_000_000_000_000


def load_social_demo(
    echo: Callable[[str], None], admin: StaffUser, consultation: Consultation, seed: int = 2020
) -> Campaign:
    """Create the #WMP2020 campaign on `consultation`, with replies over its seven days."""
    rng = random.Random(seed)
    today = utcnow().date()
    campaign = create_campaign(
        CampaignDetails(
            slug="wmp2020",
            name="#WMP2020: seven days of questions",
            hashtags="#WMP2020",
            starts_on=today - timedelta(days=9),
            ends_on=today - timedelta(days=3),
            consultation_id=consultation.id,
            monthly_read_budget=10_000,
            retention_days=365,
        ),
        is_demo=True,
    )
    dailies = []
    for day, (question_index, text) in enumerate(DAILY_POSTS):
        posted_at = datetime.combine(campaign.starts_on, datetime.min.time(), UTC) + timedelta(
            days=day, hours=8
        )
        dailies.append(
            add_daily_question(
                campaign,
                DailyQuestionDetails(
                    question_id=consultation.questions[question_index].id,
                    platform=Platform.X.value,
                    post_id=str(FIRST_POST_ID + day),
                    posted_at=posted_at,
                    text=text,
                ),
            )
        )
    replies = [_reply(rng, number, rng.choice(dailies)) for number in range(REPLIES)]
    outcome = store_posts(CampaignWindow(campaign), [post for _, post in replies], is_demo=True)
    _moderate(rng, campaign, admin, {post.external_id: kind for kind, post in replies})
    echo(f"#WMP2020 campaign: {outcome.stored:,} demo replies to {len(dailies)} daily questions.")
    return campaign


# The kind of reply each template set writes, and the position staff would give it.
KINDS = (
    (0.01, "crime report", CRIME_REPORTS),
    (0.015, "abuse", ABUSIVE),
    (0.65, "supports", SUPPORTIVE),
    (0.85, "opposes", OPPOSED),
    (1.0, "unclear", MIXED_OR_UNCLEAR),
)


def _reply(rng: random.Random, number: int, daily) -> tuple[str, IncomingPost]:
    roll = rng.random()
    kind, templates = next((kind, templates) for upto, kind, templates in KINDS if roll < upto)
    template = rng.choice(templates)
    # Most replies come the day of the question, fewer over the next days, by waking hours.
    delay = timedelta(hours=rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 12, 26, 50]) + rng.random() * 14)
    author = rng.randrange(1, 900)
    return kind, IncomingPost(
        platform=Platform.X,
        external_id=str(FIRST_POST_ID + 1000 + number),
        created_at=daily.posted_at + delay,
        text=template.format(tag=rng.choice(["#WMP2020", "#wmp2020", "#WMP2020 @WMPolice"])),
        author_id=str(10_000 + author),
        author_handle=f"demo_resident_{author}",
        conversation_id=daily.post_id,
        in_reply_to_id=daily.post_id,
        lang="en",
        like_count=rng.choice([0, 0, 1, 2, 5]),
    )


def _moderate(rng: random.Random, campaign: Campaign, admin: StaffUser, kinds: dict) -> None:
    """Flag the crime reports, hide the abuse, and give a share of replies their position."""
    posts = db.session.scalars(
        db.select(SocialPost).where(SocialPost.campaign_id == campaign.id).order_by(SocialPost.id)
    ).all()
    for post in posts:
        kind = kinds[post.external_id]
        if kind == "crime report":
            moderation.set_flag(post, admin, "possible_crime", True)
            moderation.set_flag(post, admin, "needs_reply", True)
        elif kind == "abuse":
            moderation.hide_post(post, admin, "Abusive: insults officers (demo).")
        elif post.daily_question.countable and rng.random() < CLASSIFIED_SHARE:
            position = "mixed" if kind == "unclear" and post.text.startswith("Maybe") else kind
            moderation.set_position(post, admin, position)
