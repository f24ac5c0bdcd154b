"""The comms dashboard's figures, aggregated in SQL over the posts a filter selects."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Date, Integer, case, cast, func, or_, select

from engage.analysis.sentiment import NEGATIVE_BELOW, POSITIVE_ABOVE
from engage.analysis.text import top_terms
from engage.errors_domain import DomainError
from engage.extensions import db
from engage.social.models import Campaign, DailyQuestion, Position, PostHashtag, SocialPost
from engage.text_queries import SENTIMENTS, contains_phrase, sentiment_condition

SHOW = {
    "visible": "Visible posts",
    "needs_reply": "Needs a reply",
    "possible_crime": "Possible crime reports",
    "unclassified": "Replies without a position",
    "hidden": "Hidden posts",
}
SEARCH_MAX = 100
TERMS_SAMPLE = 5000  # terms are counted in Python, over this many of the newest posts
POSTS_PER_PAGE = 25


@dataclass
class PostFilters:
    date_from: date | None = None
    date_to: date | None = None
    daily_question_id: int | None = None
    sentiment: str | None = None
    search: str | None = None
    show: str = "visible"

    @property
    def active(self) -> bool:
        return any(value for key, value in self.as_args().items())

    def as_args(self) -> dict:
        return {
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "question": self.daily_question_id,
            "sentiment": self.sentiment,
            "search": self.search,
            "show": self.show if self.show != "visible" else None,
        }


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


def _conditions(campaign: Campaign, filters: PostFilters) -> list:
    conditions = [SocialPost.campaign_id == campaign.id]
    if filters.show == "hidden":
        conditions.append(SocialPost.hidden.is_(True))
    else:
        conditions.append(SocialPost.hidden.is_(False))
    if filters.show in ("needs_reply", "possible_crime"):
        conditions.append(getattr(SocialPost, filters.show).is_(True))
    if filters.show == "unclassified":
        conditions += [
            SocialPost.daily_question_id.in_(_countable_daily_questions()),
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


def _countable_daily_questions():
    """Daily questions whose replies can count in the results once given a position."""
    return select(DailyQuestion.id).where(
        or_(
            DailyQuestion.supports_option_id.is_not(None),
            DailyQuestion.opposes_option_id.is_not(None),
        )
    )


def _utc(column):
    """The timestamp read in UTC, whatever the PostgreSQL session's time zone."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.timezone("UTC", column)
    return column


def _day(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(_utc(column), Date)
    return func.date(column)


def _hour(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(func.extract("hour", _utc(column)), Integer)
    return cast(func.strftime("%H", column), Integer)


def _shares():
    return (
        func.sum(case((SocialPost.polarity > POSITIVE_ABOVE, 1), else_=0)),
        func.sum(case((SocialPost.polarity.between(NEGATIVE_BELOW, POSITIVE_ABOVE), 1), else_=0)),
        func.sum(case((SocialPost.polarity < NEGATIVE_BELOW, 1), else_=0)),
    )


@dataclass
class DayFigures:
    day: date
    posts: int
    mean_polarity: float
    positive: int
    neutral: int
    negative: int


@dataclass
class QuestionFigures:
    daily: DailyQuestion
    replies: int
    positive: int
    neutral: int
    negative: int
    positions: dict[str, int]

    @property
    def unclassified(self) -> int:
        return self.replies - sum(self.positions.values())


@dataclass
class Dashboard:
    total: int
    shares: dict[str, int]
    days: list[DayFigures]
    hours: list[int]
    hashtags: list[tuple[str, int]]
    terms: list[tuple[str, int]]
    questions: list[QuestionFigures]

    @property
    def share_percents(self) -> dict[str, float]:
        return {
            name: 100 * count / self.total if self.total else 0.0
            for name, count in self.shares.items()
        }


def dashboard(campaign: Campaign, filters: PostFilters) -> Dashboard:
    where = _conditions(campaign, filters)
    day = _day(SocialPost.created_at).label("day")
    day_rows = db.session.execute(
        select(day, func.count(), func.avg(SocialPost.polarity), *_shares())
        .where(*where)
        .group_by(day)
        .order_by(day)
    ).all()
    days = [
        DayFigures(
            _as_date(row[0]), row[1], float(row[2] or 0), int(row[3]), int(row[4]), int(row[5])
        )
        for row in day_rows
    ]
    hour = _hour(SocialPost.created_at).label("hour")
    hours = [0] * 24
    for value, count in db.session.execute(select(hour, func.count()).where(*where).group_by(hour)):
        hours[int(value)] = count
    shares = dict(
        zip(SENTIMENTS, (sum(getattr(d, s) for d in days) for s in SENTIMENTS), strict=True)
    )
    return Dashboard(
        total=sum(d.posts for d in days),
        shares=shares,
        days=days,
        hours=hours,
        hashtags=_top_hashtags(where),
        terms=_top_terms(where, campaign),
        questions=_per_question(campaign, where),
    )


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


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


def _top_terms(where: list, campaign: Campaign, limit: int = 20) -> list[tuple[str, int]]:
    texts = db.session.scalars(
        select(SocialPost.text)
        .where(*where)
        .order_by(SocialPost.created_at.desc())
        .limit(TERMS_SAMPLE)
    )
    campaign_tags = set(campaign.hashtag_list)
    return [(term, n) for term, n in top_terms(texts, limit + 5) if term not in campaign_tags][
        :limit
    ]


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


def list_posts(campaign: Campaign, filters: PostFilters, page: int):
    query = (
        select(SocialPost)
        .where(*_conditions(campaign, filters))
        .order_by(SocialPost.created_at.desc(), SocialPost.id.desc())
    )
    return db.paginate(query, page=page, per_page=POSTS_PER_PAGE, error_out=False)


def unclassified_replies(consultation_id: int) -> int:
    """Visible replies that could count in the consultation's results but have no position yet.

    Replies to a daily question with no options for positions (a multiple-choice question, say)
    are read for themes only, so they are not waiting for anything.
    """
    return db.session.scalar(
        select(func.count())
        .select_from(SocialPost)
        .join(DailyQuestion, DailyQuestion.id == SocialPost.daily_question_id)
        .join(Campaign, Campaign.id == DailyQuestion.campaign_id)
        .where(
            Campaign.consultation_id == consultation_id,
            SocialPost.hidden.is_(False),
            SocialPost.position.is_(None),
            DailyQuestion.id.in_(_countable_daily_questions()),
        )
    )


def flagged_counts(campaign: Campaign) -> dict[str, int]:
    row = db.session.execute(
        select(
            func.sum(case((SocialPost.needs_reply.is_(True), 1), else_=0)),
            func.sum(case((SocialPost.possible_crime.is_(True), 1), else_=0)),
            func.sum(case((SocialPost.hidden.is_(True), 1), else_=0)),
        ).where(SocialPost.campaign_id == campaign.id)
    ).one()
    return {
        "needs_reply": int(row[0] or 0),
        "possible_crime": int(row[1] or 0),
        "hidden": int(row[2] or 0),
    }
