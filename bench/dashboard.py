"""Time the comms dashboard and the results page's "waiting for a position" count as posts grow.

For SQLite and PostgreSQL: a fresh database with the demo, then generated posts in the demo
#WMP2020 campaign (server-side SQL: spread over 14 days and every hour, two in three replying
to one of the seven daily questions, hashtags, a few hidden, flagged or given a position) up
to each size. At each size it prints, beside the full fold that builds the tallies:

- the dashboard page (Flask test client, median and p95 of several requests), plain and
  filtered by a day, a daily question and a sentiment, the hidden posts, and a text search,
  which still counts from the posts;
- the page while changes wait for a fold: 1,000 new posts spread over the campaign's hours
  and one post hidden, then the fold that sums those changes into the tallies;
- counting the top terms (done after a view's reply, at most every few minutes) and the
  code counts (a frame of five codes, 1 post in 100 coded: half by people, half suggested);
- "before": the same figures counted from every post, as the page did before the tallies;
- the results page's count of replies waiting for a position, from the tallies and by the
  scan it used to run, and the results page itself;
- at the first size only: rescoring 100,000 posts' polarity (new values given, no model), a
  batch of 2,000 at a time, as an executemany of UPDATEs (one statement a post) and as one
  UPDATE a batch, each with the tally triggers and, on PostgreSQL, with them disabled;
- `flask --app engage social verify`'s full recount.

    .venv/bin/python bench/dashboard.py [--sizes 100000,1000000] [--only sqlite|postgresql]
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, text, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    SECRET_KEY,
    app_env,
    flask_command,
    fresh_postgres,
    fresh_sqlite,
    percentile,
)
from engage.analysis.text import stored_terms  # noqa: E402

RUNS = 9
NEW_POSTS = 1000
RESCORED = 100_000
PASSWORD = "bench dashboard password"
DAYS = 14
TEXTS = [
    "Yes great idea reporting crime online would help so much",
    "No this is an awful idea, officers should be on the street",
    "Maybe, not sure the app would work for older people",
    "Cameras on every street would make the neighbourhood safe",
    "Thanks for asking, community policing matters most",
    "My bike was stolen and nobody came, terrible service",
    "Text updates about burglary in my area would be good",
    "Online contact is fine but I want to see officers too",
]


def _case(values: list[str]) -> str:
    return "CASE i % 8 " + " ".join(f"WHEN {n} THEN '{v}'" for n, v in enumerate(values)) + " END"


TEXT_SQL = _case(TEXTS)
# Polarity spread over -1..1, about a third in each band.
POLARITY_SQL = "((i * 37) % 201 - 100) / 100.0"
# Seconds after the campaign's first day began; BIGINT, as i * 7919 outgrows PostgreSQL's integer.
SECONDS_SQL = f"(CAST(i AS BIGINT) * 7919) % {DAYS * 86400}"


def _series(dialect: str) -> tuple[str, str]:
    if dialect == "postgresql":
        return "", "generate_series(:first, :last) AS s(i)"
    recursive = (
        "WITH RECURSIVE s(i) AS (SELECT :first UNION ALL SELECT i + 1 FROM s WHERE i < :last) "
    )
    return recursive, "s"


def _created_at(dialect: str) -> str:
    seconds = SECONDS_SQL
    if dialect == "postgresql":
        return f"CAST(:start AS timestamptz) + ({seconds}) * interval '1 second'"
    return f"strftime('%Y-%m-%d %H:%M:%S', :start, '+' || ({seconds}) || ' seconds') || '.000000'"


def add_posts(db, campaign, first: int, last: int) -> None:
    """Insert posts numbered first..last, and their hashtags, with server-side SQL."""
    dialect = db.engine.dialect.name
    prefix, series = _series(dialect)
    dailies = [daily.id for daily in campaign.daily_questions]
    # A reply answers the daily question of the day it was posted (the last one after them).
    daily_sql = (
        f"CASE WHEN i % 3 = 0 THEN NULL ELSE CASE ({SECONDS_SQL}) / 86400 "
        + " ".join(f"WHEN {n} THEN {d}" for n, d in enumerate(dailies[:-1]))
        + f" ELSE {dailies[-1]} END END"
    )
    terms_sql = _case([stored_terms(words) for words in TEXTS])
    start = f"{campaign.starts_on.isoformat()} 00:00:00"
    db.session.execute(
        text(
            f"{prefix}INSERT INTO social_posts (campaign_id, platform, external_id, author_id, "
            "author_handle, text, terms, created_at, collected_at, like_count, reply_count, "
            "repost_count, polarity, daily_question_id, hidden, needs_reply, possible_crime, "
            "position, is_demo) "
            f"SELECT :campaign, 'x', 'bench' || i, CAST(i % 5000 AS TEXT), 'resident', "
            f"{TEXT_SQL} || ' #WMP2020' || CASE WHEN i % 4 = 0 THEN ' #police' ELSE '' END, "
            f"{terms_sql}, "
            f"{_created_at(dialect)}, {_created_at(dialect)}, 0, 0, 0, {POLARITY_SQL}, "
            f"{daily_sql}, i % 500 = 0, i % 300 = 0, i % 700 = 0, "
            "CASE WHEN i % 40 = 1 THEN 'supports' WHEN i % 40 = 2 THEN 'opposes' END, true "
            f"FROM {series}"
        ),
        {"campaign": campaign.id, "first": first, "last": last, "start": start},
    )
    for tag, every in (("wmp2020", 1), ("police", 4)):
        db.session.execute(
            text(
                "INSERT INTO social_post_hashtags (post_id, tag) SELECT id, :tag FROM social_posts "
                "WHERE campaign_id = :campaign AND external_id LIKE 'bench%' "
                "AND CAST(substr(external_id, 6) AS INTEGER) BETWEEN :first AND :last "
                "AND CAST(substr(external_id, 6) AS INTEGER) % :every = 0"
            ),
            {"tag": tag, "campaign": campaign.id, "first": first, "last": last, "every": every},
        )
    db.session.commit()


def _median_ms(call, runs: int = RUNS) -> tuple[float, float]:
    """Median and p95 of `runs` calls after a first one; a scan (runs=1) runs once only."""
    if runs > 1:
        call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), percentile(timings, 0.95)


def _page(client, url: str, expect: str | None = None):
    def get():
        page = client.get(url)
        assert page.status_code == 200, page.status_code
        if expect is not None:
            assert expect in page.get_data(as_text=True), expect

    return get


def _print(label: str, figures: tuple[float, float]) -> None:
    print(f"  {label:<58} median {figures[0]:7.1f} ms  p95 {figures[1]:7.1f} ms", flush=True)


def _analyze(db) -> None:
    """Refresh PostgreSQL's planner statistics after the bulk load, as autovacuum would."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))


