"""Sending email: through the queue, once per key, with one-click unsubscribe headers."""

import logging
from pathlib import Path

import pytest

from engage.core.extensions import db as _db
from engage.jobs.models import BackgroundJob, JobStatus
from engage.mail.sending import send_email
from tests.smtp import body_of

UNSUBSCRIBE = "https://engage.example.org/updates/unsubscribe/abc"


@pytest.fixture
def mail_app(make_app, smtp):
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp[0].port, MAIL_TIMEOUT=2)


def test_message_carries_one_click_unsubscribe_headers(mail_app, smtp):
    with mail_app.test_request_context():
        job = send_email("reader@example.org", "Results", "Hello", "k1", UNSUBSCRIBE)
        assert job.status == JobStatus.DONE
    message = smtp[1].messages[0]
    assert message["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert body_of(message).strip() == "Hello"


def test_same_key_is_sent_once(mail_app, smtp):
    with mail_app.test_request_context():
        send_email("reader@example.org", "Results", "Hello", "same-key")
        send_email("reader@example.org", "Results", "Hello", "same-key")
        jobs = _db.session.scalars(_db.select(BackgroundJob).filter_by(kind="email")).all()
    assert len(smtp[1].messages) == 1
    assert len(jobs) == 1


def test_failed_message_is_sent_when_queued_again(mail_app, smtp):
    _, inbox = smtp
    inbox.refusal = "554 No thanks"
    with mail_app.test_request_context():
        assert send_email("a@example.org", "S", "B", "retry-key").status == JobStatus.FAILED
        inbox.refusal = None
        assert send_email("a@example.org", "S", "B", "retry-key").status == JobStatus.DONE
    assert len(inbox.messages) == 1


def test_without_mail_server_messages_go_to_the_outbox(make_app, tmp_path, caplog, monkeypatch):
    # Alembic's logging set-up (run by the session's migrations) disables existing loggers.
    monkeypatch.setattr(logging.getLogger("engage"), "disabled", False)
    outbox = tmp_path / "outbox"
    with caplog.at_level(logging.INFO, logger="engage"):
        app = make_app(MAIL_FILE_PATH=str(outbox))
    lines = [record.getMessage() for record in caplog.records if "outbox" in record.getMessage()]
    assert len(lines) == 1 and "written to files" in lines[0] and "@" not in lines[0]
    with app.test_request_context():
        send_email("reader@example.org", "Results", "Hello outbox", "outbox-key")
    files = list(Path(outbox).iterdir())
    assert len(files) == 1
    assert "Hello outbox" in files[0].read_text()
