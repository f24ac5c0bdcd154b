"""Answers kept between the form and "Check your answers", so that page is a plain GET.

With the check page the result of a POST, Back from the confirmation (or a reload) asked the
browser to send the form again ("Confirm form resubmission"). Now "Continue" stores the checked
answers here and redirects; the check page reads them back. They cannot travel in the session
cookie: a consultation's free-text answers alone may run to several times the 4 KB a browser
keeps in a cookie. Only the answers and "about you" come here, found by a random key kept in the
session; the contact details, a few hundred bytes at most, wait in the session itself, so no row
ever links an email address to answers.
"""

import secrets
from collections.abc import Mapping, Sequence
from datetime import timedelta

from sqlalchemy import delete

from engage.core.db_types import utcnow
from engage.core.extensions import db
from engage.surveys.draft_models import AnswerDraft
from engage.surveys.services.form_tokens import MAX_AGE_SECONDS

# A draft lives as long as its form's one-time token can still be sent.
DRAFT_LIFETIME = timedelta(seconds=MAX_AGE_SECONDS)


def save_draft(
    consultation_id: int, values: Mapping[str, Sequence[str]], key: str | None = None
) -> str:
    """Store (or replace, under the same `key`) a form's checked values; return the key.

    Drafts older than a day are removed on the way: their forms have expired.
    """
    db.session.execute(delete(AnswerDraft).where(AnswerDraft.saved_at < utcnow() - DRAFT_LIFETIME))
    draft = db.session.get(AnswerDraft, key) if key else None
    if draft is None or draft.consultation_id != consultation_id:
        draft = AnswerDraft(key=secrets.token_urlsafe(32), consultation_id=consultation_id)
        db.session.add(draft)
    draft.values = {name: list(given) for name, given in values.items()}
    draft.saved_at = utcnow()
    db.session.flush()
    return draft.key


def read_draft(consultation_id: int, key: str | None) -> dict[str, list[str]] | None:
    """The values of the consultation's draft under `key`, or None if gone or expired."""
    draft = db.session.get(AnswerDraft, key) if key else None
    if draft is None or draft.consultation_id != consultation_id:
        return None
    if draft.saved_at < utcnow() - DRAFT_LIFETIME:
        return None
    return draft.values


def discard_draft(key: str | None) -> None:
    """Remove a draft once its answers were sent (nothing if it is already gone)."""
    if key:
        db.session.execute(delete(AnswerDraft).where(AnswerDraft.key == key))