def _old_unclassified(db, consultation_id: int) -> int:
    """The scan the results page ran before the tallies, as it was written."""
    from engage.social.models import Campaign, DailyQuestion, SocialPost
    from engage.social.services.dashboard_tallied import countable_daily_questions

    return db.session.scalar(
        select(func.count())
        .select_from(SocialPost)
        .join(DailyQuestion, DailyQuestion.id == SocialPost.daily_question_id)
        .join(Campaign, Campaign.id == DailyQuestion.campaign_id)
        .where(
            Campaign.consultation_id == consultation_id,
            SocialPost.hidden.is_(False),
            SocialPost.position.is_(None),
            DailyQuestion.id.in_(countable_daily_questions()),
        )
    )


def bench_size(db, client, campaign, size: int) -> None:
    from engage.auth.models import StaffUser
    from engage.social.models import SocialPost
    from engage.social.services import moderation, post_tallies
    from engage.social.services.dashboard import PostFilters, dashboard_from_posts
    from engage.social.services.moderation import unclassified_replies

    base = "/staff/social/wmp2020"
    last_id = db.session.scalar(select(func.max(SocialPost.id)))
    total = db.session.scalar(
        select(func.count()).select_from(SocialPost).where(SocialPost.hidden.is_(False))
    )
    some_day = (campaign.starts_on + timedelta(days=3)).isoformat()
    daily = campaign.daily_questions[2].id
    _print("dashboard, plain", _median_ms(_page(client, base, f">{total:,}<")))
    pages = {
        f"dashboard, on {some_day}": f"?date_from={some_day}&date_to={some_day}",
        "dashboard, one daily question": f"?question={daily}",
        "dashboard, negative posts": "?sentiment=negative",
        "dashboard, hidden posts (1 in 500)": "?show=hidden",
    }
    for label, query in pages.items():
        _print(label, _median_ms(_page(client, base + query)))
    searching = _page(client, f"{base}?search=bike")
    _print("dashboard, search 'bike' (counts from the posts)", _median_ms(searching, runs=1))
    scanning = lambda: dashboard_from_posts(campaign, PostFilters())  # noqa: E731
    _print("before: the same figures counted from every post", _median_ms(scanning, runs=1))
    consultation_id = campaign.consultation_id
    waiting = unclassified_replies(consultation_id)
    assert waiting == _old_unclassified(db, consultation_id)
    _print(
        f"waiting for a position ({waiting:,}), from the tallies",
        _median_ms(lambda: unclassified_replies(consultation_id)),
    )
    _print(
        "waiting for a position, before: the scan",
        _median_ms(lambda: _old_unclassified(db, consultation_id)),
    )
    results = _page(client, f"/staff/consultations/{consultation_id}/results")
    _print("results page", _median_ms(results))
    bench_extras(db, client, campaign, size)
    post = db.session.scalar(select(SocialPost).where(SocialPost.hidden.is_(False)).limit(1))
    admin = db.session.scalar(select(StaffUser).limit(1))
    app_config = client.application.config
    interval = app_config["TALLY_FOLD_INTERVAL_SECONDS"]
    app_config["TALLY_FOLD_INTERVAL_SECONDS"] = 10**9  # keep the changes waiting while timing
    add_posts(db, campaign, size + 1, size + NEW_POSTS)
    moderation.hide_post(post, admin, "bench")
    db.session.commit()
    waiting = post_tallies.count_pending()
    _print(
        f"dashboard, {NEW_POSTS:,} new posts and a hide waiting ({waiting:,} change rows)",
        _median_ms(_page(client, base)),
    )
    app_config["TALLY_FOLD_INTERVAL_SECONDS"] = interval
    started = time.perf_counter()
    hours = post_tallies.fold()
    db.session.commit()
    print(
        f"  fold of those changes ({hours} campaign hours): "
        f"{(time.perf_counter() - started) * 1000:.1f} ms",
        flush=True,
    )
    _print("dashboard, plain, after that fold", _median_ms(_page(client, base)))
    started = time.perf_counter()
    campaign = db.session.merge(campaign)
    differences = post_tallies.compare(campaign)
    verdict = "equal" if not differences else f"{len(differences)} differ"
    print(
        f"  full recount to verify the tallies: {time.perf_counter() - started:.1f} s, {verdict}",
        flush=True,
    )
    post_tallies.fold()
    db.session.commit()
    db.session.execute(
        text("DELETE FROM social_posts WHERE external_id LIKE 'bench%' AND id > :last"),
        {"last": last_id},
    )
    post_tallies.fold()
    db.session.commit()


