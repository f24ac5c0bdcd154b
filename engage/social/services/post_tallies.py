"""Counts of posts per campaign hour, kept so the dashboard never reads every post.

`PostTally` and `HashtagTally` hold, for each campaign hour (UTC), its posts counted by daily
question, sentiment band, position and hidden (with their polarity summed and their flags
counted), and its hashtags likewise; `PostDayTally` and `HashtagDayTally` hold the same for
each day, for the figures that need no hour (a day has up to 24 times fewer rows than its
hours). Nothing that stores or changes posts writes to them: database triggers (migration
0030) record what every statement on the posts or their hashtags does to the counts as change
rows (`PostTallyChange`, `HashtagTallyChange`: +n in the groups it added posts to, -n in
those it took them from), whatever the statement (storing, hiding, a position, linking
replies, rescoring, purging, deleting a campaign's posts). Readers add the change rows to the
tallies (`live_posts`, `live_posts_by_day`, ...), so every figure is exact whenever read;
`fold` sums the change rows into the tallies of the hours and days they touch and deletes
them. Both cost what changed, never what an hour or a day holds.

Writers never touch a tally row, so concurrent imports do not wait for each other. A fold
marks the change rows it takes before it reads them, so a change committed while it runs
waits for the next fold. Folds and recounts take one PostgreSQL advisory lock; SQLite allows
one writer at a time anyway.

Sentiment bands follow `polarity_label`'s thresholds, written into the triggers: if those ever
change, change the triggers and run `flask --app engage social recount`.
"""

from datetime import date
from typing import Any

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
    select,
    text,
    union_all,
    update,
)

from engage.core.extensions import db
from engage.core.rows import rows_affected
from engage.core.text_queries import sentiment_label
from engage.social.models import (
    Campaign,
    HashtagDayTally,
    HashtagTally,
    HashtagTallyChange,
    PostDayTally,
    PostHashtag,
    PostTally,
    PostTallyChange,
    SocialPost,
)

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


CHANGES: dict[Any, type[PostTallyChange | HashtagTallyChange]] = {
    PostTally: PostTallyChange,
    HashtagTally: HashtagTallyChange,
    PostDayTally: PostTallyChange,
    HashtagDayTally: HashtagTallyChange,
}
DAY_TALLIES = {PostTally: PostDayTally, HashtagTally: HashtagDayTally}
HOUR = ("campaign_id", "day", "hour")
DAY = ("campaign_id", "day")


def _without_hour(grain: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in grain if name != "hour")


def _names(model) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The columns a tally (or its change rows) is keyed by, and those it counts."""
    grain: tuple[str, ...]
    counts: tuple[str, ...]
    if model in (PostTally, PostTallyChange, PostDayTally):
        grain, counts = POST_GRAIN, POST_COUNTS
    else:
        grain, counts = HASHTAG_GRAIN, ("posts",)
    if model in DAY_TALLIES.values():
        grain = _without_hour(grain)
    return ("campaign_id", *grain), counts


def _rows(model, *conditions, like=None) -> Select:
    """The key and count columns of `model` (change rows read as the tally `like` is keyed)."""
    keys, counts = _names(like or model)
    return select(*(getattr(model, name) for name in (*keys, *counts))).where(*conditions)


def _live(model, campaign_ids: list[int]) -> Subquery:
    change = CHANGES[model]
    return union_all(
        _rows(model, model.campaign_id.in_(campaign_ids)),
        _rows(change, change.campaign_id.in_(campaign_ids), like=model),
    ).subquery(f"live_{model.__tablename__}")


def live_posts(campaign_ids: list[int]) -> Subquery:
    """PostTally rows of these campaigns with the changes not yet folded; sum the rows, as a
    key may repeat."""
    return _live(PostTally, campaign_ids)


def live_posts_by_day(campaign_ids: list[int]) -> Subquery:
    """PostDayTally rows of these campaigns with the changes not yet folded (no hour)."""
    return _live(PostDayTally, campaign_ids)


def live_hashtags(campaign_ids: list[int]) -> Subquery:
    """HashtagTally rows of these campaigns with the changes not yet folded."""
    return _live(HashtagTally, campaign_ids)


def live_hashtags_by_day(campaign_ids: list[int]) -> Subquery:
    """HashtagDayTally rows of these campaigns with the changes not yet folded (no hour)."""
    return _live(HashtagDayTally, campaign_ids)


def pending_changes(campaign_ids: list[int]) -> int:
    """Change rows of these campaigns not yet folded into the tallies."""
    return sum(
        db.session.scalar(
            select(func.count()).select_from(change).where(change.campaign_id.in_(campaign_ids))
        )
        for change in (PostTallyChange, HashtagTallyChange)
    )


def _serialise_writers(wait: bool = True) -> bool:
    """Take the lock folds and recounts share until the transaction ends (PostgreSQL only)."""
    if not _on_postgresql():
        return True
    function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
    taken = db.session.scalar(text(f"SELECT {function}(:key)"), {"key": _ADVISORY_LOCK_KEY})
    return wait or bool(taken)


def _merge_taken(model, period: tuple[str, ...]) -> int:
    """Rewrite `model`'s rows of every period (hour or day) the taken change rows touch as
    those rows plus the changes; return how many periods. Reads the changes and those
    periods' tally rows, never the posts."""
    change = CHANGES[model]
    keys, counts = _names(model)
    periods = (
        select(*(getattr(change, name) for name in period))
        .where(change.taken.is_(True))
        .distinct()
        .subquery()
    )
    of_periods = and_(*(getattr(model, name) == periods.c[name] for name in period))
    last_tally = db.session.scalar(select(func.max(model.id))) or 0
    both = union_all(
        _rows(model).join(periods, of_periods), _rows(change, change.taken.is_(True), like=model)
    ).subquery()
    merged = (
        select(*(both.c[name] for name in keys), *(func.sum(both.c[name]) for name in counts))
        .group_by(*(both.c[name] for name in keys))
        .having(func.sum(both.c.posts) != 0)
    )
    db.session.execute(insert(model).from_select([*keys, *counts], merged))
    replaced = select(model.id).join(periods, of_periods).where(model.id <= last_tally)
    db.session.execute(delete(model).where(model.id.in_(replaced.scalar_subquery())))
    return db.session.execute(select(func.count()).select_from(periods)).scalar_one()


