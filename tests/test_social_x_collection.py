"""Collecting from X: real tweepy code against recorded and recorded-shape API responses."""

from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import requests
import responses
import vcr
from sqlalchemy import func, select

from engage.core.extensions import db as _db
from engage.social.models import Campaign, CollectionRun, RunStatus, SocialPost
from engage.social.services.collection import collect_from_x, search_query
from engage.social.services.readers import posts_in_page
from engage.social.x_client import XClient, XError
from tests.conftest import DAILY_POST_ID
from tests.x_api import COUNTS_URL, RECORDED, SEARCH_URL, counts, page, problem, reply

NOW = datetime.combine(date.today(), datetime.min.time(), UTC) + timedelta(hours=12)
CLOCK = 1_900_000_000.0


@pytest.fixture
def api():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(sleeps):
    return XClient("test-bearer-token", sleep=sleeps.append, clock=lambda: CLOCK)


def _replies(first: int, count: int) -> list[dict]:
    return [
        reply(n, f"Yes, good idea number {n} #WMP2020", NOW - timedelta(minutes=n), DAILY_POST_ID)
        for n in range(first + count - 1, first - 1, -1)
    ]


def _collect(campaign_id, client):
    campaign = _db.session.get(Campaign, campaign_id)
    try:
        outcome = collect_from_x(campaign, client, lambda run: _db.session.commit(), now=NOW)
    finally:
        _db.session.commit()
    return outcome


def _params(call) -> dict:
    return {key: values[0] for key, values in parse_qs(urlparse(call.request.url).query).items()}


def _stored() -> int:
    return _db.session.scalar(select(func.count()).select_from(SocialPost))


def test_collection_reads_every_page_and_remembers_the_newest_post(db, make_campaign, api, client):
    campaign_id = make_campaign()
    api.get(COUNTS_URL, json=counts(3))
    api.get(SEARCH_URL, json=page(_replies(102, 2), next_token="b26v89c19zqg8o3fpz"))
    api.get(SEARCH_URL, json=page(_replies(101, 1)))

    outcome = _collect(campaign_id, client)

    assert outcome.run.status == RunStatus.COMPLETED
    assert (outcome.run.posts_read, outcome.run.stored) == (3, 3)
    assert _stored() == 3
    assert _db.session.get(Campaign, campaign_id).newest_x_id == "103"
    first, second = (_params(call) for call in api.calls[1:])
    assert first["query"] == "#wmp2020 -is:retweet"
    assert first["expansions"] == "author_id"
    assert set(first["tweet.fields"].split(",")) >= {
        "created_at",
        "conversation_id",
        "in_reply_to_user_id",
        "referenced_tweets",
        "lang",
        "public_metrics",
    }
    assert first["user.fields"] == "username,name"
    assert "next_token" not in first
    assert second["next_token"] == "b26v89c19zqg8o3fpz"
    linked = _db.session.scalar(
        select(func.count()).where(SocialPost.daily_question_id.is_not(None))
    )
    assert linked == 3


def test_the_next_collection_asks_only_for_newer_posts(db, make_campaign, api, client):
    campaign_id = make_campaign()
    api.get(COUNTS_URL, json=counts(1))
    api.get(SEARCH_URL, json=page(_replies(101, 1)))
    _collect(campaign_id, client)
    api.get(COUNTS_URL, json=counts(0))
    api.get(SEARCH_URL, json=page([]))

    outcome = _collect(campaign_id, client)

    assert outcome.run.status == RunStatus.COMPLETED
    assert _params(api.calls[2])["since_id"] == "101"
    assert _params(api.calls[3])["since_id"] == "101"
    assert _stored() == 1


