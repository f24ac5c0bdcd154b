"""Social work on a schedule: hourly collection from X, and the nightly retention purge.

Both are job functions (they take a JobProgress) that `engage.scheduled` starts each hour or
night, from RQ's cron scheduler or from cron calling `flask --app engage jobs hourly|nightly`.
"""

import os
from datetime import date, timedelta

from sqlalchemy import select

from engage.core.db_types import utcnow
from engage.core.extensions import db
from engage.jobs.queue import JobProgress
from engage.social import jobs
from engage.social.models import Campaign
from engage.social.services import campaigns, post_tallies, privacy
from engage.social.services.campaigns import RECENT_SEARCH_REACH
from engage.social.services.collection import collect_from_x
from engage.social.x_client import XClient, XError


def campaigns_to_collect(today: date) -> list[Campaign]:
    """Campaigns under way, and those ended less than recent search's reach ago (late replies);
    never the demo's, which has no real posts on X."""
    return list(
        db.session.scalars(
            select(Campaign)
            .where(
                Campaign.is_demo.is_(False),
                Campaign.starts_on <= today,
                Campaign.ends_on >= today - timedelta(days=RECENT_SEARCH_REACH.days),
            )
            .order_by(Campaign.id)
        )
    )


def collect_running_campaigns(progress: JobProgress) -> dict:
    """The hourly job: collect every running campaign's new posts; one failing does not stop
    the others, and each run (with its error) is recorded on its campaign's page."""
    running = campaigns_to_collect(utcnow().date())
    if not running:
        return {"summary": "No campaign is running: nothing to collect."}
    try:
        client = XClient(os.environ.get("X_BEARER_TOKEN"))
    except XError as error:
        return {"summary": f"Nothing collected: {error.message}"}
    progress.update(0, len(running))
    lines = []
    for done, campaign in enumerate(running, 1):
        try:
            outcome = collect_from_x(campaign, client, lambda run: db.session.commit())
            lines.append(f"{campaign.slug}: {outcome.run.message}")
        except XError as error:
            lines.append(f"{campaign.slug}: {error.message}")
        db.session.commit()  # the run's record, failed or not, and the pages stored before it
        progress.update(done)
    jobs.fold_post_tallies()
    return {"summary": " ".join(lines), "campaigns": len(running)}


def purge_expired_posts(progress: JobProgress) -> dict:
    """Delete every campaign's posts older than its retention period, a campaign at a time."""
    now = utcnow()
    every = campaigns.list_campaigns()
    progress.update(0, len(every))
    deleted = 0
    for done, campaign in enumerate(every, 1):
        deleted += privacy.purge_expired_posts(campaign, now)
        db.session.commit()
        progress.update(done)
    jobs.fold_post_tallies()
    post_tallies.tidy()
    db.session.commit()
    return {"summary": f"{deleted:,} posts past their retention deleted.", "posts": deleted}
