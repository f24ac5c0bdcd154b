"""What the public sees of the fund: open rounds and the projects it has funded."""

from engage.activecitizens.models import FundingRound, GrantApplication
from engage.activecitizens.models.applications import FUNDED_STATES
from engage.errors_domain import DomainError
from engage.extensions import db


def published_grants_query():
    """Grants approved (and not withdrawn) in rounds whose awards have been published."""
    return (
        db.select(GrantApplication)
        .join(FundingRound, FundingRound.id == GrantApplication.round_id)
        .where(
            FundingRound.awards_published_at.is_not(None),
            GrantApplication.state.in_(FUNDED_STATES),
        )
    )


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
