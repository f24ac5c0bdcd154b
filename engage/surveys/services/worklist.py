"""Open consultations and their response counts, for the staff home."""

from sqlalchemy import func, select

from engage.auth.models import Role, StaffUser
from engage.auth.worklist import WorkItem, provides_work
from engage.core.extensions import db
from engage.surveys.models import Consultation, ConsultationStatus, ResponseTally
from engage.surveys.services import tallies


def responses_so_far(consultation_id: int) -> int:
    """Every stored response of the consultation, from the tallies (never a scan)."""
    source = tallies.live(ResponseTally, consultation_id)
    total = db.session.scalar(
        select(func.sum(source.c.count)).where(source.c.consultation_id == consultation_id)
    )
    return int(total or 0)


@provides_work
def consultation_work(user: StaffUser) -> list[WorkItem]:
    if not user.has_role(Role.CONSULTATION, Role.PCC, Role.COMMS):
        return []
    open_now = db.session.scalars(
        db.select(Consultation)
        .where(Consultation.status == ConsultationStatus.OPEN)
        .order_by(Consultation.closes_on)
    ).all()
    return [
        WorkItem(
            "Open consultations",
            f"responses to “{consultation.title}”, closing {consultation.closes_on:%-d %B}",
            responses_so_far(consultation.id),
            "surveys_staff.results",
            {"consultation_id": consultation.id},
        )
        for consultation in open_now
    ]
