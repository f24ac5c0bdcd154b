"""What the retention schedule and subject requests (engage.privacy) need done to the surveys'
personal data: comments and postcode districts of old responses, and contact requests.

Contact requests serve two purposes, updates and the prize draw; each purpose ends on its own
schedule, and a request is deleted once it has none left.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, select, update

from engage.core.extensions import db
from engage.surveys.models import Answer, Consultation, ContactRequest, PrizeDraw, Response

REMOVED = "[removed: retention period ended]"
_BULK = {"synchronize_session": False}


def _count(condition) -> int:
    return db.session.execute(select(func.count()).where(condition)).scalar_one()


def anonymise_responses_before(cutoff: datetime, dry_run: bool = False) -> int:
    """Replace the comments and clear the postcode district of responses sent before the
    cutoff; choices, area and age group stay, so results and tallies are unchanged. Returns
    how many responses had something removed (or would have, on a dry run)."""
    old = Response.submitted_at < cutoff
    comment = (
        Answer.text.is_not(None)
        & (Answer.text != "")
        & (Answer.text != REMOVED)
        & Answer.response_id.in_(select(Response.id).where(old))
    )
    has_comment = exists().where(Answer.response_id == Response.id, comment)
    count = _count(old & (Response.postcode_district.is_not(None) | has_comment))
    if not dry_run and count:
        db.session.execute(
            update(Answer).where(comment).values(text=REMOVED), execution_options=_BULK
        )
        db.session.execute(
            update(Response)
            .where(old, Response.postcode_district.is_not(None))
            .values(postcode_district=None),
            execution_options=_BULK,
        )
    return count


# A consultation whose results (or draw) have not come a year after it closed is taken as
# never coming: its contact details then count their period from that day instead, so they are
# not kept for ever for a purpose that lapsed.
LAPSED_AFTER_CLOSING = timedelta(days=365)


def _lapsed_before(cutoff: datetime):
    """Consultations closed so long before the cutoff that an update or draw has lapsed."""
    return Consultation.closes_on < (cutoff - LAPSED_AFTER_CLOSING).date()


def end_updates_published_before(cutoff: datetime, dry_run: bool = False) -> int:
    """End the wish for updates of consultations whose results were published before the
    cutoff, or never published though the consultation closed a year before it; return how
    many requests."""
    published = select(Consultation.id).where(
        (Consultation.published_at < cutoff)
        | (Consultation.published_at.is_(None) & _lapsed_before(cutoff))
    )
    due = ContactRequest.consultation_id.in_(published) & ContactRequest.wants_updates.is_(True)
    count = _count(due)
    if not dry_run and count:
        _end_purpose(due, ContactRequest.prize_draw, {"wants_updates": False})
    return count


def end_draw_entries_drawn_before(cutoff: datetime, dry_run: bool = False) -> int:
    """End the prize-draw entries of draws made before the cutoff, or of a draw never made
    though the consultation closed a year before it; the draw keeps the winner's reference.
    Returns how many entries."""
    drawn = select(PrizeDraw.consultation_id).where(PrizeDraw.drawn_at < cutoff)
    undrawn = select(Consultation.id).where(
        _lapsed_before(cutoff), Consultation.id.not_in(select(PrizeDraw.consultation_id))
    )
    due = (
        ContactRequest.consultation_id.in_(drawn) | ContactRequest.consultation_id.in_(undrawn)
    ) & ContactRequest.prize_draw.is_(True)
    count = _count(due)
    if not dry_run and count:
        leaving = select(ContactRequest.id).where(due, ContactRequest.wants_updates.is_(False))
        db.session.execute(
            update(PrizeDraw).where(PrizeDraw.winner_id.in_(leaving)).values(winner_id=None),
            execution_options=_BULK,
        )
        _end_purpose(due, ContactRequest.wants_updates, {"prize_draw": False})
    return count


def _end_purpose(due, other_purpose, values: dict) -> None:
    """Keep a request that still serves its other purpose (without this one); delete the rest."""
    db.session.execute(
        update(ContactRequest).where(due, other_purpose.is_(True)).values(**values),
        execution_options=_BULK,
    )
    db.session.execute(
        delete(ContactRequest).where(due, other_purpose.is_(False)), execution_options=_BULK
    )


def contacts_by_email(email: str) -> list[ContactRequest]:
    return _contacts(ContactRequest.email == email.strip().lower())


def contacts_by_reference(reference: str) -> list[ContactRequest]:
    return _contacts(ContactRequest.entry_reference == reference)


def _contacts(condition) -> list[ContactRequest]:
    return list(db.session.scalars(select(ContactRequest).where(condition).order_by("id")))


def consultation_titles(ids: set[int]) -> dict[int, str]:
    rows = db.session.execute(
        select(Consultation.id, Consultation.title).where(Consultation.id.in_(ids))
    )
    return dict(rows.tuples().all())


def erase_contacts(contacts: list[ContactRequest]) -> int:
    """Delete these contact requests; a draw they won keeps only the winner's reference."""
    ids = [contact.id for contact in contacts]
    if ids:
        db.session.execute(
            update(PrizeDraw).where(PrizeDraw.winner_id.in_(ids)).values(winner_id=None),
            execution_options=_BULK,
        )
        db.session.execute(
            delete(ContactRequest).where(ContactRequest.id.in_(ids)), execution_options=_BULK
        )
    return len(ids)
