"""Counts of posts per campaign hour, kept so the dashboard never reads every post.

`PostTally` and `HashtagTally` hold, for each campaign hour (UTC), its posts counted by daily
question, sentiment band, position and hidden (with their polarity summed and their flags
counted), and its hashtags likewise. Nothing that stores or changes posts writes to them:
database triggers (migration 0012) list every campaign hour a statement touched in
`social_hours_awaiting_fold`, whatever the statement (storing, hiding, a position, linking
replies, rescoring, purging, deleting a campaign's posts). `fold` takes the listed hours off
the list and rebuilds their tallies from their posts; readers use `live_posts` and
`live_hashtags`, which count the hours still listed from the posts themselves (an hour's
posts, by index) and read the tallies for the rest, so every figure is exact whenever read.

Writers never touch a tally row, so concurrent imports do not wait for each other. A fold
takes the listed rows by deleting them and only then reads the posts, so a change committed
while it runs stays listed and is folded next time. Folds and recounts take one PostgreSQL
advisory lock; SQLite allows one writer at a time anyway.

Sentiment bands follow `polarity_label`'s thresholds: if those ever change, run
`flask --app engage social recount`.
"""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import (
    Date,
    Integer,
    Select,
    Subquery,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    tuple_,
    union_all,
)

from engage.core.extensions import db
from engage.core.text_queries import sentiment_label
from engage.social.models import (
    Campaign,
    HashtagTally,
    HourAwaitingFold,
    PostHashtag,
    PostTally,
    SocialPost,
)

AWAITING = HourAwaitingFold.__table__
# Any fixed number serves; this one spells "posts" in hex, apart from the results tallies' key.
_ADVISORY_LOCK_KEY = 0x706F737473
POST_COUNTS = ("posts", "polarity_sum", "needs_reply", "possible_crime")
POST_GRAIN = ("day", "hour", "daily_question_id", "sentiment", "position", "hidden")
HASHTAG_GRAIN = ("day", "hour", "tag", "daily_question_id", "sentiment", "position", "hidden")


def _on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def utc(column):
    """The timestamp read in UTC, whatever the PostgreSQL session's time zone."""
    return func.timezone("UTC", column) if _on_postgresql() else column


def day_of(column):
    """The UTC day of a timestamp, as the triggers that list hours compute it."""
    return cast(utc(column), Date) if _on_postgresql() else func.date(column)


def hour_of(column):
    if _on_postgresql():
        return cast(func.extract("hour", utc(column)), Integer)
    return cast(func.strftime("%H", column), Integer)


def _flag_count(column):
    return func.sum(case((column.is_(True), 1), else_=0))


def _grain(*after_hour) -> tuple:
    """What the tallies count posts by, in POST_GRAIN's order (HASHTAG_GRAIN's with the tag)."""
    return (
        SocialPost.campaign_id,
        day_of(SocialPost.created_at).label("day"),
        hour_of(SocialPost.created_at).label("hour"),
        *after_hour,
        SocialPost.daily_question_id,
        sentiment_label(SocialPost.polarity).label("sentiment"),
        SocialPost.position,
        SocialPost.hidden,
    )


def post_groups(*conditions) -> Select:
    """The posts matching `conditions` counted as PostTally rows count them (a scan)."""
    grain = _grain()
    return (
        select(
            *grain,
            func.count().label("posts"),
            func.sum(SocialPost.polarity).label("polarity_sum"),
            _flag_count(SocialPost.needs_reply).label("needs_reply"),
            _flag_count(SocialPost.possible_crime).label("possible_crime"),
        )
        .where(*conditions)
        .group_by(*grain)
    )


def hashtag_groups(*conditions) -> Select:
    """The hashtags of the posts matching `conditions`, counted as HashtagTally rows are."""
    grain = _grain(PostHashtag.tag)
    return (
        select(*grain, func.count().label("posts"))
        .join(SocialPost, SocialPost.id == PostHashtag.post_id)
        .where(*conditions)
        .group_by(*grain)
    )


