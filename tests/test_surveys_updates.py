"""Email updates: double opt-in by a signed link, one-click unsubscribe, the results email.

Every message goes through a real SMTP server on loopback (aiosmtpd) and is read back; its links
are followed with the test client.
"""

import re
import socket
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from engage.auth.models import Role
from engage.core.errors import DomainError
from engage.core.extensions import db as _db
from engage.jobs.models import BackgroundJob, JobStatus
from engage.jobs.worker import run_worker
from engage.surveys.models import (
    Consultation,
    ConsultationStatus,
    ContactRequest,
    QuestionKind,
    Response,
)
from engage.surveys.services.contacts import (
    ContactChoice,
    purge_contact_details,
    record_contact_request,
)
from engage.surveys.services.updates import results_notice_key, unsubscribe_token
from tests.smtp import body_of, free_port

SITE = "https://engage.example.org"
URL = "/consultations/policing-plan"
MAIL = {
    "MAIL_SERVER": "127.0.0.1",
    "MAIL_TIMEOUT": 2,
    "MAIL_RETRY_BASE_SECONDS": 0.01,
    "SERVER_NAME": "engage.example.org",
    "PREFERRED_URL_SCHEME": "https",
}


@pytest.fixture
def mail_app(make_app, smtp):
    return make_app(MAIL_PORT=smtp[0].port, **MAIL)


@pytest.fixture
def consultation_id(make_consultation):
    return make_consultation(kinds=(QuestionKind.YES_NO,))


def _links(message) -> list[str]:
    return re.findall(r"https://\S+", body_of(message))


def _header(message, name: str) -> str:
    """The header unfolded: a long List-Unsubscribe is folded onto a second line (RFC 5322)."""
    return re.sub(r"\r?\n", "", message[name]).strip()


def _path(link: str) -> str:
    assert link.startswith(SITE + "/")
    return link.removeprefix(SITE)


def _submit(client, email="sam@example.org", **extra):
    page = client.get(URL).get_data(as_text=True)
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    field, option = re.search(r'name="(q\d+)" type="radio" value="([^"]+)"', page).groups()
    data = {
        "form_token": token,
        field: option,
        "consent": "yes",
        "wants_updates": "yes",
        "contact_email": email,
    }
    return client.post(f"{URL}/send", data=data | extra)


def _contact(app, email="sam@example.org") -> ContactRequest:
    with app.app_context():
        contact = _db.session.scalar(select(ContactRequest).filter_by(email=email))
        _db.session.expunge(contact)
        return contact


def _page(response) -> str:
    return response.get_data(as_text=True)


def test_opt_in_is_emailed_a_link_that_confirms_it_once(mail_app, smtp, consultation_id):
    client = mail_app.test_client()

    sent = _submit(client)

    assert sent.status_code == 303
    assert "sent you an email with a link" in _page(client.get(sent.headers["Location"]))
    message = smtp[1].messages[0]
    assert message["To"] == "sam@example.org"
    assert "Your police, your say" in message["Subject"]
    confirm, unsubscribe = _links(message)
    assert _header(message, "List-Unsubscribe") == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert _contact(mail_app).confirmed_on is None  # asked, not confirmed: not a subscriber

    shown = client.get(_path(confirm))
    assert shown.status_code == 200 and "Confirm I want updates" in _page(shown)
    assert _contact(mail_app).confirmed_on is None  # following the link alone confirms nothing

    confirmed = client.post(_path(confirm))
    assert confirmed.status_code == 200 and "Updates confirmed" in _page(confirmed)
    assert _contact(mail_app).confirmed_on == date.today()

    again = client.post(_path(confirm))
    assert again.status_code == 200 and "already confirmed" in _page(again)
    assert "already confirmed" in _page(client.get(_path(confirm)))


def test_a_confirmed_contact_answering_again_is_not_asked_again(mail_app, smtp, consultation_id):
    client = mail_app.test_client()
    _submit(client)
    client.post(_path(_links(smtp[1].messages[0])[0]))

    sent = _submit(client)

    assert sent.status_code == 303
    assert len(smtp[1].messages) == 1
    assert "sent you an email with a link" not in _page(client.get(sent.headers["Location"]))


def test_no_opt_in_sends_nothing(mail_app, smtp, consultation_id):
    _submit(mail_app.test_client(), wants_updates="")
    assert smtp[1].messages == []


def test_forged_and_expired_confirm_links_change_nothing(make_app, mail_app, smtp, consultation_id):
    client = mail_app.test_client()
    _submit(client)
    confirm = _path(_links(smtp[1].messages[0])[0])

    forged = client.post(confirm[:-3] + "abc")
    assert forged.status_code == 404 and "not valid" in _page(forged)
    expired_app = make_app(MAIL_PORT=smtp[0].port, UPDATES_CONFIRM_MAX_AGE_SECONDS=-1, **MAIL)
    expired = expired_app.test_client().post(confirm)
    assert expired.status_code == 410 and "expired" in _page(expired)
    assert "expired" in _page(expired_app.test_client().get(confirm))
    assert _contact(mail_app).confirmed_on is None


def test_unsubscribe_page_and_one_click_post_without_a_form(
    make_app, mail_app, smtp, consultation_id
):
    _submit(mail_app.test_client())
    message = smtp[1].messages[0]
    link = _path(_header(message, "List-Unsubscribe").strip("<>"))
    # CSRF on, as in production: the one-click POST comes from a mail client, with no form token.
    strict = make_app(MAIL_PORT=smtp[0].port, WTF_CSRF_ENABLED=True, **MAIL).test_client()

    page = strict.get(link)
    assert page.status_code == 200 and ">Unsubscribe</button>" in _page(page)
    assert _contact(mail_app).unsubscribed_on is None

    one_click = strict.post(link, data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200 and "Unsubscribed" in _page(one_click)
    assert _contact(mail_app).unsubscribed_on == date.today()
    twice = strict.post(link, data={"List-Unsubscribe": "One-Click"})
    assert twice.status_code == 200 and "Unsubscribed" in _page(twice)

    forged = strict.post(link[:-3] + "abc")
    assert forged.status_code == 404 and "not valid" in _page(forged)


def _subscribers(app, consultation_id, status=ConsultationStatus.CLOSED) -> dict[str, int]:
    """Four contacts: confirmed, unconfirmed, unsubscribed and a prize-draw entrant only."""
    with app.app_context():
        consultation = _db.session.get(Consultation, consultation_id)
        consultation.status = status
        consultation.outcome = "We put more officers on foot patrol in town centres."
        ids = {}
        for name, updates, draw in (
            ("confirmed", True, False),
            ("unconfirmed", True, False),
            ("gone", True, False),
            ("draw", False, True),
        ):
            choice = ContactChoice(updates, draw, f"=HYPERLINK({name})", f"{name}@example.org")
            ids[name] = record_contact_request(consultation, choice).id
        today = date.today()
        for name in ("confirmed", "gone"):
            _db.session.get(ContactRequest, ids[name]).confirmed_on = today
        _db.session.get(ContactRequest, ids["gone"]).unsubscribed_on = today
        _db.session.commit()
        return ids


def _publish(client, consultation_id, status="published"):
    return client.post(f"/staff/consultations/{consultation_id}/status", data={"status": status})


def test_publishing_results_emails_each_subscriber_once(mail_app, smtp, login, consultation_id):
    _subscribers(mail_app, consultation_id)
    staff = mail_app.test_client()
    login(staff, Role.CONSULTATION)
    overview = f"/staff/consultations/{consultation_id}"
    assert "1 person confirmed" in _page(staff.get(overview))

    assert _publish(staff, consultation_id).status_code == 303
    _publish(staff, consultation_id, "closed")
    _publish(staff, consultation_id)

    inbox = smtp[1]
    assert [message["To"] for message in inbox.messages] == ["confirmed@example.org"]
    results, unsubscribe = _links(inbox.messages[0])
    assert _header(inbox.messages[0], "List-Unsubscribe") == f"<{unsubscribe}>"
    assert "Your police, your say" in _page(mail_app.test_client().get(_path(results)))
    assert "Results email queued for 1 person" in _page(staff.get(overview))


def test_subscriber_export_waits_for_results_then_lists_only_confirmed(
    mail_app, login, consultation_id
):
    _subscribers(mail_app, consultation_id)
    staff = mail_app.test_client()
    login(staff, Role.CONSULTATION)
    url = f"/staff/consultations/{consultation_id}/export/subscribers.csv"

    refused = staff.get(url)
    assert refused.status_code == 409 and "not published yet" in _page(refused)

    _publish(staff, consultation_id)
    lines = _page(staff.get(url)).splitlines()
    assert lines[0] == "name,email,confirmed_on"
    assert lines[1:] == [f"'=HYPERLINK(confirmed),confirmed@example.org,{date.today()}"]


def _jobs(app) -> list[BackgroundJob]:
    with app.app_context():
        jobs = _db.session.scalars(select(BackgroundJob).filter_by(kind="email")).all()
        _db.session.expunge_all()
        return jobs


def _responses(app) -> int:
    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(Response))


