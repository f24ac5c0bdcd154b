"""Redis goes away: what each route does, on a redis-server of the test's own (tests/faults.py).

The decision (README, "When a server fails"): a survey response fails open (sent, not counted);
sign-in counts its limits in each process's memory, so guessing passwords stays limited; a job
that cannot be queued fails at once with a message saying so, except an email, which is sent from
the request instead. All recover without a restart.
"""

import re
import time

import pytest
from sqlalchemy import func, select

from engage.auth.models import Role
from engage.jobs.models import BackgroundJob, JobStatus
from engage.jobs.queue import QUEUE_DOWN
from engage.surveys.models import QuestionKind, Response
from tests.grants import PASSWORD, forget_signed_in_user

pytestmark = pytest.mark.faults

SLUG = "policing-plan"
LOGIN_LIMIT = 3


@pytest.fixture
def redis_down(private_redis):
    """Stop the test's Redis for the test; start it again, empty, whatever happens."""
    private_redis.stop()
    yield private_redis
    if private_redis.process is None:
        private_redis.start()


@pytest.fixture
def limited_app(make_app, private_redis):
    return make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=private_redis.url,
        SUBMISSION_RATE_LIMIT="2 per hour",
        LOGIN_RATE_LIMIT=f"{LOGIN_LIMIT} per minute",
    )


def _redis_keys(server) -> int:
    import redis

    with redis.Redis.from_url(server.url) as connection:
        return connection.dbsize()


def _send_answers(app, address: str) -> int:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    page = client.get(f"/consultations/{SLUG}").get_data(as_text=True)
    option = re.search(r'name="(q\d+)" type="radio" value="(\d+)"', page)
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    data = {"form_token": token, option.group(1): option.group(2), "consent": "yes"}
    return client.post(f"/consultations/{SLUG}/send", data=data).status_code


def test_answers_are_accepted_and_stored_while_the_rate_limit_redis_is_down(
    limited_app, db, make_consultation, redis_down
):
    make_consultation(kinds=(QuestionKind.YES_NO,))
    # Three from one address, over its limit of two: not counted, so none is refused.
    assert [_send_answers(limited_app, "10.0.0.1") for _ in range(3)] == [303, 303, 303]
    assert db.session.scalar(select(func.count(Response.id))) == 3

    redis_down.start()
    assert _send_answers(limited_app, "10.0.0.2") == 303
    assert _redis_keys(redis_down) > 0  # counted in Redis again, with no restart


def _sign_in(client, email: str) -> int:
    data = {"email": email, "password": "not the password"}
    return client.post("/staff/login", data=data).status_code


def test_sign_in_stays_limited_while_redis_is_down_and_shares_its_limits_again_after(
    limited_app, db, redis_down
):
    client = limited_app.test_client()
    statuses = [_sign_in(client, f"guess{n}@example.org") for n in range(LOGIN_LIMIT + 2)]
    assert statuses == [422] * LOGIN_LIMIT + [429, 429]  # counted in this process's memory

    redis_down.start()
    # Flask-Limiter asks the storage again after a back-off (1, 2, 4... seconds).
    deadline = time.monotonic() + 20
    while _sign_in(client, "after@example.org") == 429 or not _redis_keys(redis_down):
        assert time.monotonic() < deadline, "the limits did not go back to Redis"
        time.sleep(0.25)


def test_a_job_started_while_the_queue_redis_is_down_says_so_and_starts_once_it_is_back(
    make_app, db, make_consultation, login, private_redis, redis_down
):
    app = make_app(JOB_QUEUE_URL=private_redis.url)
    client = app.test_client()
    consultation_id = make_consultation(kinds=(QuestionKind.YES_NO,))
    login(client, Role.PCC)
    start = f"/staff/consultations/{consultation_id}/export/responses-job"

    sent = client.post(start)
    assert sent.status_code == 303
    forget_signed_in_user()
    page = client.get(sent.headers["Location"])
    assert page.status_code == 200 and QUEUE_DOWN in page.get_data(as_text=True)
    assert db.session.scalar(select(BackgroundJob.status)) == JobStatus.FAILED

    redis_down.start()
    forget_signed_in_user()
    assert client.post(start).status_code == 303
    db.session.remove()
    assert db.session.scalar(select(BackgroundJob.status)) == JobStatus.QUEUED


def test_an_email_asked_for_while_the_queue_redis_is_down_is_sent_from_the_request(
    make_app, db, make_staff, private_redis, redis_down, smtp
):
    controller, inbox = smtp
    app = make_app(
        JOB_QUEUE_URL=private_redis.url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=controller.port,
        MAIL_TIMEOUT=2,
    )
    email = make_staff()

    response = app.test_client().post("/password/forgot/staff", data={"email": email})

    assert response.status_code == 303
    assert [message["To"] for message in inbox.messages] == [email]
    assert db.session.scalar(select(BackgroundJob.status)) == JobStatus.DONE


@pytest.fixture
def redis_hung(private_redis):
    """SIGSTOP the test's Redis: connections open, nothing answers. SIGCONT afterwards."""
    private_redis.pause()
    yield private_redis
    private_redis.resume()


def _timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_a_hung_redis_slows_a_request_by_seconds_at_most_and_fails_each_route_as_decided(
    make_app, db, make_consultation, make_staff, private_redis, redis_hung
):
    app = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=private_redis.url,
        JOB_QUEUE_URL=private_redis.url,
        LOGIN_RATE_LIMIT=f"{LOGIN_LIMIT} per minute",
    )
    consultation_id = make_consultation(kinds=(QuestionKind.YES_NO,))
    sent, took = _timed(lambda: _send_answers(app, "10.0.1.1"))
    assert sent == 303 and took < 3  # fails open after the 0.5 s timeout

    client = app.test_client()
    email = make_staff(Role.PCC)
    signed_in, took = _timed(
        lambda: client.post("/staff/login", data={"email": email, "password": PASSWORD})
    )
    assert signed_in.status_code == 302 and took < 3  # counted in memory instead

    start = f"/staff/consultations/{consultation_id}/export/responses-job"
    started, took = _timed(lambda: client.post(start))
    # Within the enqueue timeout (2 s), not redis-py's default of 5 s.
    assert started.status_code == 303 and took < 4
    assert db.session.scalar(select(BackgroundJob.error)) == QUEUE_DOWN
