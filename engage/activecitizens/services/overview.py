"""The fund at a glance for the PCC: allocated, committed, paid and remaining, per area."""

from dataclasses import dataclass

from engage.activecitizens.models import FundingRound, GrantApplication
from engage.activecitizens.models.applications import FUNDED_STATES
from engage.activecitizens.services.rounds import area_name
from engage.analysis import charts
from engage.core.extensions import db


@dataclass(frozen=True)
class AreaMoney:
    area_code: str
    area_name: str
    allocated_pence: int
    committed_pence: int
    paid_pence: int
    grants: int

    @property
    def remaining_pence(self) -> int:
        return self.allocated_pence - self.committed_pence


@dataclass(frozen=True)
class FundOverview:
    budget_pence: int
    committed_pence: int
    paid_pence: int
    grants: int
    areas: list[AreaMoney]

    @property
    def remaining_pence(self) -> int:
        return self.budget_pence - self.committed_pence


def fund_overview(funding_round: FundingRound) -> FundOverview:
    """Committed comes from the locked running totals; paid and grant counts from SQL sums."""
    rows = db.session.execute(
        db.select(
            GrantApplication.main_area_code,
            db.func.count(GrantApplication.id),
            db.func.coalesce(db.func.sum(GrantApplication.paid_pence), 0),
        )
        .where(
            GrantApplication.round_id == funding_round.id,
            GrantApplication.state.in_(FUNDED_STATES),
        )
        .group_by(GrantApplication.main_area_code)
    )
    by_area = {code: (grants, paid) for code, grants, paid in rows}
    areas = [
        AreaMoney(
            allocation.area_code,
            area_name(allocation.area_code),
            allocation.allocation_pence,
            allocation.committed_pence,
            int(by_area.get(allocation.area_code, (0, 0))[1]),
            by_area.get(allocation.area_code, (0, 0))[0],
        )
        for allocation in funding_round.allocations
    ]
    return FundOverview(
        budget_pence=funding_round.budget_pence,
        committed_pence=funding_round.committed_pence,
        paid_pence=sum(a.paid_pence for a in areas),
        grants=sum(a.grants for a in areas),
        areas=areas,
    )


def overview_chart(overview: FundOverview) -> dict:
    """Stacked bars per area: paid, committed but not yet paid, and still available (£)."""
    names = [a.area_name for a in overview.areas]
    return charts.stacked_money_bars(
        names,
        [
            ("Paid", [a.paid_pence / 100 for a in overview.areas]),
            (
                "Committed, not yet paid",
                [(a.committed_pence - a.paid_pence) / 100 for a in overview.areas],
            ),
            ("Remaining", [a.remaining_pence / 100 for a in overview.areas]),
        ],
    )