def test_refusing_mail_server_is_retried_and_the_submission_still_succeeds(
    mail_app, smtp, consultation_id
):
    inbox = smtp[1]
    inbox.refusal = "451 Try again later"

    sent = _submit(mail_app.test_client())

    assert sent.status_code == 303
    assert _responses(mail_app) == 1
    assert inbox.attempts == mail_app.config["MAIL_RETRY_ATTEMPTS"]
    [job] = _jobs(mail_app)
    assert job.status == JobStatus.FAILED and "sam@" not in job.error


def test_silent_mail_server_times_out_and_the_submission_still_succeeds(make_app, consultation_id):
    with socket.socket() as silent:  # accepts connections, never greets: a timeout
        port = free_port()
        silent.bind(("127.0.0.1", port))
        silent.listen()
        app = make_app(
            **(MAIL | {"MAIL_PORT": port, "MAIL_TIMEOUT": 0.3, "MAIL_RETRY_ATTEMPTS": 2})
        )
        sent = _submit(app.test_client())
    assert sent.status_code == 303
    assert _responses(app) == 1
    [job] = _jobs(app)
    assert job.status == JobStatus.FAILED


def test_unsubscribed_contact_who_asks_again_must_confirm_again(app, db, consultation_id):
    consultation = db.session.get(Consultation, consultation_id)
    choice = ContactChoice(wants_updates=True, email="sam@example.org")
    contact = record_contact_request(consultation, choice)
    contact.confirmed_on = contact.unsubscribed_on = date.today()

    again = record_contact_request(consultation, choice)

    assert again.id == contact.id
    assert again.confirmed_on is None and again.unsubscribed_on is None


def test_unsubscribe_token_names_a_contact_that_no_longer_exists(client, app):
    with app.test_request_context():
        token = unsubscribe_token(12345)
    gone = client.get(f"/updates/unsubscribe/{token}")
    assert gone.status_code == 404 and "no longer hold" in _page(gone)


QUEUE_URL = "redis://127.0.0.1:6379/2"  # Redis database 2 is these tests' own


@pytest.fixture
def queued_mail_app(make_app, smtp):
    """Mail through the RQ queue in Redis, as in production: a worker sends, not the request."""
    import redis

    connection = redis.Redis.from_url(QUEUE_URL)
    connection.flushdb()
    yield make_app(MAIL_PORT=smtp[0].port, JOB_QUEUE_URL=QUEUE_URL, **MAIL)
    connection.flushdb()
    connection.close()


def test_with_a_queue_the_submission_only_enqueues_and_a_worker_sends(
    queued_mail_app, smtp, consultation_id
):
    client = queued_mail_app.test_client()
    smtp[1].refusal = "451 Try again later"  # the request must not even try the server

    started = time.perf_counter()
    sent = _submit(client)
    elapsed = time.perf_counter() - started

    assert sent.status_code == 303 and elapsed < 2
    assert smtp[1].attempts == 0
    smtp[1].refusal = None
    with queued_mail_app.app_context():
        _db.session.remove()
    run_worker(queued_mail_app, burst=True)
    [message] = smtp[1].messages
    assert client.post(_path(_links(message)[0])).status_code == 200
    assert _contact(queued_mail_app).confirmed_on == date.today()


def test_contact_details_are_kept_until_the_results_email_has_gone(db, consultation_id):
    consultation = db.session.get(Consultation, consultation_id)
    consultation.status = ConsultationStatus.PUBLISHED
    record_contact_request(consultation, ContactChoice(wants_updates=True, email="a@example.org"))
    job = BackgroundJob(kind="test", job_key=results_notice_key(consultation_id))
    db.session.add(job)  # queued: a worker is yet to email the subscribers
    db.session.commit()

    with pytest.raises(DomainError, match="still being emailed"):
        purge_contact_details(consultation)
    job.status = JobStatus.DONE
    assert purge_contact_details(consultation) == 1
