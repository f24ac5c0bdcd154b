"""Nightly housekeeping of the job queue: old job records, and old files made for download."""

import time
from datetime import datetime, timedelta

from sqlalchemy import delete

from engage.core.db_types import utcnow
from engage.core.rows import rows_affected
from engage.core.settings import settings
from engage.jobs.files import exports_dir
from engage.jobs.models import BackgroundJob, JobStatus


def purge_job_records(now: datetime | None = None) -> int:
    """Delete finished job records older than JOB_RECORDS_MAX_AGE_DAYS; return how many.

    Unfinished ones stay, whatever their age: the sweeper decides about those."""
    cutoff = (now or utcnow()) - timedelta(days=settings.JOB_RECORDS_MAX_AGE_DAYS)
    return rows_affected(
        delete(BackgroundJob).where(
            BackgroundJob.status.in_((JobStatus.DONE, JobStatus.FAILED)),
            BackgroundJob.updated_at < cutoff,
        )
    )


def purge_export_files(now: float | None = None) -> int:
    """Delete files in EXPORTS_DIR (CSV exports, PDFs, half-written parts) older than
    EXPORT_FILES_MAX_AGE_HOURS; return how many. Their job pages then offer to make them again.
    """
    cutoff = (now or time.time()) - settings.EXPORT_FILES_MAX_AGE_HOURS * 3600
    directory = exports_dir()
    if not directory.is_dir():
        return 0
    deleted = 0
    for path in directory.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted
