"""Sessions end after a spell unused (staff and groups) and when they predate the password."""

import time

from engage.auth.session_guard import SEEN_KEY, VERSION_KEY
from engage.core.extensions import db
from tests.conftest import PASSWORD
from tests.grants import make_group

IDLE_MESSAGE = "You have been signed out because you had not used engage for {} minutes"


def _staff_client(client, make_staff):
    response = client.post("/staff/login", data={"email": make_staff(), "password": PASSWORD})
    assert response.status_code == 302
    return client


def _last_seen(client, minutes_ago: float) -> None:
    with client.session_transaction() as session:
        session[SEEN_KEY] = int(time.time() - minutes_ago * 60)


def test_staff_idle_too_long_are_signed_out_and_told_why(client, make_staff):
    _staff_client(client, make_staff)
    _last_seen(client, 31)

    response = client.get("/staff/", follow_redirects=True)

    assert response.request.path == "/staff/login"
    assert IDLE_MESSAGE.format(30) in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_a_session_in_use_stays_signed_in_and_its_clock_restarts(client, make_staff):
    _staff_client(client, make_staff)
    _last_seen(client, 29)

    assert client.get("/staff/").status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session[SEEN_KEY] < 5


def test_the_idle_limit_is_a_setting(make_app, make_staff):
    app = make_app(SESSION_IDLE_MINUTES=5)
    client = _staff_client(app.test_client(), make_staff)
    _last_seen(client, 6)
    page = client.get("/staff/", follow_redirects=True).get_data(as_text=True)
    assert IDLE_MESSAGE.format(5) in page


def test_groups_have_their_own_longer_limit(app, client):
    with app.app_context():
        make_group("idle@example.org")
        db.session.commit()
    data = {"email": "idle@example.org", "password": PASSWORD}
    assert client.post("/active-citizens-fund/sign-in", data=data).status_code == 302
    _last_seen(client, 45)
    assert client.get("/active-citizens-fund/my").status_code == 200
    _last_seen(client, 61)

    response = client.get("/active-citizens-fund/my", follow_redirects=True)

    assert response.request.path == "/active-citizens-fund/sign-in"
    assert IDLE_MESSAGE.format(60) in response.get_data(as_text=True)


def test_a_session_from_before_these_rules_is_signed_out(client, make_staff):
    _staff_client(client, make_staff)
    with client.session_transaction() as session:
        del session[SEEN_KEY]
    assert client.get("/staff/").status_code == 302


def test_a_session_with_an_old_version_is_signed_out(client, make_staff):
    _staff_client(client, make_staff)
    with client.session_transaction() as session:
        session[VERSION_KEY] = -1
    response = client.get("/staff/", follow_redirects=True)
    assert "Your password was changed, so you have been signed out" in response.get_data(
        as_text=True
    )


def test_anonymous_pages_send_no_cookie(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_a_busy_session_is_not_rewritten_on_every_request(client, make_staff):
    _staff_client(client, make_staff)
    client.get("/staff/")
    assert "Set-Cookie" not in client.get("/staff/").headers
    _last_seen(client, 2)  # past the minute the last-seen time is kept to
    assert "Set-Cookie" in client.get("/staff/").headers
