"""Kiosk devices: a tablet at an event, opened by a signed link, answering offline."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.db_types import UTCDateTime, utcnow
from engage.core.extensions import Model
from engage.surveys.models import Event

KIOSK_LABEL_MAX = 60


class KioskDevice(Model):
    """One tablet's kiosk for one event; its link works until it expires or is revoked.

    Responses sent from the kiosk are ordinary responses of the event (its channel and area);
    each carries the id the tablet made for it in `Response.form_token`, which is unique, so a
    resend or a replay stores nothing twice.
    """

    __tablename__ = "kiosk_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(KIOSK_LABEL_MAX))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
