"""A group is emailed when its application moves on, once, after the change is committed.

Messages go through a real SMTP server on loopback (aiosmtpd) and are read back; the tracking
link in them is followed as the group.
"""

import re

import pytest
from sqlalchemy import select

from engage.activecitizens.models import ApplicationState
from engage.core.extensions import db as _db
from engage.jobs.models import BackgroundJob, JobStatus
from tests.conftest import PASSWORD
from tests.grants import application_in_state, make_group, staff_actor
from tests.smtp import body_of

SITE = "https://engage.example.org"
S = ApplicationState


@pytest.fixture
def mail_app(make_app, smtp):
    return make_app(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp[0].port,
        MAIL_TIMEOUT=2,
        MAIL_RETRY_BASE_SECONDS=0.01,
        SERVER_NAME="engage.example.org",
        PREFERRED_URL_SCHEME="https",
    )


def _application(app, state: ApplicationState) -> int:
    """An application built through the services, outside any request: nobody is emailed."""
    with app.app_context():
        application = application_in_state(state, group=make_group("group@example.org"))
        staff_actor()  # the PCC's office account the staff client signs in as
        _db.session.commit()
        return application.id


def _office(app):
    client = app.test_client()
    response = client.post(
        "/staff/login", data={"email": "pcc-actor@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def _step(client, application_id: int, step: str):
    return client.post(f"/staff/grants/applications/{application_id}/steps/{step}")


def test_each_change_emails_the_group_a_tracking_link_once(mail_app, smtp):
    application_id = _application(mail_app, S.SUBMITTED)
    office = _office(mail_app)

    assert _step(office, application_id, "start_check").status_code in (302, 303)

    [message] = smtp[1].messages
    assert message["To"] == "group@example.org"
    assert "Checking eligibility" in message["Subject"]
    link, _ = re.findall(r"https://\S+", body_of(message))
    assert link == f"{SITE}/active-citizens-fund/my/applications/{application_id}"
    group = mail_app.test_client()
    group.post(
        "/active-citizens-fund/sign-in", data={"email": "group@example.org", "password": PASSWORD}
    )
    assert "Checking eligibility" in group.get(link.removeprefix(SITE)).get_data(as_text=True)

    _step(office, application_id, "start_check")  # refused now: nothing changed, nothing sent
    assert len(smtp[1].messages) == 1


def test_decline_email_carries_the_reason(mail_app, smtp):
    application_id = _application(mail_app, S.IN_REVIEW)
    office = _office(mail_app)

    response = office.post(
        f"/staff/grants/applications/{application_id}/decision",
        data={"decision": "decline", "message": "Other projects scored higher"},
    )

    assert response.status_code in (302, 303)
    [message] = smtp[1].messages
    assert "Not funded" in message["Subject"]
    assert "Other projects scored higher" in body_of(message)


def test_a_refused_decision_emails_nobody(mail_app, smtp):
    application_id = _application(mail_app, S.IN_REVIEW)

    response = _office(mail_app).post(
        f"/staff/grants/applications/{application_id}/decision", data={"decision": "decline"}
    )

    assert response.status_code == 422  # no reason given: rolled back
    assert smtp[1].messages == []


def test_refusing_mail_server_fails_the_email_job_not_the_decision(mail_app, smtp):
    application_id = _application(mail_app, S.SUBMITTED)
    smtp[1].refusal = "451 Try again later"

    response = _step(_office(mail_app), application_id, "start_check")

    assert response.status_code in (302, 303)
    with mail_app.app_context():
        job = _db.session.scalar(select(BackgroundJob).filter_by(kind="email"))
        assert job.status == JobStatus.FAILED
        assert _db.session.scalar(select(BackgroundJob.id).filter_by(kind="email")) == job.id
    assert smtp[1].attempts == mail_app.config["MAIL_RETRY_ATTEMPTS"]


def test_group_can_stop_the_emails_with_one_click(make_app, mail_app, smtp):
    application_id = _application(mail_app, S.SUBMITTED)
    office = _office(mail_app)
    _step(office, application_id, "start_check")
    [message] = smtp[1].messages
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    stop = re.sub(r"\r?\n", "", message["List-Unsubscribe"]).strip().strip("<>")
    assert stop in body_of(message)
    strict = make_app(
        WTF_CSRF_ENABLED=True, SERVER_NAME="engage.example.org", PREFERRED_URL_SCHEME="https"
    ).test_client()
    page = strict.get(stop.removeprefix(SITE))
    assert page.status_code == 200 and ">Unsubscribe</button>" in page.get_data(as_text=True)

    for _ in range(2):  # a mail client's one-click POST, no form token; twice is fine
        done = strict.post(stop.removeprefix(SITE), data={"List-Unsubscribe": "One-Click"})
        assert done.status_code == 200 and "Emails stopped" in done.get_data(as_text=True)
    _step(office, application_id, "pass_check")

    assert len(smtp[1].messages) == 1  # stopped: the next change is not emailed
    forged = strict.post(stop.removeprefix(SITE)[:-3] + "abc")
    assert forged.status_code == 404 and "not valid" in forged.get_data(as_text=True)


def test_a_group_that_stopped_the_emails_can_start_them_again(make_app, mail_app, smtp):
    application_id = _application(mail_app, S.SUBMITTED)
    office = _office(mail_app)
    _step(office, application_id, "start_check")
    [message] = smtp[1].messages
    stop = re.sub(r"\r?\n", "", message["List-Unsubscribe"]).strip().strip("<>")
    group = mail_app.test_client()
    group.post(stop.removeprefix(SITE), data={"List-Unsubscribe": "One-Click"})
    signed_in = group.post(
        "/active-citizens-fund/sign-in", data={"email": "group@example.org", "password": PASSWORD}
    )
    assert signed_in.status_code in (302, 303)
    details = group.get("/active-citizens-fund/my/details").get_data(as_text=True)
    assert "Email me again when an application moves on" in details

    resumed = group.post("/active-citizens-fund/my/emails/resume", follow_redirects=True)

    page = resumed.get_data(as_text=True)
    assert "We will email you again" in page
    assert "Email me again when an application moves on" not in page
    _step(office, application_id, "pass_check")
    assert len(smtp[1].messages) == 2  # the next change is emailed again
