"""Lockout after repeated failed sign-ins: per account and per address, waits that double."""

import os
import time

import pyotp
import pytest
import redis

from engage.auth import lockout, two_factor
from engage.auth.models import StaffUser
from engage.core.extensions import db
from tests.conftest import PASSWORD
from tests.grants import make_group

WRONG = "not the password at all"
REDIS_URL = "redis://127.0.0.1:6379/3"  # the accounts tests' own Redis database


class Clock:
    """Stands in for the time module inside engage.auth.lockout."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(lockout, "time", fake)
    return fake


def _sign_in(client, email, password=WRONG, path="/staff/login"):
    return client.post(path, data={"email": email, "password": password})


def test_waits_start_at_one_second_and_double_up_to_the_limit():
    waits = [lockout.wait_for(count, after=5, longest=900) for count in range(1, 17)]
    assert waits == [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
    assert lockout.wait_for(10**6, after=5, longest=900) == 900


def test_five_failures_lock_the_account_even_against_the_right_password(client, make_staff, clock):
    email = make_staff()
    assert [_sign_in(client, email).status_code for _ in range(5)] == [422] * 5

    refused = _sign_in(client, email, PASSWORD)

    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    page = refused.get_data(as_text=True)
    assert "too many failed attempts to sign in. Wait 1 second, then try again." in page
    assert "There is a problem" in page  # in the error summary, linked to the field
    clock.now += 1
    assert _sign_in(client, email, PASSWORD).status_code == 302


def test_each_further_failure_doubles_the_wait(client, make_staff, clock):
    email = make_staff()
    for _ in range(5):
        _sign_in(client, email)
    waits = []
    for _ in range(4):
        clock.now += 3600  # past any wait so far, and the next failure is heard
        assert _sign_in(client, email).status_code == 422
        waits.append(_sign_in(client, email).headers["Retry-After"])
    assert waits == ["2", "4", "8", "16"]


def test_the_longest_wait_is_fifteen_minutes_and_said_in_minutes(client, make_staff, clock):
    email = make_staff()
    for _ in range(20):
        clock.now += 3600
        _sign_in(client, email)
    refused = _sign_in(client, email, PASSWORD)
    assert refused.headers["Retry-After"] == "900"
    assert "Wait 15 minutes, then try again." in refused.get_data(as_text=True)


def test_an_unknown_email_is_locked_out_the_same_way(client, make_staff, clock):
    known, unknown = make_staff(), "nobody-here@example.org"
    pages = []
    for email in (known, unknown):
        for _ in range(5):
            _sign_in(client, email)
        pages.append(_sign_in(client, email))
    assert [page.status_code for page in pages] == [429, 429]
    assert pages[0].get_data(as_text=True).replace(known, unknown) == pages[1].get_data(
        as_text=True
    )


def test_a_sign_in_clears_the_accounts_failures(client, make_staff, clock):
    email = make_staff()
    for _ in range(4):
        _sign_in(client, email)
    assert _sign_in(client, email, PASSWORD).status_code == 302
    client.post("/staff/logout")
    assert [_sign_in(client, email).status_code for _ in range(4)] == [422] * 4
    assert _sign_in(client, email, PASSWORD).status_code == 302


def test_an_address_trying_many_accounts_is_locked_out(make_app, make_staff, clock):
    app = make_app(SIGN_IN_LOCKOUT_AFTER_PER_ADDRESS=3)
    email = make_staff()
    guesser = app.test_client()
    for n in range(3):
        assert _sign_in(guesser, f"guess-{n}@example.org").status_code == 422
    # Every account is refused from that address; the same account from elsewhere is not.
    assert _sign_in(guesser, email, PASSWORD).status_code == 429
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert _sign_in(elsewhere, email, PASSWORD).status_code == 302


def test_community_group_sign_in_locks_out_too(app, client, clock):
    with app.app_context():
        make_group("locked-group@example.org")
        db.session.commit()
    path = "/active-citizens-fund/sign-in"
    email = "locked-group@example.org"
    assert [_sign_in(client, email, path=path).status_code for _ in range(5)] == [422] * 5
    refused = _sign_in(client, email, PASSWORD, path=path)
    assert refused.status_code == 429
    assert "Wait 1 second, then try again." in refused.get_data(as_text=True)
    clock.now += 1
    assert _sign_in(client, email, PASSWORD, path=path).status_code == 302


def test_wrong_two_factor_codes_lock_the_account(app, client, make_staff, clock):
    email = make_staff()
    secret = pyotp.random_base32()
    with app.app_context():
        user = db.session.scalar(db.select(StaffUser).filter_by(email=email))
        earlier = time.time() - 30
        two_factor.enable(user, secret, pyotp.TOTP(secret).at(earlier), now=earlier)
        db.session.commit()
    assert _sign_in(client, email, PASSWORD).location.endswith("/staff/login/code")
    codes = [client.post("/staff/login/code", data={"code": "000000"}) for _ in range(5)]
    assert [response.status_code for response in codes] == [422] * 5

    refused = client.post("/staff/login/code", data={"code": pyotp.TOTP(secret).now()})

    assert refused.status_code == 429
    assert "Wait 1 second" in refused.get_data(as_text=True)
    # Starting again with the password does not reset the count: the account is still locked.
    assert _sign_in(client, email, PASSWORD).status_code == 429
    clock.now += 1
    done = client.post("/staff/login/code", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302 and client.get("/staff/").status_code == 200


@pytest.fixture
def shared_redis():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379 (CI requires it)")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


def test_two_app_instances_sharing_redis_share_the_lockout(make_app, make_staff, shared_redis):
    first = make_app(RATELIMIT_STORAGE_URI=REDIS_URL)
    second = make_app(RATELIMIT_STORAGE_URI=REDIS_URL)
    email = make_staff()
    for _ in range(5):
        assert _sign_in(first.test_client(), email).status_code == 422

    refused = _sign_in(second.test_client(), email, PASSWORD)

    assert refused.status_code == 429
    assert "Wait 1 second" in refused.get_data(as_text=True)
    keys = shared_redis.keys("engage:lockout:*")
    assert len(keys) == 2  # the account and the address, each as a digest
    assert not any(email.encode() in key or b"127.0.0.1" in key for key in keys)


def test_without_redis_each_instance_counts_in_its_own_process(make_app, make_staff):
    first, second = make_app(), make_app()
    email = make_staff()
    for _ in range(5):
        _sign_in(first.test_client(), email)
    assert _sign_in(first.test_client(), email, PASSWORD).status_code == 429
    assert _sign_in(second.test_client(), email, PASSWORD).status_code == 302


def test_with_redis_unreachable_sign_in_works_and_failures_count_in_the_process(
    make_app, make_staff
):
    # Nothing listens on port 1: every Redis call fails at once. (Rate limits are off here so
    # only the lockout's store is tried; their own fall-back has its tests.)
    app = make_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0", RATELIMIT_ENABLED=False)
    email = make_staff()
    client = app.test_client()
    assert [_sign_in(client, email).status_code for _ in range(5)] == [422] * 5

    assert _sign_in(client, email, PASSWORD).status_code == 429
    other = make_staff()
    assert _sign_in(app.test_client(), other, PASSWORD).status_code == 302
