"""The social campaigns' waiting work, for the staff home."""

from datetime import timedelta

from engage.auth.models import Role, StaffUser
from engage.auth.worklist import WorkItem, provides_work
from engage.core.db_types import utcnow
from engage.core.extensions import db
from engage.social.models import Campaign
from engage.social.services.dashboard import flagged_counts
from engage.social.services.moderation import unclassified_replies

# A campaign stays on the staff home for a fortnight after its last day: replies keep coming.
STILL_CURRENT = timedelta(days=14)


@provides_work
def campaign_work(user: StaffUser) -> list[WorkItem]:
    if not user.has_role(Role.COMMS, Role.PCC):
        return []
    since = utcnow().date() - STILL_CURRENT
    campaigns = db.session.scalars(
        db.select(Campaign).where(Campaign.ends_on >= since).order_by(Campaign.starts_on)
    ).all()
    items = []
    for campaign in campaigns:
        flags = flagged_counts(campaign)
        section = f"Campaign: {campaign.name}"
        dashboard = {"slug": campaign.slug}
        items += [
            WorkItem(
                section,
                "replies need an answer",
                flags["needs_reply"],
                "social_staff.campaign_dashboard",
                {**dashboard, "show": "needs_reply"},
            ),
            WorkItem(
                section,
                "possible crime reports",
                flags["possible_crime"],
                "social_staff.campaign_dashboard",
                {**dashboard, "show": "possible_crime"},
            ),
        ]
        if campaign.consultation_id:
            items.append(
                WorkItem(
                    section,
                    "replies wait for a position",
                    unclassified_replies(campaign.consultation_id),
                    "social_staff.campaign_dashboard",
                    {**dashboard, "show": "unclassified"},
                )
            )
    return items