def test_a_server_error_mid_collection_is_retried_after_a_pause(
    db, make_campaign, api, client, sleeps
):
    campaign_id = make_campaign()
    api.get(COUNTS_URL, json=counts(3))
    api.get(SEARCH_URL, json=page(_replies(102, 2), next_token="next"))
    api.get(SEARCH_URL, status=503, json=problem(503, "Service Unavailable"))
    api.get(SEARCH_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    api.get(SEARCH_URL, json=page(_replies(101, 1)))

    outcome = _collect(campaign_id, client)

    assert outcome.run.status == RunStatus.COMPLETED
    assert sleeps == [2, 4]
    assert _params(api.calls[4])["next_token"] == "next"  # the same page again, not the next one
    assert _stored() == 3


def test_a_rate_limit_waits_until_x_says_it_resets(db, make_campaign, api, client, sleeps):
    campaign_id = make_campaign()
    api.get(COUNTS_URL, json=counts(1))
    api.get(
        SEARCH_URL,
        status=429,
        json=problem(429, "Too Many Requests"),
        headers={"x-rate-limit-reset": str(int(CLOCK) + 30), "x-rate-limit-remaining": "0"},
    )
    api.get(SEARCH_URL, json=page(_replies(101, 1)))

    outcome = _collect(campaign_id, client)

    assert outcome.run.status == RunStatus.COMPLETED
    assert sleeps == [31]


def test_a_rate_limit_resetting_beyond_the_bound_gives_up_cleanly(db, make_campaign, api, sleeps):
    campaign_id = make_campaign()
    client = XClient("token", sleep=sleeps.append, clock=lambda: CLOCK, max_wait=60)
    api.get(COUNTS_URL, json=counts(1))
    api.get(
        SEARCH_URL,
        status=429,
        json=problem(429, "Too Many Requests"),
        headers={"x-rate-limit-reset": str(int(CLOCK) + 3600)},
    )

    with pytest.raises(XError, match="rate limit"):
        _collect(campaign_id, client)

    assert sleeps == []
    run = _db.session.scalar(select(CollectionRun))
    assert run.status == RunStatus.FAILED and "rate limit" in run.message


def test_giving_up_mid_run_keeps_stored_pages_and_a_rerun_fills_the_gap(
    db, make_campaign, api, sleeps
):
    campaign_id = make_campaign()
    client = XClient("token", sleep=sleeps.append, clock=lambda: CLOCK, max_retries=2)
    api.get(COUNTS_URL, json=counts(4))
    api.get(SEARCH_URL, json=page(_replies(103, 2), next_token="p2"))
    api.get(SEARCH_URL, status=500, json=problem(500, "Internal Server Error"))

    with pytest.raises(XError, match="after 3 tries"):
        _collect(campaign_id, client)

    assert sleeps == [2, 4]
    assert _stored() == 2
    assert _db.session.get(Campaign, campaign_id).newest_x_id is None  # not advanced

    api.get(COUNTS_URL, json=counts(4))
    api.get(SEARCH_URL, json=page(_replies(103, 2), next_token="p2"))
    api.get(SEARCH_URL, json=page(_replies(101, 2)))
    outcome = _collect(campaign_id, client)
    assert (outcome.run.stored, outcome.run.duplicates) == (2, 2)
    assert _stored() == 4
    assert _db.session.get(Campaign, campaign_id).newest_x_id == "104"


def test_a_rejected_token_is_one_clear_message_and_nothing_is_written(
    db, make_campaign, api, client
):
    campaign_id = make_campaign()
    api.get(COUNTS_URL, status=401, json=problem(401, "Unauthorized"))

    with pytest.raises(XError, match="rejected the bearer token"):
        _collect(campaign_id, client)

    assert _stored() == 0
    assert _db.session.get(Campaign, campaign_id).newest_x_id is None


def test_a_missing_token_is_refused_before_any_request(db, make_campaign, runner, monkeypatch):
    make_campaign()
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    result = runner.invoke(args=["social", "collect", "--campaign", "wmp2020"])
    assert result.exit_code != 0
    assert "X_BEARER_TOKEN is not set" in result.output


def test_collection_stops_before_reading_when_the_estimate_exceeds_the_budget(
    db, make_campaign, client
):
    """X's recorded counts response (411 posts) against a budget of 100: nothing is read.

    The cassette holds only the counts request, so any search request would fail the test.
    """
    campaign_id = make_campaign(budget=100)
    tape = vcr.VCR(
        cassette_library_dir=str(RECORDED),
        record_mode="none",
        decode_compressed_response=True,
        match_on=["method", "scheme", "host", "port", "path"],
    )
    with tape.use_cassette("test_client_get_recent_tweets_count.yaml"):
        outcome = _collect(campaign_id, client)

    assert outcome.estimate == 411
    assert outcome.run.status == RunStatus.STOPPED
    assert "411 new posts" in outcome.run.message and "100" in outcome.run.message
    assert outcome.run.posts_read == 0


def test_collection_stops_at_the_budget_when_x_underestimated(db, make_campaign, api, client):
    campaign_id = make_campaign(budget=2)
    api.get(COUNTS_URL, json=counts(2))
    api.get(SEARCH_URL, json=page(_replies(102, 2), next_token="more"))

    outcome = _collect(campaign_id, client)

    assert outcome.run.status == RunStatus.STOPPED
    assert "budget" in outcome.run.message
    assert _stored() == 2
    assert _db.session.get(Campaign, campaign_id).newest_x_id is None


def test_the_recorded_search_page_replays_and_posts_without_dates_are_refused(client):
    """tweepy's own recorded search (asked without tweet fields): read through our client, each
    post is reported as lacking created_at rather than stored with a made-up time."""
    tape = vcr.VCR(
        cassette_library_dir=str(RECORDED),
        record_mode="none",
        decode_compressed_response=True,
        match_on=["method", "scheme", "host", "port", "path"],
    )
    with tape.use_cassette("test_client_search_recent_tweets.yaml"):
        first_page = next(client.search_pages("#Tweepy", None, None))
    assert first_page["meta"]["result_count"] == 10
    reasons = list(posts_in_page(first_page))
    assert len(reasons) == 10
    assert all("created_at" in reason for reason in reasons)


def test_the_query_names_every_hashtag_and_leaves_out_reposts(db, make_campaign):
    campaign = _db.session.get(Campaign, make_campaign())
    campaign.hashtags = "wmp2020 westmidspolice"
    assert search_query(campaign) == "(#wmp2020 OR #westmidspolice) -is:retweet"
    campaign.include_retweets = True
    assert search_query(campaign) == "(#wmp2020 OR #westmidspolice)"


def test_collect_command_stores_posts_and_says_what_it_did(
    app, make_campaign, api, runner, monkeypatch
):
    make_campaign()
    monkeypatch.setenv("X_BEARER_TOKEN", "test-bearer-token")
    api.get(COUNTS_URL, json=counts(2))
    api.get(SEARCH_URL, json=page(_replies(101, 2)))

    result = runner.invoke(args=["social", "collect", "--campaign", "wmp2020"])

    assert result.exit_code == 0, result.output
    assert "X estimates 2 new posts" in result.output
    assert "2 posts stored, 0 duplicates skipped, 0 rows rejected" in result.output
    assert api.calls[0].request.headers["Authorization"] == "Bearer test-bearer-token"
