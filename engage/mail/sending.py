"""Send an email through the job queue: throttled, retried with backoff, sent once per key."""

import hashlib
import smtplib
import time
from datetime import timedelta

from flask import current_app
from flask_mailman import EmailMessage

from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db, mail
from engage.jobs.models import BackgroundJob, JobStatus
from engage.jobs.queue import JobProgress, enqueue

KIND = "email"
GAVE_UP = "The mail server refused the message or did not answer; it was not sent."


def send_email(
    to: str, subject: str, body: str, key: str, unsubscribe_url: str | None = None
) -> BackgroundJob:
    """Queue one message; `key` names it, so queueing it again never sends it twice.

    Commits (the queue does), so call it once the request's own work is saved. With the
    queue's Redis down it is sent from this process, as nobody would see a failed job's message.
    """
    job_key = f"{KIND}:{hashlib.sha256(key.encode()).hexdigest()}"
    return enqueue(
        deliver_email,
        to,
        subject,
        body,
        job_key,
        unsubscribe_url,
        job_key=job_key,
        kind=KIND,
        run_here_if_queue_down=True,
    )


def build_message(
    to: str, subject: str, body: str, job_key: str, unsubscribe_url: str | None
) -> EmailMessage:
    """Make the message, with RFC 8058 one-click unsubscribe headers when it has a list."""
    headers = {"Message-ID": f"<{job_key.split(':', 1)[1]}@engage>"}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return EmailMessage(subject=subject, body=body, to=[to], headers=headers)


def deliver_email(
    progress: JobProgress,
    to: str,
    subject: str,
    body: str,
    job_key: str,
    unsubscribe_url: str | None,
) -> dict:
    """Send one queued message, waiting for the rate limit and retrying refusals."""
    _wait_for_rate_limit(progress.job_id)
    message = build_message(to, subject, body, job_key, unsubscribe_url)
    attempts = max(1, current_app.config["MAIL_RETRY_ATTEMPTS"])
    base = current_app.config["MAIL_RETRY_BASE_SECONDS"]
    for attempt in range(attempts):
        try:
            with mail.get_connection() as connection:
                connection.send_messages([message])
        except (smtplib.SMTPException, OSError) as error:  # OSError covers timeouts
            current_app.logger.warning(
                "Email job %s: attempt %s failed (%s)",
                progress.job_id,
                attempt + 1,
                type(error).__name__,
            )
            if attempt + 1 == attempts:
                raise DomainError(GAVE_UP) from None
            time.sleep(base * 2**attempt)
        else:
            break
    return {"sent": 1, "attempts": attempt + 1}


def _wait_for_rate_limit(job_id: int) -> None:
    """Hold this message back while MAIL_RATE_PER_MINUTE were sent in the last minute."""
    rate = current_app.config["MAIL_RATE_PER_MINUTE"]
    while True:
        since = utcnow() - timedelta(minutes=1)
        sent = db.session.scalar(
            db.select(db.func.count())
            .select_from(BackgroundJob)
            .where(
                BackgroundJob.kind == KIND,
                BackgroundJob.status == JobStatus.DONE,
                BackgroundJob.finished_at >= since,
                BackgroundJob.id != job_id,
            )
        )
        db.session.rollback()
        if sent < rate:
            return
        time.sleep(1)
