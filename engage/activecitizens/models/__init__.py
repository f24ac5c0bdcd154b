"""The Active Citizens Fund's tables: rounds, groups, applications, reviews and the audit log."""

from engage.activecitizens.models.applications import (
    ApplicationArea,
    ApplicationDocument,
    ApplicationState,
    BudgetLine,
    DocumentKind,
    GrantApplication,
    MonitoringReport,
)
from engage.activecitizens.models.audit import AuditEntry
from engage.activecitizens.models.groups import CommunityGroup, OrganisationType
from engage.activecitizens.models.reviews import (
    ConflictDeclaration,
    Recommendation,
    ReviewAssignment,
    ReviewScore,
)
from engage.activecitizens.models.rounds import (
    AreaAllocation,
    FundingRound,
    RoundCriterion,
    RoundPriority,
)

__all__ = [
    "ApplicationArea",
    "ApplicationDocument",
    "ApplicationState",
    "AreaAllocation",
    "AuditEntry",
    "BudgetLine",
    "CommunityGroup",
    "ConflictDeclaration",
    "DocumentKind",
    "FundingRound",
    "GrantApplication",
    "MonitoringReport",
    "OrganisationType",
    "Recommendation",
    "ReviewAssignment",
    "ReviewScore",
    "RoundCriterion",
    "RoundPriority",
]
