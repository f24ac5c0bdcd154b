"""The X API fails: a local HTTP server on loopback answers 503 or does not answer at all.

Real tweepy and real requests make real HTTP calls; only the host changes, by an adapter mounted
on the client's session that sends https://api.twitter.com/... to the server. The server plays
recorded-shape bodies (tests/x_api.py) in order. A failed collection says why, keeps what it
stored, does not move the campaign's high-water mark, and the next run fills the gap storing
nothing twice.
"""

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from requests.adapters import HTTPAdapter
from sqlalchemy import func, select

from engage.core.extensions import db as _db
from engage.social import x_client
from engage.social.models import Campaign, CollectionRun, RunStatus, SocialPost
from engage.social.x_client import XClient, XError
from tests.faults import free_port
from tests.test_social_x_collection import _collect, _replies
from tests.x_api import counts, page, problem

pytestmark = [pytest.mark.faults, pytest.mark.usefixtures("postgres_leg")]

HANG = "hang"
TIMEOUT = 0.3  # seconds the client waits for X in these tests (30 in production)


class FakeX(ThreadingHTTPServer):
    """Answers each GET with the next scripted (status, body), or sleeps past the timeout."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", free_port()), _Handler)
        self.script: list = []
        self.asked: list[dict] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802  (the name http.server calls)
        url = urlparse(self.path)
        self.server.asked.append(
            {"path": url.path, **{k: v[0] for k, v in parse_qs(url.query).items()}}
        )
        answer = self.server.script.pop(0)
        if answer == HANG:
            time.sleep(TIMEOUT * 4)
            return
        status, body = answer
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass  # the test reads `asked`


@pytest.fixture
def fake_x(monkeypatch):
    server = FakeX()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    class ToLoopback(HTTPAdapter):
        def send(self, request, **kwargs):
            request.url = request.url.replace("https://api.twitter.com", server.base, 1)
            return super().send(request, **kwargs)

    class LoopbackSession(x_client._TimeoutSession):
        def __init__(self):
            super().__init__()
            self.mount("https://api.twitter.com", ToLoopback())

    monkeypatch.setattr(x_client, "_TimeoutSession", LoopbackSession)
    monkeypatch.setattr(x_client, "REQUEST_TIMEOUT", TIMEOUT)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(fake_x, sleeps):
    return XClient("test-bearer-token", sleep=sleeps.append, max_retries=2)


def _stored() -> int:
    return _db.session.scalar(select(func.count()).select_from(SocialPost))


def _fails_then_resumes(db, campaign_id, client, fake_x, failure, said: str) -> None:
    fake_x.script = [
        (200, counts(4)),
        (200, page(_replies(103, 2), next_token="p2")),
        failure,
        failure,
        failure,
    ]
    with pytest.raises(XError, match=re.escape(said)):
        _collect(campaign_id, client)

    run = _db.session.scalar(select(CollectionRun))
    assert run.status == RunStatus.FAILED and said in run.message
    assert "run the collection again later" in run.message
    assert _stored() == 2  # the first page is kept...
    assert _db.session.get(Campaign, campaign_id).newest_x_id is None  # ...but not trusted
    assert [asked.get("next_token") for asked in fake_x.asked[2:]] == ["p2"] * 3
    assert not fake_x.script  # three tries, no more

    fake_x.script = [
        (200, counts(4)),
        (200, page(_replies(103, 2), next_token="p2")),
        (200, page(_replies(101, 2))),
    ]
    outcome = _collect(campaign_id, client)

    assert outcome.run.status == RunStatus.COMPLETED
    assert (outcome.run.stored, outcome.run.duplicates) == (2, 2)
    assert _stored() == 4
    assert _db.session.get(Campaign, campaign_id).newest_x_id == "104"


def test_x_answering_503_fails_the_run_clearly_and_the_next_run_resumes(
    db, make_campaign, client, fake_x, sleeps
):
    unavailable = (503, problem(503, "Service Unavailable"))
    _fails_then_resumes(
        db, make_campaign(), client, fake_x, unavailable, "after 3 tries (503 Service Unavailable)"
    )
    assert sleeps == [2, 4]  # backed off between tries


def test_x_not_answering_times_out_fails_the_run_clearly_and_the_next_run_resumes(
    db, make_campaign, client, fake_x
):
    started = time.monotonic()
    _fails_then_resumes(
        db, make_campaign(), client, fake_x, HANG, f"no answer within {TIMEOUT} seconds"
    )
    assert time.monotonic() - started < 10  # each silent call gave up at the timeout
