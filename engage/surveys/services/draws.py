"""The prize draw: a fair, recorded, once-only choice of winner."""

import secrets

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from engage.auth.models import StaffUser
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys.models import Consultation, ConsultationStatus, ContactRequest, PrizeDraw


def find_draw(consultation: Consultation) -> PrizeDraw | None:
    return db.session.scalar(select(PrizeDraw).filter_by(consultation_id=consultation.id))


def count_entrants(consultation: Consultation) -> int:
    return db.session.execute(
        select(func.count()).where(
            ContactRequest.consultation_id == consultation.id, ContactRequest.prize_draw.is_(True)
        )
    ).scalar_one()


def draw_prize(consultation: Consultation, drawn_by: StaffUser) -> PrizeDraw:
    """Pick a winner with `secrets` among opted-in entrants, once per consultation."""
    if consultation.status not in (ConsultationStatus.CLOSED, ConsultationStatus.PUBLISHED):
        raise DomainError("The prize draw can only be made once the consultation has closed.")
    previous = find_draw(consultation)
    if previous is not None:
        raise DomainError(
            f"The prize draw was already made on {previous.drawn_at:%-d %B %Y at %H:%M} UTC. "
            "It cannot be run again.",
            status=409,
        )
    entrant_ids = list(
        db.session.scalars(
            select(ContactRequest.id)
            .where(
                ContactRequest.consultation_id == consultation.id,
                ContactRequest.prize_draw.is_(True),
            )
            .order_by(ContactRequest.id)
        )
    )
    if not entrant_ids:
        raise DomainError("Nobody entered the prize draw, so there is no winner to draw.")
    winner = db.session.get_one(ContactRequest, entrant_ids[secrets.randbelow(len(entrant_ids))])
    draw = PrizeDraw(
        consultation_id=consultation.id,
        drawn_by_id=drawn_by.id,
        entrant_count=len(entrant_ids),
        winner_id=winner.id,
        winner_reference=winner.entry_reference,
    )
    try:
        with db.session.begin_nested():
            db.session.add(draw)
            db.session.flush()
    except IntegrityError:
        raise DomainError("Another member of staff has just made this draw.", status=409) from None
    return draw
