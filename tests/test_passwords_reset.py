"""Forgotten passwords: a reset link by email for staff and community groups."""

import re
import socket

import pytest
from werkzeug.security import check_password_hash

from engage.activecitizens.models import CommunityGroup
from engage.auth.models import StaffUser
from engage.core.extensions import db as _db
from engage.jobs.models import BackgroundJob, JobStatus
from tests.conftest import PASSWORD
from tests.grants import make_group
from tests.smtp import body_of, free_port

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def mail_app(make_app, smtp):
    controller, _ = smtp
    return make_app(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=controller.port,
        MAIL_TIMEOUT=2,
        MAIL_RETRY_BASE_SECONDS=0.01,
        SERVER_NAME="engage.example.org",
        PREFERRED_URL_SCHEME="https",
    )


def _link(message) -> str:
    return re.search(r"https://\S+", body_of(message)).group(0)


def _path(link: str) -> str:
    return link.removeprefix("https://engage.example.org")


def _ask(client, kind: str, email: str):
    return client.post(f"/password/forgot/{kind}", data={"email": email})


def test_staff_reset_link_arrives_by_smtp_and_changes_password(mail_app, smtp, make_staff):
    email = make_staff()
    client = mail_app.test_client()
    response = _ask(client, "staff", email)
    assert response.status_code == 303
    _, inbox = smtp
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == email
    assert message["Subject"] == "Reset your engage password"
    link = _link(message)
    assert client.get(_path(link)).status_code == 200
    done = client.post(_path(link), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 303 and done.location.endswith("/staff/login")
    signed_in = client.post("/staff/login", data={"email": email, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


def test_group_reset_link_works_once(mail_app, smtp):
    with mail_app.app_context():
        make_group("reset-group@example.org")
        _db.session.commit()
    client = mail_app.test_client()
    _ask(client, "group", "reset-group@example.org")
    link = _path(_link(smtp[1].messages[0]))
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again = client.post(link, data={"password": "yet another passphrase", "confirm": "x"})
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    with mail_app.app_context():
        group = _db.session.scalar(_db.select(CommunityGroup))
        assert check_password_hash(group.password_hash, NEW_PASSWORD)


def test_unknown_email_gets_same_page_and_no_message(mail_app, smtp, make_staff):
    make_staff(email="known@example.org")
    client = mail_app.test_client()
    known = _ask(client, "staff", "known@example.org")
    unknown = _ask(client, "staff", "nobody@example.org")
    assert known.status_code == unknown.status_code == 303
    assert known.location == unknown.location
    assert len(smtp[1].messages) == 1


def test_forged_and_expired_links_are_refused(mail_app, smtp, make_staff):
    email = make_staff()
    client = mail_app.test_client()
    _ask(client, "staff", email)
    link = _path(_link(smtp[1].messages[0]))
    forged = client.get(link[:-3] + "abc")
    assert forged.status_code == 404
    assert "not valid" in forged.get_data(as_text=True)
    mail_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"] = -1
    expired = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert expired.status_code == 410
    assert "expired" in expired.get_data(as_text=True)
    with mail_app.app_context():
        user = _db.session.scalar(_db.select(StaffUser))
        assert check_password_hash(user.password_hash, PASSWORD)


def test_short_new_password_is_refused_and_link_still_works(mail_app, smtp, make_staff):
    email = make_staff()
    client = mail_app.test_client()
    _ask(client, "staff", email)
    link = _path(_link(smtp[1].messages[0]))
    short = client.post(link, data={"password": "short", "confirm": "short"})
    assert short.status_code == 422
    assert "at least 12 characters" in short.get_data(as_text=True)
    ok = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert ok.status_code == 303


def test_refusing_server_is_retried_then_the_job_fails_without_the_address(
    mail_app, smtp, make_staff
):
    email = make_staff()
    _, inbox = smtp
    inbox.refusal = "451 Try again later"
    response = _ask(mail_app.test_client(), "staff", email)
    assert response.status_code == 303
    assert inbox.attempts == mail_app.config["MAIL_RETRY_ATTEMPTS"]
    with mail_app.app_context():
        job = _db.session.scalar(_db.select(BackgroundJob).filter_by(kind="email"))
        assert job.status == JobStatus.FAILED
        assert "not sent" in job.error and email not in job.error


def test_server_that_does_not_answer_fails_the_job_not_the_request(make_app, make_staff):
    with socket.socket() as silent:  # accepts connections, never greets: a timeout
        port = free_port()
        silent.bind(("127.0.0.1", port))
        silent.listen()
        app = make_app(
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=port,
            MAIL_TIMEOUT=0.3,
            MAIL_RETRY_ATTEMPTS=2,
            MAIL_RETRY_BASE_SECONDS=0.01,
        )
        email = make_staff()
        response = _ask(app.test_client(), "staff", email)
    assert response.status_code == 303
    with app.app_context():
        job = _db.session.scalar(_db.select(BackgroundJob).filter_by(kind="email"))
        assert job.status == JobStatus.FAILED


def test_sign_in_pages_link_to_forgotten_password(client):
    assert "/password/forgot/staff" in client.get("/staff/login").get_data(as_text=True)
    page = client.get("/active-citizens-fund/sign-in").get_data(as_text=True)
    assert "/password/forgot/group" in page


def test_unknown_account_kind_is_not_found(client):
    assert client.get("/password/forgot/admin").status_code == 404


def test_reset_requests_are_rate_limited(make_app, make_staff):
    app = make_app(RATELIMIT_ENABLED=True, PASSWORD_RESET_RATE_LIMIT="2 per hour")
    email = make_staff()
    client = app.test_client()
    codes = [_ask(client, "staff", email).status_code for _ in range(3)]
    assert codes == [303, 303, 429]
