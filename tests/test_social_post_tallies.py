"""The dashboard's post tallies: equal to a full recount after everything that changes posts."""

import threading
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, text, update

from engage.analysis.sentiment import Sentiment
from engage.auth.models import Role, StaffUser
from engage.core.extensions import db as _db
from engage.sentiment import scoring as sentiment_scoring
from engage.social import jobs as social_jobs
from engage.social.models import (
    Campaign,
    HashtagDayTally,
    HashtagTally,
    HashtagTallyChange,
    Platform,
    PostDayTally,
    PostTally,
    PostTallyChange,
    SocialPost,
)
from engage.social.services import campaigns, moderation, post_tallies, privacy, sentiment
from engage.social.services.dashboard import (
    PostFilters,
    dashboard,
    dashboard_from_posts,
    flagged_counts,
    unclassified_replies,
)
from engage.social.services.storage import CampaignWindow, IncomingPost, store_posts
from tests.conftest import DAILY_POST_ID

START = datetime.combine(date.today() - timedelta(days=3), datetime.min.time(), UTC)
TEXTS = [
    "Yes, a great idea #WMP2020 #police",
    "No, an awful idea #WMP2020",
    "Maybe, I am not sure #WMP2020 #community",
    "Online reporting is good and helpful #police",
    "Terrible, bad and horrible",
]


def _posts(first: int, count: int, reply_to: str | None = DAILY_POST_ID) -> list[IncomingPost]:
    """Posts spread over days and hours, every third not a reply, with varied sentiment."""
    return [
        IncomingPost(
            platform=Platform.X,
            external_id=str(1_880_000_000 + number),
            created_at=START + timedelta(hours=7 * number % 90, minutes=number % 60),
            text=TEXTS[number % len(TEXTS)],
            conversation_id=reply_to if number % 3 else None,
            author_id=str(number % 7),
        )
        for number in range(first, first + count)
    ]


def _store(campaign_id: int, posts: list[IncomingPost]) -> int:
    campaign = _db.session.get(Campaign, campaign_id)
    stored = store_posts(CampaignWindow(campaign), posts).stored
    _db.session.commit()
    return stored


FILTERS = [
    PostFilters(),
    PostFilters(show="hidden"),
    PostFilters(show="unclassified"),
    PostFilters(sentiment="positive"),
    PostFilters(sentiment="neutral", date_from=START.date() + timedelta(days=1)),
    PostFilters(
        date_from=START.date() + timedelta(days=1), date_to=START.date() + timedelta(days=2)
    ),
]


def _plain(figures) -> dict:
    """The figures as the page shows them: mean polarity rounded as the charts round it."""
    values = asdict(figures)
    values.pop("pending_changes")
    for day in values["days"]:
        day["mean_polarity"] = round(day["mean_polarity"], 9)
    for question in values["questions"]:
        question["daily"] = question["daily"].id
    return values


def _assert_tallies_exact(campaign_id: int) -> None:
    """What the dashboard reads equals a scan of the posts, before and after a fold."""
    campaign = _db.session.get(Campaign, campaign_id)
    filters = [*FILTERS, PostFilters(daily_question_id=campaign.daily_questions[0].id)]
    for folded in (False, True):
        if folded:
            post_tallies.fold()
            _db.session.commit()
            assert post_tallies.count_pending() == 0
        assert post_tallies.compare(campaign) == []
        for chosen in filters:
            assert _plain(dashboard(campaign, chosen)) == _plain(
                dashboard_from_posts(campaign, chosen)
            ), chosen


def _staff() -> StaffUser:
    user = StaffUser(email="comms@example.org", name="", role=Role.COMMS, password_hash="x")
    _db.session.add(user)
    _db.session.flush()
    return user


def test_figures_equal_a_recount_after_storing_and_duplicates(db, make_campaign):
    campaign_id = make_campaign()
    assert _store(campaign_id, _posts(0, 60)) == 60
    _assert_tallies_exact(campaign_id)
    assert _store(campaign_id, _posts(40, 50)) == 30  # 20 duplicates skipped
    _assert_tallies_exact(campaign_id)
    figures = dashboard(_db.session.get(Campaign, campaign_id), PostFilters())
    assert figures.total == 90
    assert dict(figures.hashtags)["wmp2020"] == 54
    assert figures.pending_changes == 0  # read after the fold: from the tallies alone


