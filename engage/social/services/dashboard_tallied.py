"""The dashboard's figures read from the post tallies: a few thousand rows, however many posts.

Every figure but the posts by hour of day reads the day tallies (a row per day and group);
the hours chart reads the hour tallies, as it needs the hour.

Serves the dashboard unfiltered and filtered by dates, daily question, sentiment, and showing
hidden posts or replies without a position; a text search or a flag queue counts from the
posts instead (see `dashboard.dashboard`).
"""

from sqlalchemy import case, func, or_, select

from engage.core.extensions import db
from engage.core.text_queries import SENTIMENTS
from engage.social.models import Campaign, DailyQuestion, Position
from engage.social.services import post_tallies
from engage.social.services.dashboard_figures import DayFigures, PostFilters, QuestionFigures
from engage.social.services.post_tallies import as_date

TALLIED_SHOWS = ("visible", "hidden", "unclassified")


def served_by_tallies(filters: PostFilters) -> bool:
    return not filters.search and filters.show in TALLIED_SHOWS


def countable_daily_questions():
    """Daily questions whose replies can count in the results once given a position."""
    return select(DailyQuestion.id).where(
        or_(
            DailyQuestion.supports_option_id.is_not(None),
            DailyQuestion.opposes_option_id.is_not(None),
        )
    )


def _conditions(source, filters: PostFilters) -> list:
    """The filters as conditions on tally rows (of posts or hashtags, by hour or day alike)."""
    rows = source.c
    conditions = [rows.hidden.is_(filters.show == "hidden")]
    if filters.show == "unclassified":
        conditions += [
            rows.daily_question_id.in_(countable_daily_questions()),
            rows.position.is_(None),
        ]
    if filters.date_from:
        conditions.append(rows.day >= filters.date_from)
    if filters.date_to:
        conditions.append(rows.day <= filters.date_to)
    if filters.daily_question_id:
        conditions.append(rows.daily_question_id == filters.daily_question_id)
    if filters.sentiment:
        conditions.append(rows.sentiment == filters.sentiment)
    return conditions


def _shares(source):
    return tuple(
        func.sum(case((source.c.sentiment == name, source.c.posts), else_=0)) for name in SENTIMENTS
    )


class TalliedFigures:
    """One page's figures, from the tallies and the changes not yet folded into them."""

    def __init__(self, campaign: Campaign, filters: PostFilters):
        self.campaign = campaign
        self.pending = post_tallies.pending_changes([campaign.id])
        self.posts = post_tallies.live_posts_by_day([campaign.id])
        self.where = _conditions(self.posts, filters)
        self.filters = filters

    def days(self) -> list[DayFigures]:
        rows = self.posts.c
        result = db.session.execute(
            select(
                rows.day, func.sum(rows.posts), func.sum(rows.polarity_sum), *_shares(self.posts)
            )
            .where(*self.where)
            .group_by(rows.day)
            .order_by(rows.day)
        )
        return [
            DayFigures(as_date(day), int(posts), float(total) / int(posts), *map(int, shares))
            for day, posts, total, *shares in result
            if posts
        ]

    def hours(self) -> list[int]:
        by_hour = post_tallies.live_posts([self.campaign.id])
        rows = by_hour.c
        hours = [0] * 24
        for hour, posts in db.session.execute(
            select(rows.hour, func.sum(rows.posts))
            .where(*_conditions(by_hour, self.filters))
            .group_by(rows.hour)
        ):
            hours[int(hour)] = int(posts)
        return hours

    def hashtags(self, limit: int = 15) -> list[tuple[str, int]]:
        tags = post_tallies.live_hashtags_by_day([self.campaign.id])
        total = func.sum(tags.c.posts)
        rows = db.session.execute(
            select(tags.c.tag, total)
            .where(*_conditions(tags, self.filters))
            .group_by(tags.c.tag)
            .having(total > 0)
            .order_by(total.desc(), tags.c.tag)
            .limit(limit)
        )
        return [(tag, int(count)) for tag, count in rows]

    def questions(self) -> list[QuestionFigures]:
        rows = self.posts.c
        answered = [*self.where, rows.daily_question_id.is_not(None)]
        sentiment_rows = {
            row[0]: row[1:]
            for row in db.session.execute(
                select(rows.daily_question_id, func.sum(rows.posts), *_shares(self.posts))
                .where(*answered)
                .group_by(rows.daily_question_id)
            )
        }
        positions: dict[int, dict[str, int]] = {}
        for daily_id, position, count in db.session.execute(
            select(rows.daily_question_id, rows.position, func.sum(rows.posts))
            .where(*answered, rows.position.is_not(None))
            .group_by(rows.daily_question_id, rows.position)
        ):
            if count:  # changes not yet folded may sum a group to nothing
                positions.setdefault(daily_id, {})[Position(position).value] = int(count)
        figures = []
        for daily in self.campaign.daily_questions:
            replies, positive, neutral, negative = sentiment_rows.get(daily.id, (0, 0, 0, 0))
            figures.append(
                QuestionFigures(
                    daily,
                    int(replies),
                    int(positive),
                    int(neutral),
                    int(negative),
                    positions.get(daily.id, {}),
                )
            )
        return figures


def flagged_counts(campaign: Campaign) -> dict[str, int]:
    """Posts flagged for a reply or as a possible crime report (hidden or not), and hidden."""
    posts = post_tallies.live_posts_by_day([campaign.id])
    rows = posts.c
    row = db.session.execute(
        select(
            func.sum(rows.needs_reply),
            func.sum(rows.possible_crime),
            func.sum(case((rows.hidden.is_(True), rows.posts), else_=0)),
        )
    ).one()
    return {
        "needs_reply": int(row[0] or 0),
        "possible_crime": int(row[1] or 0),
        "hidden": int(row[2] or 0),
    }
