"""The comms dashboard's filters and figures: from the post tallies, or from the posts."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, func, select

from engage.analysis.sentiment import NEGATIVE_BELOW, POSITIVE_ABOVE
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.core.text_queries import SENTIMENTS, contains_phrase, sentiment_condition
from engage.social.models import Campaign, Position, PostHashtag, SocialPost
from engage.social.services.dashboard_figures import (
    Dashboard,
    DayFigures,
    PostFilters,
    QuestionFigures,
)
from engage.social.services.dashboard_tallied import (
    TalliedFigures,
    countable_daily_questions,
    flagged_counts,
    served_by_tallies,
)
from engage.social.services.moderation import unclassified_replies
from engage.social.services.post_tallies import as_date, day_of, hour_of

SHOW = {
    "visible": "Visible posts",
    "needs_reply": "Needs a reply",
    "possible_crime": "Possible crime reports",
    "unclassified": "Replies without a position",
    "hidden": "Hidden posts",
}
SEARCH_MAX = 100
POSTS_PER_PAGE = 25


def _date(value: str | None, name: str, label: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(
            f"{label} must be a date like 2026-11-25.", field=name, status=400
        ) from None


def check_filters(campaign: Campaign, args) -> PostFilters:
    """Read the dashboard's filters from the query string; refuse nonsense with a 400."""
    filters = PostFilters(
        date_from=_date(args.get("date_from"), "date_from", "From"),
        date_to=_date(args.get("date_to"), "date_to", "To"),
        sentiment=args.get("sentiment") or None,
        search=(args.get("search") or "").strip() or None,
        show=args.get("show") or "visible",
    )
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        raise DomainError("The 'to' date must be on or after the 'from' date.", status=400)
    if filters.sentiment and filters.sentiment not in SENTIMENTS:
        raise DomainError("Choose positive, neutral or negative.", field="sentiment", status=400)
    if filters.search and len(filters.search) > SEARCH_MAX:
        raise DomainError(f"Search for {SEARCH_MAX} characters or fewer.", status=400)
    if filters.show not in SHOW:
        raise DomainError("Choose which posts to show from the list.", status=400)
    question = args.get("question") or None
    if question is not None:
        ids = {daily.id for daily in campaign.daily_questions}
        if not question.isdigit() or int(question) not in ids:
            raise DomainError("Choose a daily question of this campaign.", status=400)
        filters.daily_question_id = int(question)
    return filters


def post_conditions(campaign: Campaign, filters: PostFilters) -> list:
    """The filters as conditions on the campaign's posts."""
    conditions = [SocialPost.campaign_id == campaign.id]
    if filters.show == "hidden":
        conditions.append(SocialPost.hidden.is_(True))
    else:
        conditions.append(SocialPost.hidden.is_(False))
    if filters.show in ("needs_reply", "possible_crime"):
        conditions.append(getattr(SocialPost, filters.show).is_(True))
    if filters.show == "unclassified":
        conditions += [
            SocialPost.daily_question_id.in_(countable_daily_questions()),
            SocialPost.position.is_(None),
        ]
    if filters.date_from:
        conditions.append(SocialPost.created_at >= datetime.combine(filters.date_from, time(), UTC))
    if filters.date_to:
        day_after = datetime.combine(filters.date_to + timedelta(days=1), time(), UTC)
        conditions.append(SocialPost.created_at < day_after)
    if filters.daily_question_id:
        conditions.append(SocialPost.daily_question_id == filters.daily_question_id)
    if filters.sentiment:
        conditions.append(sentiment_condition(SocialPost.polarity, filters.sentiment))
    if filters.search:
        conditions.append(contains_phrase(SocialPost.text, filters.search))
    return conditions


def _shares():
    return (
        func.sum(case((SocialPost.polarity > POSITIVE_ABOVE, 1), else_=0)),
        func.sum(case((SocialPost.polarity.between(NEGATIVE_BELOW, POSITIVE_ABOVE), 1), else_=0)),
        func.sum(case((SocialPost.polarity < NEGATIVE_BELOW, 1), else_=0)),
    )


