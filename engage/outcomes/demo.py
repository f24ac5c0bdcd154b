"""Demo commitments and quotes for the published demo consultation, one served by a grant."""

from collections.abc import Callable

from engage.activecitizens.services.publication import published_grants_query
from engage.auth.models import StaffUser
from engage.core.extensions import db
from engage.outcomes import services
from engage.outcomes.services import CommitmentDetails
from engage.surveys.models import Answer, Consultation, ConsultationStatus, Question

DEMO_COMMITMENTS = [
    CommitmentDetails(
        "Named officers for every neighbourhood, shown online",
        "Neighbourhood Policing",
        "People said they did not know who their local officers were.",
        "done",
        100,
        "Every neighbourhood page now names its team and how to reach them.",
    ),
    CommitmentDetails(
        "Youth diversion work in the areas with most anti-social behaviour",
        "Office of the PCC",
        "Anti-social behaviour was the top priority in four of the seven areas.",
        "under_way",
        60,
        "Funded through the Active Citizens Fund with local youth groups.",
    ),
    CommitmentDetails(
        "Quarterly street meetings with the neighbourhood team",
        "Neighbourhood Policing",
        "",
        "planned",
        0,
        "",
    ),
]


def load_outcomes_demo(echo: Callable[[str], None], admin: StaffUser) -> None:
    """Give each published demo consultation commitments, a linked grant and two quotes."""
    published = db.session.scalars(
        db.select(Consultation).where(Consultation.status == ConsultationStatus.PUBLISHED)
    ).all()
    grant = db.session.scalars(published_grants_query().limit(1)).first()
    for consultation in published:
        made = [services.add_commitment(consultation, d, admin) for d in DEMO_COMMITMENTS]
        if grant is not None:
            services.link_grant(made[1], grant.id)
        comments = db.session.scalars(
            db.select(Answer)
            .join(Question, Question.id == Answer.question_id)
            .where(Question.consultation_id == consultation.id, Answer.text.is_not(None))
            .order_by(Answer.id)
            .limit(2)
        ).all()
        for comment in comments:
            services.choose_quote(consultation, comment.id, comment.text, True, admin)
        quoted = f" and {len(comments)} quotes" if comments else ""
        echo(f"{consultation.title}: {len(made)} commitments{quoted}.")
