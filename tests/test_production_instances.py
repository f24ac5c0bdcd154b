"""Two gunicorn instances on one PostgreSQL database and one Redis agree on everything shared.

Each instance is a separate process with its own pool, so only the database and Redis can make
them agree: the per-address submission limit, the one-time form token, the fund's budget and the
tallies each process folds. The test starts its own redis-server on a free port; the instances use
the suite's PostgreSQL database (TEST_DATABASE_URL). Clients bind distinct loopback addresses
(127.0.x.y) so each counts as a different member of the public.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

import pytest
import requests
from requests.adapters import HTTPAdapter
from sqlalchemy import func, select

from engage.activecitizens.models import ApplicationState, FundingRound, GrantApplication
from engage.surveys.models import QuestionKind, Response
from engage.surveys.services import tallies
from tests.grants import (
    COVENTRY,
    PASSWORD,
    application_in_state,
    make_group,
    make_round,
    staff_actor,
)

ROOT = Path(__file__).resolve().parents[1]
SLUG = "policing-plan"
SUBMISSION_LIMIT = 4


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=10).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture(scope="module")
def redis_server():
    """A redis-server of the test's own, on a free port, with nothing persisted."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    port = _free_port()
    server = subprocess.Popen(
        ["timeout", "600", "redis-server", "--port", str(port), "--bind", "127.0.0.1"]
        + ["--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield client
    client.close()
    _stop(server)


@pytest.fixture(scope="module")
def servers(app, database_url, redis_server):
    """Two gunicorn instances (two workers each) against the suite's PostgreSQL database."""
    if not database_url.startswith("postgresql"):
        pytest.skip("two instances need PostgreSQL: make test runs this with TEST_DATABASE_URL")
    port = redis_server.connection_pool.connection_kwargs["port"]
    work = tempfile.mkdtemp(prefix="engage-instances-")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "instances-secret-key",
        "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{port}/0",
        "SUBMISSION_RATE_LIMIT": f"{SUBMISSION_LIMIT} per hour",
        "LOGIN_RATE_LIMIT": "100 per minute",
        "TALLY_FOLD_INTERVAL_SECONDS": "0",
        "JOB_QUEUE_URL": "",
        # The officers sign in with a password alone; two-factor sign-in has its own tests.
        "STAFF_2FA_REQUIRED_ROLES": "",
        "GRANT_DOCUMENTS_DIR": os.path.join(work, "documents"),
        "EXPORTS_DIR": os.path.join(work, "exports"),
        "SOCIAL_IMPORTS_DIR": os.path.join(work, "imports"),
        "PYTHONPATH": str(ROOT),
    }
    servers, urls = [], []
    try:
        for _ in range(2):
            port = _free_port()
            command = ["timeout", "300", sys.executable, "-m", "gunicorn", "--workers", "2"]
            command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
            servers.append(subprocess.Popen([*command, "engage:create_app()"], env=env, cwd=ROOT))
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            _wait_for(url + "/healthz")
        yield urls
    finally:
        for server in servers:
            _stop(server)
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture
def instances(servers, redis_server):
    """The two instances, with every rate-limit counter cleared."""
    redis_server.flushall()
    return servers


class _FromAddress(HTTPAdapter):
    """Send from one loopback address, so the app sees a distinct client address."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def _browser(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", _FromAddress(address))
    return session


def _form(session: requests.Session, base: str) -> dict:
    page = session.get(f"{base}/consultations/{SLUG}", timeout=10).text
    option = re.search(r'name="(q\d+)" type="radio" value="(\d+)"', page)
    return {
        "csrf_token": _csrf(page),
        "form_token": re.search(r'name="form_token" value="([^"]+)"', page).group(1),
        option.group(1): option.group(2),
        "consent": "yes",
    }


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]* value="([^"]+)"', page).group(1)


def _send(session: requests.Session, base: str, form: dict) -> int:
    url = f"{base}/consultations/{SLUG}/send"
    return session.post(url, data=form, allow_redirects=False, timeout=30).status_code


def _responses(db) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Response.id)))


def _at_once(*calls):
    """Run the calls in threads released together; return their results in order."""
    results = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_the_submission_limit_per_address_holds_across_instances(instances, db, make_consultation):
    make_consultation(kinds=(QuestionKind.YES_NO,))
    first, second = instances
    someone = _browser("127.0.0.2")
    statuses = []
    for turn in range(SUBMISSION_LIMIT + 2):
        base = (first, second)[turn % 2]
        statuses.append(_send(someone, base, _form(someone, base)))
    assert statuses == [303] * SUBMISSION_LIMIT + [429, 429]
    # Another address is counted on its own, on either instance.
    someone_else = _browser("127.0.0.3")
    assert _send(someone_else, second, _form(someone_else, second)) == 303
    assert _responses(db) == SUBMISSION_LIMIT + 1


def test_one_form_token_sent_to_both_instances_at_once_is_stored_once(
    instances, db, make_consultation
):
    make_consultation(kinds=(QuestionKind.YES_NO,))
    first, second = instances
    for attempt in range(3):
        browser = _browser(f"127.0.1.{attempt + 1}")
        form = _form(browser, first)
        twin = _browser(f"127.0.2.{attempt + 1}")
        twin.cookies.update(browser.cookies)  # the same browser, replaying to the other instance
        before = _responses(db)
        statuses = _at_once(
            partial(_send, browser, first, form), partial(_send, twin, second, form)
        )
        # Both are told it was received (the duplicate sees the first one's confirmation)...
        assert statuses == [303, 303]
        # ...and it is stored once.
        assert _responses(db) == before + 1


def test_tallies_folded_by_both_instances_equal_a_full_recount(instances, db, make_consultation):
    consultation_id = make_consultation(kinds=(QuestionKind.YES_NO, QuestionKind.SINGLE_CHOICE))
    first, second = instances

    def member(number: int):
        browser = _browser(f"127.0.3.{number + 1}")
        base = (first, second)[number % 2]
        return lambda: _send(browser, base, _form(browser, base))

    statuses = []
    for wave in range(3):
        statuses += _at_once(*(member(wave * 8 + number) for number in range(8)))
    assert statuses == [303] * 24
    db.session.rollback()
    # Both instances folded as they went; a fold that overlaps another leaves the newest few
    # for the next one, and the results count those from the responses meanwhile.
    assert tallies.count_pending() < 24
    assert tallies.compare_tallies(consultation_id) == []
    tallies.fold_batch()
    db.session.commit()
    assert tallies.count_pending() == 0
    assert tallies.compare_tallies(consultation_id) == []
    assert sum(tallies.stored_tallies(consultation_id).responses.values()) == 24


def _officer(base: str, email: str) -> requests.Session:
    browser = _browser("127.0.4.1")
    page = browser.get(f"{base}/staff/login", timeout=10).text
    form = {"csrf_token": _csrf(page), "email": email, "password": PASSWORD}
    reply = browser.post(f"{base}/staff/login", data=form, allow_redirects=False, timeout=10)
    assert reply.status_code == 302
    return browser


def _approve(browser: requests.Session, base: str, application_id: int):
    url = f"{base}/staff/grants/applications/{application_id}"
    token = _csrf(browser.get(url, timeout=10).text)
    data = {"csrf_token": token, "decision": "approve", "message": ""}
    return lambda: (
        browser.post(url + "/decision", data=data, allow_redirects=False, timeout=30).status_code
    )


def test_two_officers_on_different_instances_cannot_overspend_an_area(instances, db):
    funding_round = make_round()  # Coventry has £4,000
    one, other = (
        application_in_state(
            ApplicationState.PANEL_DECISION,
            funding_round=funding_round,
            group=make_group(f"group{n}@example.org", name=f"Group {n}"),
            amount=amount,
            area=COVENTRY,
        )
        for n, amount in ((1, 300_000), (2, 200_000))
    )
    emails = [staff_actor(email=f"officer{n}@example.org").staff.email for n in (1, 2)]
    db.session.commit()
    first, second = instances
    approvals = [
        _approve(_officer(first, emails[0]), first, one.id),
        _approve(_officer(second, emails[1]), second, other.id),
    ]
    statuses = _at_once(*approvals)
    assert sorted(statuses) == [303, 422]  # one is approved, the other told it would overspend
    db.session.rollback()
    approved = db.session.scalars(
        select(GrantApplication).filter_by(state=ApplicationState.APPROVED)
    ).all()
    assert len(approved) == 1
    committed = db.session.get(FundingRound, funding_round.id).committed_pence
    assert committed == approved[0].amount_awarded_pence <= 400_000