def code_posts(db, campaign) -> int:
    """Give the campaign a frame of five codes and code 1 post in 100: half by a person
    (first pass), half suggested by the machine. Returns how many posts were coded."""
    from engage.auth.models import StaffUser
    from engage.coding import services as coding

    admin = db.session.scalar(select(StaffUser).limit(1))
    frame = coding.frame_for_campaign(campaign)
    codes = [coding.accept_theme(frame, f"Bench theme {n}", admin) for n in range(5)]
    db.session.flush()
    params = {"frame": frame.id, "campaign": campaign.id, "admin": admin.id}
    db.session.execute(
        text(
            "INSERT INTO coded_texts (frame_id, post_id, coding_pass, coder_id, coded_at) "
            "SELECT :frame, id, 'first', CASE WHEN id % 200 = 0 THEN :admin END, "
            "CASE WHEN id % 200 = 0 THEN CURRENT_TIMESTAMP END FROM social_posts "
            "WHERE campaign_id = :campaign AND id % 100 = 0"
        ),
        params,
    )
    for number, code in enumerate(codes):
        db.session.execute(
            text(
                "INSERT INTO codings (coded_text_id, code_id, source, assigned_by_id, confidence, "
                "created_at) SELECT id, :code, CASE WHEN coder_id IS NULL THEN 'machine' "
                "ELSE 'human' END, coder_id, CASE WHEN coder_id IS NULL THEN 0.8 END, "
                "CURRENT_TIMESTAMP FROM coded_texts WHERE frame_id = :frame "
                "AND (post_id / 100) % 5 <= :number"
            ),
            {"code": code.id, "frame": frame.id, "number": number},
        )
    db.session.commit()
    return db.session.scalar(
        text("SELECT count(*) FROM coded_texts WHERE frame_id = :frame"), {"frame": frame.id}
    )


def bench_extras(db, client, campaign, size: int) -> None:
    """Top terms and code counts."""
    from engage.coding.counts import campaign_code_counts
    from engage.social.services import top_terms
    from engage.social.services.dashboard import PostFilters

    started = time.perf_counter()
    top_terms.count_terms(campaign, PostFilters())
    db.session.commit()
    print(
        f"  counting the top terms, first time (splits the newest 5,000 posts' text): "
        f"{(time.perf_counter() - started) * 1000:.0f} ms",
        flush=True,
    )
    counting = lambda: top_terms.count_terms(campaign, PostFilters())  # noqa: E731
    _print("counting the top terms again (after a view, when stale)", _median_ms(counting))
    db.session.commit()
    coded = code_posts(db, campaign) if campaign_code_counts(campaign.id) is None else None
    codes = lambda: campaign_code_counts(campaign.id)  # noqa: E731
    label = f"code counts ({coded:,} posts coded)" if coded else "code counts"
    _print(label, _median_ms(codes))