def _fold_changes(model) -> int:
    """Sum the change rows not yet taken into the hour and day tallies they touch and delete
    them; return how many campaign hours."""
    change = CHANGES[model]
    # Marking is what takes a change row: one committed after this waits for the next fold.
    marking = update(change).where(change.taken.is_(False)).values(taken=True)
    if not rows_affected(marking):
        return 0
    touched = _merge_taken(model, HOUR)
    _merge_taken(DAY_TALLIES[model], DAY)
    db.session.execute(delete(change).where(change.taken.is_(True)))
    return touched


def fold(wait: bool = True) -> int:
    """Sum every change row into the tallies and delete it; return how many campaign hours
    changed. Returns 0 at once when `wait` is off and another fold is running."""
    if not _serialise_writers(wait):
        return 0
    hours = _fold_changes(PostTally)
    _fold_changes(HashtagTally)
    db.session.flush()
    return hours


def as_date(value) -> date:
    """A day as SQLite gives it back from an expression or RETURNING: text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def count_pending() -> int:
    """Change rows of every campaign not yet folded."""
    return sum(
        db.session.scalar(select(func.count()).select_from(change))
        for change in (PostTallyChange, HashtagTallyChange)
    )


def recount(campaign: Campaign) -> None:
    """Rebuild all of a campaign's tallies from its posts (after a repair, or a change to the
    sentiment thresholds)."""
    _serialise_writers()
    if _on_postgresql():
        # Writers wait until this commits, so no change lands between the recount and the
        # deletion of the change rows it replaces (a repair, run rarely).
        db.session.execute(text("LOCK TABLE social_posts, social_post_hashtags IN SHARE MODE"))
    for model, groups in ((PostTally, post_groups), (HashtagTally, hashtag_groups)):
        change, by_day = CHANGES[model], DAY_TALLIES[model]
        for table in (change, model, by_day):
            db.session.execute(delete(table).where(table.__table__.c.campaign_id == campaign.id))
        query = groups(SocialPost.campaign_id == campaign.id)
        columns = [column.name for column in query.selected_columns]
        db.session.execute(insert(model).from_select(columns, query))
        keys, counts = _names(by_day)
        days = select(
            *(getattr(model, name) for name in keys),
            *(func.sum(getattr(model, name)) for name in counts),
        ).where(model.campaign_id == campaign.id)
        db.session.execute(insert(by_day).from_select([*keys, *counts], days.group_by(*keys)))
    db.session.flush()


def tidy() -> None:
    """Give back the space of deleted list and tally rows (PostgreSQL only; autovacuum does
    it by itself where it is on). VACUUM cannot run in a transaction: its own connection."""
    if not _on_postgresql():
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for model in (*CHANGES, PostTallyChange, HashtagTallyChange):
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
    differences = []
    posts = post_groups(SocialPost.campaign_id == campaign.id).subquery()
    hashtags = hashtag_groups(SocialPost.campaign_id == campaign.id).subquery()
    by_day = _without_hour
    for label, stored, counted, grain, counts in (
        ("posts", live_posts([campaign.id]), posts, POST_GRAIN, POST_COUNTS),
        ("hashtags", live_hashtags([campaign.id]), hashtags, HASHTAG_GRAIN, ("posts",)),
        ("posts by day", live_posts_by_day([campaign.id]), posts, by_day(POST_GRAIN), POST_COUNTS),
        (
            "hashtags by day",
            live_hashtags_by_day([campaign.id]),
            hashtags,
            by_day(HASHTAG_GRAIN),
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