def dashboard(campaign: Campaign, filters: PostFilters) -> Dashboard:
    """The page's figures: from the post tallies when they hold the filters' grain, else
    counted from the posts (a text search, or the needs-a-reply and crime-report queues)."""
    if not served_by_tallies(filters):
        return dashboard_from_posts(campaign, filters)
    tallied = TalliedFigures(campaign, filters)
    days = tallied.days()
    return Dashboard(
        total=sum(d.posts for d in days),
        shares=_shares_of(days),
        days=days,
        hours=tallied.hours(),
        hashtags=tallied.hashtags(),
        questions=tallied.questions(),
        pending_changes=tallied.pending,
    )


def dashboard_from_posts(campaign: Campaign, filters: PostFilters) -> Dashboard:
    """The page's figures counted from every post the filters select (a scan)."""
    where = post_conditions(campaign, filters)
    day = day_of(SocialPost.created_at).label("day")
    day_rows = db.session.execute(
        select(day, func.count(), func.avg(SocialPost.polarity), *_shares())
        .where(*where)
        .group_by(day)
        .order_by(day)
    ).all()
    days = [
        DayFigures(
            as_date(row[0]), row[1], float(row[2] or 0), int(row[3]), int(row[4]), int(row[5])
        )
        for row in day_rows
    ]
    hour = hour_of(SocialPost.created_at).label("hour")
    hours = [0] * 24
    for value, count in db.session.execute(select(hour, func.count()).where(*where).group_by(hour)):
        hours[int(value)] = count
    return Dashboard(
        total=sum(d.posts for d in days),
        shares=_shares_of(days),
        days=days,
        hours=hours,
        hashtags=_top_hashtags(where),
        questions=_per_question(campaign, where),
    )


def _shares_of(days: list[DayFigures]) -> dict[str, int]:
    return {name: sum(getattr(day, name) for day in days) for name in SENTIMENTS}


def _top_hashtags(where: list, limit: int = 15) -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(PostHashtag.tag, func.count())
        .join(SocialPost, SocialPost.id == PostHashtag.post_id)
        .where(*where)
        .group_by(PostHashtag.tag)
        .order_by(func.count().desc(), PostHashtag.tag)
        .limit(limit)
    )
    return [(tag, count) for tag, count in rows]


def _per_question(campaign: Campaign, where: list) -> list[QuestionFigures]:
    sentiment_rows = {
        row[0]: row[1:]
        for row in db.session.execute(
            select(SocialPost.daily_question_id, func.count(), *_shares())
            .where(*where, SocialPost.daily_question_id.is_not(None))
            .group_by(SocialPost.daily_question_id)
        )
    }
    positions: dict[int, dict[str, int]] = {}
    for daily_id, position, count in db.session.execute(
        select(SocialPost.daily_question_id, SocialPost.position, func.count())
        .where(*where, SocialPost.daily_question_id.is_not(None), SocialPost.position.is_not(None))
        .group_by(SocialPost.daily_question_id, SocialPost.position)
    ):
        positions.setdefault(daily_id, {})[Position(position).value] = count
    figures = []
    for daily in campaign.daily_questions:
        replies, positive, neutral, negative = sentiment_rows.get(daily.id, (0, 0, 0, 0))
        figures.append(
            QuestionFigures(
                daily,
                replies,
                int(positive),
                int(neutral),
                int(negative),
                positions.get(daily.id, {}),
            )
        )
    return figures


def list_posts(campaign: Campaign, filters: PostFilters, page: int, total: int | None = None):
    """A page of the matching posts, newest first. Pass `total` when the figures already
    counted the matching posts, so the pages are not counted again over every post."""
    query = (
        select(SocialPost)
        .where(*post_conditions(campaign, filters))
        .order_by(SocialPost.created_at.desc(), SocialPost.id.desc())
    )
    pagination = db.paginate(
        query, page=page, per_page=POSTS_PER_PAGE, error_out=False, count=total is None
    )
    if total is not None:
        pagination.total = total
    return pagination


__all__ = ["Dashboard", "PostFilters", "flagged_counts", "unclassified_replies"]