def bench_rescore_writes(db) -> None:
    """Write new polarities for RESCORED posts, 2,000 a statement batch, both ways."""
    from engage.bulk_updates import set_by_id
    from engage.sentiment.scoring import RESCORE_BATCH
    from engage.social.models import SocialPost
    from engage.social.services import post_tallies

    ids = list(db.session.scalars(select(SocialPost.id).order_by(SocialPost.id).limit(RESCORED)))
    on_postgresql = db.engine.dialect.name == "postgresql"
    ways = (
        (
            "executemany, one UPDATE a post",
            lambda batch, value: db.session.execute(
                update(SocialPost), [{"id": i, "polarity": value} for i in batch]
            ),
        ),
        (
            "one UPDATE a batch",
            lambda batch, value: set_by_id(
                SocialPost, "polarity", dict.fromkeys(batch, value), float
            ),
        ),
    )
    # With the triggers each run moves every post to another sentiment band, so they record
    # every post; disabled, a run writes the same values again, so the tallies stay right.
    for value, (way, write) in zip((0.9, -0.9), ways, strict=True):
        for triggers in (True, False) if on_postgresql else (True,):
            if not triggers:
                db.session.execute(text("ALTER TABLE social_posts DISABLE TRIGGER USER"))
            started = time.perf_counter()
            for first in range(0, len(ids), RESCORE_BATCH):
                write(ids[first : first + RESCORE_BATCH], value)
                db.session.commit()
            elapsed = time.perf_counter() - started
            if not triggers:
                db.session.execute(text("ALTER TABLE social_posts ENABLE TRIGGER USER"))
                db.session.commit()
            state = "with the tally triggers" if triggers else "triggers disabled"
            print(f"  rescore {len(ids):,} posts, {way}, {state}: {elapsed:.1f} s", flush=True)
    started = time.perf_counter()
    post_tallies.fold()
    db.session.commit()
    print(f"  fold after the rescores: {time.perf_counter() - started:.2f} s", flush=True)
    db.session.execute(
        text(
            f"UPDATE social_posts SET polarity = "
            f"{POLARITY_SQL.replace('i', 'CAST(substr(external_id, 6) AS INTEGER)')} "
            "WHERE external_id LIKE 'bench%'"
        )
    )
    post_tallies.fold()
    db.session.commit()


def bench_database(label: str, database_url: str, sizes: list[int]) -> None:
    from engage import create_app
    from engage.auth import services as auth_services
    from engage.core.extensions import db
    from engage.social.models import Campaign, SocialPost
    from engage.social.services import post_tallies

    env = app_env(database_url)
    flask_command(env, "db", "upgrade")
    flask_command(env, "demo", "load")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": SECRET_KEY,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            # The benchmark's admin signs in with a password alone (no authenticator app here).
            "STAFF_2FA_REQUIRED_ROLES": (),
        }
    )
    with app.app_context():
        auth_services.create_staff("bench@example.org", "", "admin", PASSWORD)
        db.session.commit()
        client = app.test_client()
        client.post("/staff/login", data={"email": "bench@example.org", "password": PASSWORD})
        campaign = db.session.scalar(select(Campaign).filter_by(slug="wmp2020"))
        have = db.session.scalar(select(func.count()).select_from(SocialPost))
        made = 0
        for size in sizes:
            started = time.perf_counter()
            add_posts(db, campaign, made + 1, made + size - have)
            made += size - have
            have = size
            loaded = time.perf_counter() - started
            started = time.perf_counter()
            hours = post_tallies.fold()
            db.session.commit()
            post_tallies.tidy()
            folding = time.perf_counter() - started
            _analyze(db)
            print(
                f"{label}: {size:,} posts (generated in {loaded:.0f} s; the fold rebuilt "
                f"{hours} campaign hours' tallies from them in {folding:.1f} s)",
                flush=True,
            )
            campaign = db.session.merge(campaign)
            bench_size(db, client, campaign, size)
            if size == sizes[0]:
                bench_rescore_writes(db)
            campaign = db.session.scalar(select(Campaign).filter_by(slug="wmp2020"))
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    with tempfile.TemporaryDirectory() as scratch:
        if args.only in (None, "sqlite"):
            bench_database("SQLite", fresh_sqlite(Path(scratch) / "dashboard.sqlite"), sizes)
        if args.only in (None, "postgresql"):
            bench_database("PostgreSQL", fresh_postgres("test_dashboard_bench"), sizes)


if __name__ == "__main__":
    main()
