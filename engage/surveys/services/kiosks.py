"""Kiosks: a tablet at an event, opened by a signed link, that collects answers offline and
sends them when it can. Each answer carries an id made on the tablet, so a resend stores once."""

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from itsdangerous import BadSignature
from sqlalchemy import select

from engage.auth.models import StaffUser
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.core.signing import lasting_serializer
from engage.surveys.kiosk_models import KIOSK_LABEL_MAX, KioskDevice
from engage.surveys.models import Event
from engage.surveys.services import consultations
from engage.surveys.services.responses import (
    AboutYou,
    DuplicateSubmission,
    clean_answers,
    submit_response,
)

_SALT = "engage.kiosk"
# A kiosk link works until the end of its event's day and this long after, for stragglers.
GRACE_AFTER_EVENT = timedelta(days=3)
# Never longer than this from when it is opened, however far ahead the event is.
LONGEST_LINK = timedelta(days=60)
_CLIENT_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

NEW_LINK_ADVICE = (
    "Ask a member of staff for a new kiosk link for this event. "
    "Answers waiting to send are kept on this tablet and go when the new link is opened."
)


class KioskRefused(DomainError):
    """The kiosk link no longer works; `state` says why ("expired", "revoked", "invalid")."""

    def __init__(self, message: str, status: int, state: str, event_id: int | None = None):
        super().__init__(message, status=status)
        self.state = state
        self.event_id = event_id


@dataclass(frozen=True)
class OpenedKiosk:
    kiosk: KioskDevice
    token: str


@dataclass(frozen=True)
class KioskReceipt:
    reference: str | None
    already_stored: bool


def default_expiry(event: Event, now: datetime) -> datetime:
    """End of the event's day plus the grace period, but never more than LONGEST_LINK away."""
    end_of_day = datetime.combine(event.held_on, time.max, tzinfo=UTC)
    return min(end_of_day + GRACE_AFTER_EVENT, now + LONGEST_LINK)


def open_kiosk(
    event: Event, label: str, created_by: StaffUser, now: datetime | None = None
) -> OpenedKiosk:
    """Create a kiosk for one tablet at the event and return it with its signed link token."""
    now = now or utcnow()
    label = label.strip()
    if not label or len(label) > KIOSK_LABEL_MAX:
        raise DomainError(
            f"Enter a name for the tablet, {KIOSK_LABEL_MAX} characters or fewer", field="label"
        )
    expires_at = default_expiry(event, now)
    if expires_at <= now:
        raise DomainError(
            "This event was more than a few days ago, so a kiosk cannot be opened for it. "
            "Key in its paper responses instead.",
            field="label",
        )
    kiosk = KioskDevice(
        event_id=event.id,
        label=label,
        created_by_id=created_by.id,
        created_at=now,
        expires_at=expires_at,
    )
    db.session.add(kiosk)
    db.session.flush()
    # The nonce makes each link unguessable from the kiosk's id alone.
    token = lasting_serializer(_SALT).dumps([kiosk.id, secrets.token_urlsafe(8)])
    return OpenedKiosk(kiosk, token)


def list_kiosks(event: Event) -> list[KioskDevice]:
    return list(
        db.session.scalars(
            select(KioskDevice)
            .where(KioskDevice.event_id == event.id)
            .order_by(KioskDevice.created_at.desc(), KioskDevice.id.desc())
        )
    )


def kiosk_state(kiosk: KioskDevice, now: datetime | None = None) -> str:
    """ "revoked", "expired" or "active"."""
    if kiosk.revoked_at is not None:
        return "revoked"
    if kiosk.expires_at <= (now or utcnow()):
        return "expired"
    return "active"


def revoke_kiosk(event: Event, kiosk_id: int, now: datetime | None = None) -> KioskDevice:
    """Stop a kiosk's link working; answers already on the tablet stay there."""
    kiosk = db.session.get(KioskDevice, kiosk_id)
    if kiosk is None or kiosk.event_id != event.id:
        raise DomainError("That kiosk is not one of this event's.", status=404)
    if kiosk.revoked_at is None:
        kiosk.revoked_at = now or utcnow()
        db.session.flush()
    return kiosk


def read_kiosk(token: str, now: datetime | None = None) -> KioskDevice:
    """The kiosk a link opens, or KioskRefused saying why it does not work."""
    try:
        kiosk_id, _nonce = lasting_serializer(_SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        raise KioskRefused(
            "This kiosk link is not valid. " + NEW_LINK_ADVICE, 404, "invalid"
        ) from None
    kiosk = db.session.get(KioskDevice, kiosk_id) if isinstance(kiosk_id, int) else None
    if kiosk is None:
        raise KioskRefused("This kiosk link is not valid. " + NEW_LINK_ADVICE, 404, "invalid")
    state = kiosk_state(kiosk, now)
    if state == "revoked":
        raise KioskRefused(
            "This kiosk link was switched off. " + NEW_LINK_ADVICE, 403, state, kiosk.event_id
        )
    if state == "expired":
        raise KioskRefused(
            "This kiosk link has expired. " + NEW_LINK_ADVICE, 410, state, kiosk.event_id
        )
    return kiosk


def client_token(event: Event, client_id: str) -> str:
    """The form token a kiosk answer is stored under: unique per event and tablet-made id."""
    return f"kiosk:{event.id}:{client_id}"


def record_kiosk_response(
    kiosk: KioskDevice,
    client_id: str,
    raw_answers: Mapping[str, Sequence[str]],
    now: datetime | None = None,
) -> KioskReceipt:
    """Store one answer sent from a kiosk under its event's channel and area, once.

    The same `client_id` sent again (a resend after a lost reply, or a replay) stores nothing
    and says it is already stored. Bad answers raise AnswerErrors; a closed consultation a
    DomainError; the tablet keeps the answer in both cases.
    """
    if not isinstance(client_id, str) or not _CLIENT_ID.match(client_id):
        raise DomainError("The answer has no valid id from the kiosk.", status=400)
    event = kiosk.event
    consultation = event.consultation
    now = now or utcnow()
    consultations.ensure_accepting_online(consultation, now.date())
    answers = clean_answers(consultation.ordered_questions, raw_answers)
    try:
        stored = submit_response(
            consultation,
            answers,
            AboutYou(area=event.area),
            channel=event.channel,
            event=event,
            form_token=client_token(event, client_id),
        )
    except DuplicateSubmission as duplicate:
        return KioskReceipt(duplicate.reference, already_stored=True)
    kiosk.last_received_at = now
    db.session.flush()
    return KioskReceipt(stored.reference, already_stored=False)
