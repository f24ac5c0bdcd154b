"""What the public sees of the fund: open rounds and the projects it has funded."""

from dataclasses import dataclass
from datetime import date

from engage.activecitizens.models import ApplicationState, FundingRound, GrantApplication
from engage.core.errors import DomainError
from engage.core.extensions import db

# A grant is public once its group has accepted the offer: an offer the group may still turn
# down is not yet an award.
PUBLIC_STATES = (
    ApplicationState.OFFER_ACCEPTED,
    ApplicationState.MONITORING,
    ApplicationState.CLOSED,
)


def published_grants_query():
    """Accepted (or paid) grants in rounds whose awards have been published."""
    return (
        db.select(GrantApplication)
        .join(FundingRound, FundingRound.id == GrantApplication.round_id)
        .where(
            FundingRound.awards_published_at.is_not(None),
            GrantApplication.state.in_(PUBLIC_STATES),
        )
    )


@dataclass
class PublicationPreview:
    """What publishing a round's awards would show the public, for the office to confirm."""

    grants: list[GrantApplication]
    awaiting_acceptance: int
    round_still_open: bool

    @property
    def total_pence(self) -> int:
        return sum(grant.amount_awarded_pence or 0 for grant in self.grants)


def publication_preview(funding_round: FundingRound, today: date) -> PublicationPreview:
    def in_state(*states):
        return db.select(GrantApplication).where(
            GrantApplication.round_id == funding_round.id, GrantApplication.state.in_(states)
        )

    grants = db.session.scalars(
        in_state(*PUBLIC_STATES).order_by(GrantApplication.main_area_code, GrantApplication.id)
    ).all()
    waiting = db.session.scalar(
        db.select(db.func.count()).select_from(in_state(ApplicationState.APPROVED).subquery())
    )
    return PublicationPreview(list(grants), waiting or 0, funding_round.closes_on >= today)


def funded_projects(round_slug: str | None, area_code: str | None, page: int, per_page: int = 20):
    query = published_grants_query()
    if round_slug:
        query = query.where(FundingRound.slug == round_slug)
    if area_code:
        query = query.where(GrantApplication.main_area_code == area_code)
    return db.paginate(
        query.order_by(GrantApplication.decided_at.desc(), GrantApplication.id),
        page=page,
        per_page=per_page,
        error_out=False,
    )


def published_totals() -> tuple[int, int]:
    """(number of grants, pence awarded) across every published round."""
    subquery = published_grants_query().subquery()
    count, total = db.session.execute(
        db.select(
            db.func.count(), db.func.coalesce(db.func.sum(subquery.c.amount_awarded_pence), 0)
        )
    ).one()
    return count, int(total)


def published_rounds() -> list[FundingRound]:
    return list(
        db.session.scalars(
            db.select(FundingRound)
            .where(FundingRound.awards_published_at.is_not(None))
            .order_by(FundingRound.opens_on.desc())
        )
    )


def require_area(area_code: str | None, known: tuple[str, ...]) -> str | None:
    if area_code and area_code not in known:
        raise DomainError("Unknown area", status=400)
    return area_code or None
