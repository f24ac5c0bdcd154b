"""Emails about a consultation, written and queued by jobs so no request waits for them.

Two jobs: one asks a person who ticked "keep me updated" to confirm it, one tells everyone who
confirmed that the results are published. Each message goes out through `send_email`, keyed so
it is sent once; links are built against the site address the starting request came in on.
"""

import secrets
from dataclasses import dataclass

from flask import current_app, request, url_for

from engage.core.extensions import db
from engage.jobs.models import BackgroundJob
from engage.jobs.queue import JobProgress, enqueue, find_job
from engage.mail.sending import send_email
from engage.surveys.models import Consultation, ConsultationStatus, ContactRequest
from engage.surveys.services import updates

CONFIRM_KIND = "surveys.updates-confirm"
NOTICE_KIND = updates.NOTICE_KIND


def ask_to_confirm(contact_id: int) -> BackgroundJob:
    """Queue the email asking a contact to confirm they want updates: the request's one enqueue.

    The job's key is random, not the contact's id, so the job record (timed to the second,
    like the response just stored) cannot be matched to the contact.
    """
    return enqueue(
        send_confirmation,
        contact_id,
        request.url_root,
        job_key=f"{CONFIRM_KIND}:{secrets.token_hex(16)}",
        kind=CONFIRM_KIND,
    )


def send_confirmation(progress: JobProgress, contact_id: int, url_root: str) -> dict:
    """Write and queue the confirmation email, unless it has been confirmed or deleted since."""
    contact = db.session.get(ContactRequest, contact_id)
    if contact is None or not updates.needs_confirming(contact):
        return {"queued": 0}  # confirmed, or purged, since it was queued
    title = db.session.get_one(Consultation, contact.consultation_id).title
    with current_app.test_request_context(base_url=url_root):
        subject, body = updates.confirmation_message(
            title,
            url_for(
                "surveys.confirm_updates", token=updates.confirm_token(contact.id), _external=True
            ),
            _unsubscribe_url(contact.id),
        )
        send_email(
            contact.email,
            subject,
            body,
            key=f"{CONFIRM_KIND}:{progress.job_id}",
            unsubscribe_url=_unsubscribe_url(contact.id),
        )
    return {"queued": 1}


def _unsubscribe_url(contact_id: int) -> str:
    return url_for(
        "surveys.unsubscribe", token=updates.unsubscribe_token(contact_id), _external=True
    )


def start_results_notice(consultation: Consultation) -> BackgroundJob:
    """Queue telling the consultation's subscribers its results are out.

    Publishing again (after withdrawing) runs the job again, but each person's message is keyed
    by person and consultation, so nobody is told twice.
    """
    return enqueue(
        tell_subscribers,
        consultation.id,
        request.url_root,
        job_key=updates.results_notice_key(consultation.id),
        kind=NOTICE_KIND,
        again_once_done=True,
    )


def tell_subscribers(progress: JobProgress, consultation_id: int, url_root: str) -> dict:
    """Queue one email with the results page's link to each confirmed subscriber."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or consultation.status != ConsultationStatus.PUBLISHED:
        return {"told": 0}
    title, slug = consultation.title, consultation.slug
    # Plain rows, read at once: each send_email commits, which would expire ORM objects.
    people = db.session.execute(
        updates.subscribers(consultation_id)
        .with_only_columns(ContactRequest.id, ContactRequest.email)
        .order_by(ContactRequest.id)
    ).all()
    progress.update(0, len(people))
    with current_app.test_request_context(base_url=url_root):
        results_url = url_for("surveys.public_results", slug=slug, _external=True)
        for done, (contact_id, email) in enumerate(people, start=1):
            unsubscribe_url = _unsubscribe_url(contact_id)
            subject, body = updates.results_message(title, results_url, unsubscribe_url)
            send_email(
                email,
                subject,
                body,
                key=f"{NOTICE_KIND}:{consultation_id}:{contact_id}",
                unsubscribe_url=unsubscribe_url,
            )
            progress.update(done)
    return {"told": len(people)}


@dataclass(frozen=True)
class NoticeSummary:
    """For staff: how many will be told when results are published, and the job that told."""

    subscribers: int
    job: BackgroundJob | None


def notice_summary(consultation: Consultation) -> NoticeSummary:
    return NoticeSummary(
        updates.count_subscribers(consultation),
        find_job(updates.results_notice_key(consultation.id)),
    )
