"""Funding rounds: creating and changing them, and their budget per area."""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import cast

from engage.activecitizens.models import (
    AreaAllocation,
    FundingRound,
    ReviewScore,
    RoundCriterion,
    RoundPriority,
)
from engage.activecitizens.services.audit import Actor, record_entry
from engage.core.areas import WEST_MIDLANDS_AREAS
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.core.money import format_pence

# Every West Midlands area has a GSS code; only ELSEWHERE lacks one.
AREA_CODES = cast(tuple[str, ...], tuple(area.gss_code for area in WEST_MIDLANDS_AREAS))
AREA_NAMES_BY_CODE = {area.gss_code: area.name for area in WEST_MIDLANDS_AREAS}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class CriterionDetails:
    name: str
    weight: int
    guidance: str = ""


@dataclass
class RoundDetails:
    slug: str
    name: str
    description: str
    opens_on: date
    closes_on: date
    decisions_by: date
    projects_start_from: date
    projects_end_by: date
    budget_pence: int
    min_grant_pence: int
    max_grant_pence: int
    allocations: dict[str, int] = field(default_factory=dict)  # area code -> pence
    priorities: list[str] = field(default_factory=list)
    criteria: list[CriterionDetails] = field(default_factory=list)


def area_name(code: str | None) -> str:
    return AREA_NAMES_BY_CODE.get(code or "", code or "Not given")


def round_by_slug(slug: str) -> FundingRound | None:
    return db.session.scalar(db.select(FundingRound).where(FundingRound.slug == slug))


def list_rounds() -> list[FundingRound]:
    return list(db.session.scalars(db.select(FundingRound).order_by(FundingRound.opens_on.desc())))


def open_rounds(today: date) -> list[FundingRound]:
    return list(
        db.session.scalars(
            db.select(FundingRound)
            .where(FundingRound.opens_on <= today, FundingRound.closes_on >= today)
            .order_by(FundingRound.closes_on)
        )
    )


def _check(details: RoundDetails, existing: FundingRound | None) -> None:
    if not _SLUG.match(details.slug):
        raise DomainError(
            "Short name must be lower-case letters, digits and hyphens, like acf-2026", "slug"
        )
    clash = round_by_slug(details.slug)
    if clash is not None and clash is not existing:
        raise DomainError(f"A round with the short name '{details.slug}' already exists", "slug")
    if details.closes_on < details.opens_on:
        raise DomainError("The closing date must be on or after the opening date", "closes_on")
    if details.decisions_by < details.closes_on:
        raise DomainError("Decisions can only come after the round closes", "decisions_by")
    if details.projects_end_by < details.projects_start_from:
        raise DomainError(
            "The last end date for projects must be after the first start date", "projects_end_by"
        )
    if details.budget_pence <= 0:
        raise DomainError("The budget must be more than £0", "budget")
    if details.min_grant_pence <= 0:
        raise DomainError("The smallest grant must be more than £0", "min_grant")
    if details.max_grant_pence < details.min_grant_pence:
        raise DomainError("The largest grant cannot be less than the smallest", "max_grant")
    if details.max_grant_pence > details.budget_pence:
        raise DomainError("The largest grant cannot be more than the whole budget", "max_grant")
    unknown = set(details.allocations) - set(AREA_CODES)
    if unknown:
        raise DomainError(f"Unknown area code {sorted(unknown)[0]}", "allocations")
    if any(pence < 0 for pence in details.allocations.values()):
        raise DomainError("An area's allocation cannot be negative", "allocations")
    allocated = sum(details.allocations.values())
    if allocated > details.budget_pence:
        raise DomainError(
            f"The areas' allocations add up to {format_pence(allocated)}, more than the "
            f"budget of {format_pence(details.budget_pence)}",
            "allocations",
        )
    if not details.priorities:
        raise DomainError("Give at least one priority", "priorities")
    if not details.criteria:
        raise DomainError("Give at least one scoring criterion", "criteria")
    if any(not 1 <= c.weight <= 10 for c in details.criteria):
        raise DomainError("Each criterion's weight must be from 1 to 10", "criteria")
    if existing is not None:
        _check_commitments_still_fit(details, existing)
        _check_scored_criteria_kept(details, existing)


def _check_scored_criteria_kept(details: RoundDetails, existing: FundingRound) -> None:
    """A criterion reviewers have scored against cannot be removed: its scores would go too."""
    kept = {c.name for c in details.criteria}
    removed = [c for c in existing.criteria if c.name not in kept]
    if not removed:
        return
    scored = db.session.scalar(
        db.select(ReviewScore.criterion_id)
        .where(ReviewScore.criterion_id.in_([c.id for c in removed]))
        .limit(1)
    )
    if scored is not None:
        name = next(c.name for c in removed if c.id == scored)
        raise DomainError(
            f"Reviewers have scored against '{name}', so it cannot be removed", "criteria"
        )


