"""Applications ranked by the panel's weighted scores, per area, against what each area has left."""

from dataclasses import dataclass

from engage.activecitizens.models import (
    ApplicationState,
    FundingRound,
    GrantApplication,
    ReviewAssignment,
    ReviewScore,
    RoundCriterion,
)
from engage.activecitizens.models.reviews import MAX_SCORE
from engage.activecitizens.services.rounds import area_name
from engage.core.extensions import db

RANKED_STATES = (ApplicationState.IN_REVIEW, ApplicationState.PANEL_DECISION)


@dataclass(frozen=True)
class RankedApplication:
    application: GrantApplication
    reviews: int
    weighted_percent: float | None
    # Whether it would still fit the area's remaining allocation if every higher-ranked
    # application in the area were approved in full.
    fits_if_higher_approved: bool


@dataclass(frozen=True)
class AreaRanking:
    area_code: str
    area_name: str
    remaining_pence: int
    applications: list[RankedApplication]


def weighted_scores(funding_round: FundingRound) -> dict[int, tuple[int, float]]:
    """application id -> (reviews, mean weighted percent), computed in SQL."""
    total_weight = sum(c.weight for c in funding_round.criteria) or 1
    rows = db.session.execute(
        db.select(
            ReviewAssignment.application_id,
            db.func.count(db.distinct(ReviewAssignment.id)),
            db.func.sum(ReviewScore.score * RoundCriterion.weight),
        )
        .join(ReviewScore, ReviewScore.assignment_id == ReviewAssignment.id)
        .join(RoundCriterion, RoundCriterion.id == ReviewScore.criterion_id)
        .join(GrantApplication, GrantApplication.id == ReviewAssignment.application_id)
        .where(
            GrantApplication.round_id == funding_round.id,
            ReviewAssignment.submitted_at.is_not(None),
        )
        .group_by(ReviewAssignment.application_id)
    )
    return {
        app_id: (reviews, 100 * float(points) / (reviews * total_weight * MAX_SCORE))
        for app_id, reviews, points in rows
    }


def rank_by_area(funding_round: FundingRound) -> list[AreaRanking]:
    scores = weighted_scores(funding_round)
    applications = db.session.scalars(
        db.select(GrantApplication).where(
            GrantApplication.round_id == funding_round.id,
            GrantApplication.state.in_(RANKED_STATES),
        )
    ).all()
    rankings = []
    for allocation in funding_round.allocations:
        in_area = [a for a in applications if a.main_area_code == allocation.area_code]
        in_area.sort(
            key=lambda a: (-(scores.get(a.id, (0, -1.0))[1]), a.amount_requested_pence, a.id)
        )
        running, ranked = 0, []
        for application in in_area:
            running += application.amount_requested_pence
            reviews, percent = scores.get(application.id, (0, None))
            ranked.append(
                RankedApplication(
                    application, reviews, percent, running <= allocation.remaining_pence
                )
            )
        rankings.append(
            AreaRanking(
                allocation.area_code,
                area_name(allocation.area_code),
                allocation.remaining_pence,
                ranked,
            )
        )
    return rankings
