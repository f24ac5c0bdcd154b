"""Committing and releasing money against a round's budget and an area's allocation.

Every change takes the round's row lock first (SELECT ... FOR UPDATE on PostgreSQL), so two
officers deciding at once queue up and the second sees what the first committed. SQLite
allows one writer at a time, which gives the same guarantee. CHECK constraints on the
committed columns are the last line of defence.
"""

from engage.activecitizens.models import AreaAllocation, FundingRound, GrantApplication
from engage.activecitizens.services.rounds import area_name
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.core.money import format_pence


def lock_round(funding_round: FundingRound) -> FundingRound:
    """Re-read the round and its allocations under a row lock, for the rest of the transaction."""
    db.session.refresh(funding_round, with_for_update=True)
    db.session.scalars(
        db.select(AreaAllocation)
        .where(AreaAllocation.round_id == funding_round.id)
        .order_by(AreaAllocation.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    return funding_round


def _allocation(application: GrantApplication) -> AreaAllocation:
    allocation = application.funding_round.allocation_for(application.main_area_code or "")
    if allocation is None:
        raise DomainError(
            f"{application.reference} has no area the round funds, so it cannot be approved"
        )
    return allocation


def check_fits(
    application: GrantApplication, amount_pence: int, pending: dict | None = None
) -> None:
    """Refuse an amount beyond what is left in the round or the area (after `pending`)."""
    pending = pending or {}
    funding_round = application.funding_round
    allocation = _allocation(application)
    round_left = funding_round.remaining_pence - pending.get("round", 0)
    area_left = allocation.remaining_pence - pending.get(allocation.area_code, 0)
    if amount_pence > round_left:
        raise DomainError(
            f"Approving {format_pence(amount_pence)} for {application.reference} would overspend "
            f"the fund: {format_pence(max(round_left, 0))} is left in {funding_round.name}",
            "amount",
            status=409,
        )
    if amount_pence > area_left:
        raise DomainError(
            f"Approving {format_pence(amount_pence)} for {application.reference} would overspend "
            f"{area_name(allocation.area_code)}'s allocation: {format_pence(max(area_left, 0))} "
            "is left",
            "amount",
            status=409,
        )


def commit(application: GrantApplication, amount_pence: int) -> None:
    check_fits(application, amount_pence)
    # Added in SQL, not in Python: even without the lock, two writers could not lose an update,
    # and the CHECK constraints would refuse the second.
    application.funding_round.committed_pence = FundingRound.committed_pence + amount_pence
    allocation = _allocation(application)
    allocation.committed_pence = AreaAllocation.committed_pence + amount_pence
    db.session.flush()


def release(application: GrantApplication) -> None:
    amount = application.amount_awarded_pence or 0
    application.funding_round.committed_pence = FundingRound.committed_pence - amount
    allocation = _allocation(application)
    allocation.committed_pence = AreaAllocation.committed_pence - amount
    db.session.flush()