def _check_commitments_still_fit(details: RoundDetails, existing: FundingRound) -> None:
    if details.budget_pence < existing.committed_pence:
        raise DomainError(
            f"{format_pence(existing.committed_pence)} is already committed; the budget "
            "cannot go below that",
            "budget",
        )
    for allocation in existing.allocations:
        new = details.allocations.get(allocation.area_code, 0)
        if new < allocation.committed_pence:
            raise DomainError(
                f"{area_name(allocation.area_code)} already has "
                f"{format_pence(allocation.committed_pence)} committed; its allocation cannot "
                "go below that",
                "allocations",
            )


def _apply(funding_round: FundingRound, details: RoundDetails) -> None:
    for name in [
        "slug",
        "name",
        "description",
        "opens_on",
        "closes_on",
        "decisions_by",
        "projects_start_from",
        "projects_end_by",
        "budget_pence",
        "min_grant_pence",
        "max_grant_pence",
    ]:
        setattr(funding_round, name, getattr(details, name))
    by_code = {a.area_code: a for a in funding_round.allocations}
    for code in AREA_CODES:
        pence = details.allocations.get(code, 0)
        if code in by_code:
            by_code[code].allocation_pence = pence
        else:
            funding_round.allocations.append(AreaAllocation(area_code=code, allocation_pence=pence))
    _replace_priorities(funding_round, details.priorities)
    _replace_criteria(funding_round, details.criteria)


def _replace_priorities(funding_round: FundingRound, names: list[str]) -> None:
    """Keep priorities whose name stays (applications point at them), add new ones."""
    keep = {p.name: p for p in funding_round.priorities}
    funding_round.priorities = [
        keep.get(name) or RoundPriority(name=name) for name in dict.fromkeys(names)
    ]
    for position, priority in enumerate(funding_round.priorities):
        priority.position = position


def _replace_criteria(funding_round: FundingRound, criteria: list[CriterionDetails]) -> None:
    keep = {c.name: c for c in funding_round.criteria}
    updated = []
    for position, details in enumerate(criteria):
        criterion = keep.get(details.name) or RoundCriterion(name=details.name)
        criterion.weight, criterion.guidance, criterion.position = (
            details.weight,
            details.guidance,
            position,
        )
        updated.append(criterion)
    funding_round.criteria = updated


def create_round(details: RoundDetails, actor: Actor) -> FundingRound:
    _check(details, None)
    funding_round = FundingRound()
    _apply(funding_round, details)
    db.session.add(funding_round)
    db.session.flush()
    record_entry(actor, "create_round", round_id=funding_round.id, budget=details.budget_pence)
    return funding_round


def update_round(funding_round: FundingRound, details: RoundDetails, actor: Actor) -> FundingRound:
    """Change a round; budgets may not fall below what is already committed.

    The round row is locked first, so a decision cannot slip in between the check and the change.
    """
    db.session.refresh(funding_round, with_for_update=True)
    _check(details, funding_round)
    before = (
        funding_round.budget_pence,
        {a.area_code: a.allocation_pence for a in funding_round.allocations},
    )
    _apply(funding_round, details)
    db.session.flush()
    record_entry(
        actor,
        "update_round",
        round_id=funding_round.id,
        budget=[before[0], details.budget_pence],
        allocations=[before[1], details.allocations],
    )
    return funding_round


def publish_awards(funding_round: FundingRound, actor: Actor) -> None:
    """Show the round's grants on the public page and in the 360Giving export."""
    if funding_round.awards_published_at is not None:
        raise DomainError("This round's awards are already published", status=409)
    funding_round.awards_published_at = utcnow()
    record_entry(actor, "publish_awards", round_id=funding_round.id)


WITHDRAW_REASON_MAX = 500


def withdraw_publication(funding_round: FundingRound, actor: Actor, reason: str) -> None:
    """Take the round's grants off the public page and out of the 360Giving export."""
    reason = reason.strip()
    if funding_round.awards_published_at is None:
        raise DomainError("This round's awards are not published", status=409)
    if not reason:
        raise DomainError("Say why the publication is withdrawn", field="reason")
    if len(reason) > WITHDRAW_REASON_MAX:
        raise DomainError(f"Keep the reason under {WITHDRAW_REASON_MAX} characters", "reason")
    published_at = funding_round.awards_published_at
    funding_round.awards_published_at = None
    record_entry(
        actor,
        "withdraw_publication",
        round_id=funding_round.id,
        published_at=published_at.isoformat(),
        reason=reason,
    )
