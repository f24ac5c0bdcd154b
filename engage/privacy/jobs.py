"""The nightly retention run, as a job the scheduler starts (see engage.scheduled)."""

from engage.core.extensions import db
from engage.jobs.queue import JobProgress
from engage.privacy.retention import enforce_retention
from engage.privacy.schedule import CLASSES, SOCIAL_POSTS
from engage.social import jobs as social_jobs


def enforce_retention_job(progress: JobProgress) -> dict:
    """Enforce every class's period, committing after each; return counts, never data."""
    progress.update(0, len(CLASSES))
    counts = {}
    for done, outcome in enumerate(enforce_retention(), 1):
        db.session.commit()
        counts[outcome.data_class.key] = outcome.count
        progress.update(done)
    if counts.get(SOCIAL_POSTS.key):
        social_jobs.fold_post_tallies()  # the dashboards' counts follow the deleted posts
    total = sum(counts.values())
    return {"summary": f"Retention schedule: {total:,} records past their period.", **counts}
