"""Rate limits live in Redis in production so every app instance counts together."""

import os
import re

import pytest
import redis

from engage.auth.models import Role
from engage.surveys.models import QuestionKind

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379 (CI requires it)")
    return REDIS_URL


@pytest.fixture
def store(redis_url):
    """Database 15, the tests' own, emptied before and after the test."""
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.flushdb()


def _limited(redis_url: str, **limits) -> dict:
    return dict(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=redis_url, **limits)


def test_two_app_instances_share_one_login_limit(make_app, make_staff, redis_url, store):
    settings = _limited(redis_url, LOGIN_RATE_LIMIT="3 per minute")
    first, second = make_app(**settings), make_app(**settings)
    email = make_staff(Role.CONSULTATION)
    wrong = {"email": email, "password": "not the password"}
    statuses = [first.test_client().post("/staff/login", data=wrong).status_code for _ in range(2)]
    statuses += [
        second.test_client().post("/staff/login", data=wrong).status_code for _ in range(2)
    ]
    assert statuses == [422, 422, 422, 429]
    # The counters are in Redis, where another process or machine would see them too.
    assert any(b"auth.login" in key for key in store.keys("*"))


def test_two_app_instances_share_one_submission_limit(
    make_app, make_consultation, redis_url, store
):
    """The survey's limit is counted in the view (engage.web.rate_limits), in the same Redis."""
    settings = _limited(redis_url, SUBMISSION_RATE_LIMIT="3 per hour")
    make_consultation(kinds=(QuestionKind.YES_NO,))
    first, second = make_app(**settings), make_app(**settings)
    statuses = [_send(first) for _ in range(2)] + [_send(second) for _ in range(2)]
    assert statuses == [303, 303, 303, 429]
    assert any(b"surveys.send" in key for key in store.keys("*"))


def _send(app, forwarded_for: str | None = None) -> int:
    client = app.test_client()
    if forwarded_for:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    page = client.get("/consultations/policing-plan").get_data(as_text=True)
    form_token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    option = re.search(r'name="(q\d+)" type="radio" value="(\d+)"', page)
    data = {"form_token": form_token, option.group(1): option.group(2), "consent": "yes"}
    return client.post("/consultations/policing-plan/send", data=data).status_code


def test_behind_a_proxy_each_forwarded_address_is_limited_on_its_own(
    make_app, make_consultation, redis_url, store
):
    """Behind nginx every request comes from 127.0.0.1; the limit must still be per member."""
    settings = _limited(redis_url, SUBMISSION_RATE_LIMIT="2 per hour", PROXY_FIX_HOPS=1)
    make_consultation(kinds=(QuestionKind.YES_NO,))
    app = make_app(**settings)
    one = [_send(app, forwarded_for="203.0.113.7") for _ in range(3)]
    other = _send(app, forwarded_for="198.51.100.9")
    assert (one, other) == ([303, 303, 429], 303)