def test_figures_equal_a_recount_after_moderation(db, make_campaign):
    campaign_id = make_campaign()
    _store(campaign_id, _posts(0, 40))
    post_tallies.fold()
    staff = _staff()
    posts = list(db.session.scalars(select(SocialPost).order_by(SocialPost.id)))
    replies = [post for post in posts if post.daily_question_id]
    moderation.hide_post(posts[0], staff, "abusive")
    moderation.hide_post(posts[1], staff, "abusive")
    moderation.set_flag(posts[2], staff, "needs_reply", True)
    moderation.set_flag(posts[3], staff, "possible_crime", True)
    moderation.set_position(replies[2], staff, "supports")
    moderation.set_position(replies[3], staff, "unclear")
    db.session.commit()
    _assert_tallies_exact(campaign_id)
    campaign = db.session.get(Campaign, campaign_id)
    assert flagged_counts(campaign) == {"needs_reply": 1, "possible_crime": 1, "hidden": 2}
    waiting = sum(1 for post in replies if not post.hidden and post.position is None)
    assert unclassified_replies(campaign.consultation_id) == waiting
    moderation.unhide_post(posts[1], staff, "")
    moderation.set_position(replies[2], staff, "opposes")
    db.session.commit()
    _assert_tallies_exact(campaign_id)
    assert flagged_counts(campaign)["hidden"] == 1


def test_replies_linked_to_a_new_daily_question_move_in_the_tallies(db, make_campaign):
    campaign_id = make_campaign()
    _store(campaign_id, _posts(0, 30, reply_to="1860000000000000999"))
    post_tallies.fold()
    db.session.commit()
    campaign = db.session.get(Campaign, campaign_id)
    question = campaign.consultation.questions[1]
    campaigns.add_daily_question(
        campaign,
        campaigns.DailyQuestionDetails(
            question_id=question.id,
            platform="x",
            post_id="1860000000000000999",
            posted_at=START,
            text="Do you agree?",
        ),
    )
    db.session.commit()
    _assert_tallies_exact(campaign_id)
    second = campaign.daily_questions[1]
    replies = dashboard(campaign, PostFilters(daily_question_id=second.id)).total
    assert replies == 20
    assert unclassified_replies(campaign.consultation_id) == 20


def test_figures_equal_a_recount_after_rescoring(db, make_campaign, monkeypatch):
    campaign_id = make_campaign()
    _store(campaign_id, _posts(0, 50))
    post_tallies.fold()
    db.session.commit()
    # An analyser that changed its mind: praise for every "idea", complaint for the rest.
    monkeypatch.setattr(
        sentiment_scoring,
        "score",
        lambda texts: [
            Sentiment("positive", 0.5) if "idea" in text else Sentiment("negative", -0.25)
            for text in texts
        ],
    )
    campaign = db.session.get(Campaign, campaign_id)
    for _ in sentiment.rescore_posts(campaign):
        db.session.commit()
    _assert_tallies_exact(campaign_id)
    shares = dashboard(campaign, PostFilters()).shares
    assert shares == {"positive": 20, "neutral": 0, "negative": 30}


def test_figures_equal_a_recount_after_a_purge(db, make_campaign):
    campaign_id = make_campaign()
    _store(campaign_id, _posts(0, 50))
    post_tallies.fold()
    db.session.commit()
    campaign = db.session.get(Campaign, campaign_id)
    now = START + timedelta(days=campaign.retention_days, hours=36)
    deleted = privacy.purge_expired_posts(campaign, now)
    db.session.commit()
    assert 0 < deleted < 50
    _assert_tallies_exact(campaign_id)
    assert dashboard(campaign, PostFilters()).total == 50 - deleted


def test_deleting_a_campaign_takes_its_tallies(db, make_campaign):
    campaign_id = make_campaign()
    _store(campaign_id, _posts(0, 20))
    post_tallies.fold()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(PostTally)) > 0
    db.session.execute(delete(SocialPost).where(SocialPost.campaign_id == campaign_id))
    db.session.execute(text("DELETE FROM social_daily_questions"))
    db.session.execute(delete(Campaign).where(Campaign.id == campaign_id))
    db.session.commit()
    for model in (
        PostTally,
        HashtagTally,
        PostDayTally,
        HashtagDayTally,
        PostTallyChange,
        HashtagTallyChange,
    ):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0