Hour = tuple[date, int]  # a UTC day and an hour of it, 0 to 23


def _on_hours(hours) -> object:
    """Posts created in `hours`, as ranges of consecutive hours so the index serves."""
    ranges: list[list[datetime]] = []
    for day, hour in sorted(hours):
        began = datetime.combine(day, time(hour), UTC)
        if ranges and ranges[-1][1] == began:
            ranges[-1][1] = began + timedelta(hours=1)
        else:
            ranges.append([began, began + timedelta(hours=1)])
    return or_(
        *(
            and_(SocialPost.created_at >= first, SocialPost.created_at < end)
            for first, end in ranges
        )
    )


def _hour_key(day, hour) -> Hour:
    return as_date(day), int(hour)


def awaiting_hours(campaign_ids) -> dict[int, set[Hour]]:
    """The hours of these campaigns listed as changed since their tallies were rebuilt."""
    rows = db.session.execute(
        select(AWAITING.c.campaign_id, AWAITING.c.day, AWAITING.c.hour)
        .where(AWAITING.c.campaign_id.in_(campaign_ids))
        .distinct()
    )
    awaiting: dict[int, set[Hour]] = defaultdict(set)
    for campaign_id, day, hour in rows:
        awaiting[campaign_id].add(_hour_key(day, hour))
    return dict(awaiting)


def _of_hours(model, hours: set[Hour]):
    return tuple_(model.day, model.hour).in_(sorted(hours))


def _live(model, groups, campaign_ids: list[int], awaiting: dict[int, set[Hour]]) -> Subquery:
    columns = ("campaign_id", *(POST_GRAIN if model is PostTally else HASHTAG_GRAIN))
    counts = POST_COUNTS if model is PostTally else ("posts",)
    tallied = select(*(getattr(model, name) for name in (*columns, *counts))).where(
        model.campaign_id.in_(campaign_ids),
        *(
            or_(model.campaign_id != campaign_id, ~_of_hours(model, hours))
            for campaign_id, hours in awaiting.items()
        ),
    )
    if not awaiting:
        return tallied.subquery(f"live_{model.__tablename__}")
    counted = groups(
        or_(
            *(
                and_(SocialPost.campaign_id == campaign_id, _on_hours(hours))
                for campaign_id, hours in awaiting.items()
            )
        )
    )
    return union_all(tallied, counted).subquery(f"live_{model.__tablename__}")


def live_posts(campaign_ids: list[int], awaiting: dict[int, set[Hour]]) -> Subquery:
    """PostTally rows of these campaigns, with the `awaiting` hours counted from their posts.

    Pass `awaiting_hours(campaign_ids)`, read once for every query of a page, so the hours one
    query counts from the posts are the hours the others do. Sum the rows: a key may repeat.
    """
    return _live(PostTally, post_groups, campaign_ids, awaiting)


def live_hashtags(campaign_ids: list[int], awaiting: dict[int, set[Hour]]) -> Subquery:
    """HashtagTally rows of these campaigns, with the `awaiting` hours counted from the posts."""
    return _live(HashtagTally, hashtag_groups, campaign_ids, awaiting)


def _serialise_writers(wait: bool = True) -> bool:
    """Take the lock folds and recounts share until the transaction ends (PostgreSQL only)."""
    if not _on_postgresql():
        return True
    function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
    taken = db.session.scalar(text(f"SELECT {function}(:key)"), {"key": _ADVISORY_LOCK_KEY})
    return wait or bool(taken)


