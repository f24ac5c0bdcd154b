"""The sweeper: finds jobs whose worker stopped, and restarts them or fails them clearly.

A job is swept when it is running but has not moved for STALLED_AFTER (its worker was killed),
when its RQ job failed before the job could record anything (the worker could not reach the
database), or when its RQ job is gone from Redis. With the RQ job still in Redis it is queued
again, up to MAX_RESTARTS times (every job is idempotent: what it stored is not stored twice);
otherwise, or without Redis, it fails with a message saying what happened and what to do.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

import redis
from flask import current_app
from rq.exceptions import NoSuchJobError
from rq.job import Job
from sqlalchemy import update

from engage.core.db_types import utcnow
from engage.core.extensions import db
from engage.core.rows import rows_affected
from engage.jobs.models import BackgroundJob, JobStatus
from engage.jobs.queue import job_queue, rq_job_id, run_job

MAX_RESTARTS = 2
WORKER_STOPPED = (
    "Its worker stopped before the job finished. Start it again: what it had stored is not "
    "stored twice."
)
NO_DATABASE = (
    "The worker could not reach the database, so the job did not run and stored nothing. "
    "Check the worker's DATABASE_URL, then start it again."
)
LOST = "The job was lost from the queue (Redis was emptied or restarted). Start it again."
RESTARTED = "{cause} It was queued again ({restarts} of {limit} restarts)."


@dataclass
class Sweep:
    restarted: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.restarted)} stalled job(s) restarted, {len(self.failed)} failed."


def sweep_stalled_jobs(now: datetime | None = None) -> Sweep:
    """Restart or fail every job whose worker stopped; commits each change."""
    now = now or utcnow()
    url = current_app.config.get("JOB_QUEUE_URL")
    sweep = Sweep()
    unfinished = db.session.scalars(
        db.select(BackgroundJob)
        .where(BackgroundJob.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)))
        .order_by(BackgroundJob.id)
    ).all()
    for job in unfinished:
        try:
            carrier = _rq_job(url, job) if url else None
        except redis.RedisError:
            current_app.logger.warning("Sweeper: Redis did not answer; jobs left as they are")
            break
        cause = _cause(job, carrier, bool(url), now)
        if cause is None:
            continue
        if carrier is not None and job.restarts < MAX_RESTARTS:
            if _restart(job, carrier, cause, cast(str, url)):  # a carrier comes only with a URL
                sweep.restarted.append(job.id)
        elif _fail(job, cause):
            sweep.failed.append(job.id)
    return sweep


def _rq_job(url: str, job: BackgroundJob) -> Job | None:
    try:
        return Job.fetch(rq_job_id(job), connection=job_queue(url).connection)
    except NoSuchJobError:
        return None


def _cause(job: BackgroundJob, carrier: Job | None, queued: bool, now: datetime) -> str | None:
    """Why the job will not finish by itself, or None while it may."""
    if carrier is not None and carrier.is_failed:
        result = carrier.latest_result()
        failure = (result.exc_string or "") if result else ""
        return NO_DATABASE if "OperationalError" in failure else WORKER_STOPPED
    if not job.is_stalled(now):
        return None
    if job.status == JobStatus.RUNNING:
        return WORKER_STOPPED
    if queued:
        # Queued for long with its RQ job still waiting: no worker is running; leave it.
        return LOST if carrier is None else None
    return WORKER_STOPPED  # in-process: the request that ran it ended first


def _unchanged(job: BackgroundJob):
    return update(BackgroundJob).where(
        BackgroundJob.id == job.id,
        BackgroundJob.status == job.status,
        BackgroundJob.updated_at == job.updated_at,
    )


def _restart(job: BackgroundJob, carrier: Job, cause: str, url: str) -> bool:
    """Queue the job again on a new RQ job, unless it moved since it was read."""
    restarts = job.restarts + 1
    message = RESTARTED.format(cause=cause, restarts=restarts, limit=MAX_RESTARTS)
    moved = rows_affected(
        _unchanged(job)
        .values(
            status=JobStatus.QUEUED,
            restarts=restarts,
            updated_at=utcnow(),
            progress_done=0,
            error=message,
            started_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if moved != 1:
        return False
    db.session.expire(job)
    job_queue(url).enqueue(run_job, *carrier.args, job_id=rq_job_id(job))
    current_app.logger.warning("Job %s restarted after its worker stopped", job.id)
    return True


def _fail(job: BackgroundJob, cause: str) -> bool:
    now = utcnow()
    failed = rows_affected(
        _unchanged(job)
        .values(status=JobStatus.FAILED, error=cause, finished_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return failed == 1