def test_a_change_to_an_uncounted_column_records_no_change(db, make_campaign):
    campaign_id = make_campaign()
    _store(campaign_id, _posts(0, 10))
    post_tallies.fold()
    db.session.commit()
    db.session.execute(update(SocialPost).values(like_count=SocialPost.like_count + 1))
    db.session.commit()
    assert post_tallies.count_pending() == 0


def test_verify_finds_a_wrong_tally_and_recount_repairs_it(db, make_campaign, runner):
    campaign_id = make_campaign()
    _store(campaign_id, _posts(0, 20))
    assert "campaign hour(s) folded" in runner.invoke(args=["social", "fold"]).output
    assert post_tallies.count_pending() == 0
    result = runner.invoke(args=["social", "verify"])
    assert result.exit_code == 0, result.output
    assert "wmp2020: post tallies equal a full recount" in result.output
    db.session.execute(update(PostTally).values(posts=PostTally.posts + 1))
    db.session.commit()
    result = runner.invoke(args=["social", "verify", "--campaign", "wmp2020"])
    assert result.exit_code == 1
    assert "figure(s) differ from a recount" in result.output
    assert "social recount" in result.output
    result = runner.invoke(args=["social", "recount"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["social", "verify"]).exit_code == 0
    assert db.session.get(Campaign, campaign_id) is not None


def test_verify_finds_a_wrong_day_tally_and_recount_rebuilds_the_days(db, make_campaign, runner):
    campaign_id = make_campaign()
    _store(campaign_id, _posts(0, 20))
    post_tallies.fold()
    db.session.commit()
    db.session.execute(update(PostDayTally).values(posts=PostDayTally.posts + 1))
    db.session.commit()
    result = runner.invoke(args=["social", "verify"])
    assert result.exit_code == 1
    assert "posts by day" in result.output
    assert runner.invoke(args=["social", "recount"]).exit_code == 0
    assert runner.invoke(args=["social", "verify"]).exit_code == 0
    by_day = db.session.scalar(select(func.sum(PostDayTally.posts)))
    assert by_day == db.session.scalar(select(func.sum(PostTally.posts))) == 20


def test_verify_names_an_unknown_campaign(db, runner):
    result = runner.invoke(args=["social", "verify", "--campaign", "nope"])
    assert result.exit_code == 1
    assert "No campaign with the short name 'nope'" in result.output


@pytest.mark.postgres_only
def test_concurrent_imports_and_folds_keep_the_tallies_exact(app, db, make_campaign):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has one writer at a time")
    campaign_id = make_campaign()
    barrier = threading.Barrier(3)
    errors = []

    def importer(first: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                for batch in range(6):
                    _store(campaign_id, _posts(first + 15 * batch, 40))
            except Exception as error:  # reported below, so a failure is not silent
                errors.append(error)
            finally:
                _db.session.remove()

    def folder() -> None:
        with app.app_context():
            try:
                barrier.wait()
                for _ in range(10):
                    post_tallies.fold()
                    _db.session.commit()
            except Exception as error:
                errors.append(error)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=importer, args=(n,)) for n in (0, 30)]
    threads.append(threading.Thread(target=folder))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stored = db.session.scalar(select(func.count()).select_from(SocialPost))
    assert stored == 30 + 15 * 5 + 40  # posts 0 to 144, however the batches overlapped
    _assert_tallies_exact(campaign_id)
    assert dashboard(db.session.get(Campaign, campaign_id), PostFilters()).total == stored


def test_hiding_a_post_is_folded_once_the_reply_has_gone(
    app, db, client, login, make_campaign, monkeypatch
):
    campaign_id = make_campaign()
    _store(campaign_id, _posts(0, 10))
    post_tallies.fold()
    db.session.commit()
    post_id = db.session.scalar(select(func.min(SocialPost.id)))
    login(client, Role.COMMS)
    monkeypatch.setitem(app.config, "TALLY_FOLD_INTERVAL_SECONDS", 0)
    monkeypatch.setattr(social_jobs._after_response, "last_started", float("-inf"))
    reply = client.post(
        f"/staff/social/wmp2020/posts/{post_id}/hide",
        data={"hide-note": "Abusive language"},
        buffered=True,  # the test client then closes the reply as a server does once sent
    )
    assert reply.status_code == 303
    assert post_tallies.count_pending() == 0
    hidden = db.session.scalar(select(func.sum(PostTally.posts)).where(PostTally.hidden.is_(True)))
    assert hidden == 1