def _rebuild(campaign_id: int, hours: set[Hour] | None) -> None:
    """Replace the tallies of a campaign's `hours` (all of them when None) by a recount."""
    for model, groups in ((PostTally, post_groups), (HashtagTally, hashtag_groups)):
        of_hours = [_of_hours(model, hours)] if hours is not None else []
        db.session.execute(delete(model).where(model.campaign_id == campaign_id, *of_hours))
        posts_of_hours = [_on_hours(hours)] if hours is not None else []
        query = groups(SocialPost.campaign_id == campaign_id, *posts_of_hours)
        columns = [column.name for column in query.selected_columns]
        db.session.execute(insert(model).from_select(columns, query))


def fold(wait: bool = True) -> int:
    """Rebuild the tallies of every listed hour and take the hours off the list; return how
    many campaign hours. Returns 0 at once when `wait` is off and another fold is running."""
    if not _serialise_writers(wait):
        return 0
    # Deleting is what takes an hour: a change committed after this stays listed.
    taken = db.session.execute(
        delete(AWAITING).returning(AWAITING.c.campaign_id, AWAITING.c.day, AWAITING.c.hour)
    )
    by_campaign: dict[int, set[Hour]] = defaultdict(set)
    for campaign_id, day, hour in taken:
        by_campaign[campaign_id].add(_hour_key(day, hour))
    for campaign_id, hours in sorted(by_campaign.items()):
        _rebuild(campaign_id, hours)
    db.session.flush()
    return sum(len(hours) for hours in by_campaign.values())


def as_date(value) -> date:
    """A day as SQLite gives it back from an expression or RETURNING: text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def count_awaiting() -> int:
    return db.session.scalar(select(func.count()).select_from(AWAITING))


def recount(campaign: Campaign) -> None:
    """Rebuild all of a campaign's tallies from its posts (after a repair, or a change to the
    sentiment thresholds). Hours changed while it runs stay listed and are folded later."""
    _serialise_writers()
    db.session.execute(delete(AWAITING).where(AWAITING.c.campaign_id == campaign.id))
    _rebuild(campaign.id, None)
    db.session.flush()


def tidy() -> None:
    """Give back the space of deleted list and tally rows (PostgreSQL only; autovacuum does
    it by itself where it is on). VACUUM cannot run in a transaction: its own connection."""
    if not _on_postgresql():
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for model in (HourAwaitingFold, PostTally, HashtagTally):
            connection.execute(text(f"VACUUM {model.__tablename__}"))


def _totals(source, grain: tuple[str, ...], counts: tuple[str, ...]) -> dict[tuple, tuple]:
    keys = [source.c[name] for name in grain]
    rows = db.session.execute(
        select(*keys, *(func.sum(source.c[name]) for name in counts)).group_by(*keys)
    )
    return {
        (as_date(row[0]), *row[1 : len(grain)]): tuple(row[len(grain) :])
        for row in rows
        if row[len(grain)]
    }


def compare(campaign: Campaign) -> list[str]:
    """A line for every figure the dashboard reads that differs from a full recount of the
    posts; empty when all agree. Polarity sums may differ by rounding only."""
    awaiting = awaiting_hours([campaign.id])
    differences = []
    for label, stored, counted, grain, counts in (
        (
            "posts",
            live_posts([campaign.id], awaiting),
            post_groups(SocialPost.campaign_id == campaign.id).subquery(),
            POST_GRAIN,
            POST_COUNTS,
        ),
        (
            "hashtags",
            live_hashtags([campaign.id], awaiting),
            hashtag_groups(SocialPost.campaign_id == campaign.id).subquery(),
            HASHTAG_GRAIN,
            ("posts",),
        ),
    ):
        have, want = _totals(stored, grain, counts), _totals(counted, grain, counts)
        for key in sorted(set(have) | set(want), key=str):
            if not _same(have.get(key), want.get(key)):
                differences.append(
                    f"{label} {key}: tallies {have.get(key)}, recount {want.get(key)}"
                )
    return differences


def _same(have: tuple | None, want: tuple | None) -> bool:
    if have is None or want is None:
        return have == want
    return all(
        abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))
        for a, b in zip(have, want, strict=True)
    )
