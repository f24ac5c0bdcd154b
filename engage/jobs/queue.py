"""Enqueueing jobs on RQ, or running them in-process, and running one with its record."""

from collections.abc import Callable
from functools import cache
from typing import cast

import redis
from flask import current_app
from rq import Queue
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.core.rows import rows_affected
from engage.jobs.models import ERROR_MAX, BackgroundJob, JobStatus

QUEUE_NAME = "engage"
QUEUE_DOWN = "The job queue is not answering, so the job did not start: try again in a minute."
ENQUEUE_TIMEOUT_SECONDS = 2  # a busy Redis answers in milliseconds; a hung one never
UNEXPECTED = "The job stopped on an unexpected error; it is in the worker's log."


class JobProgress:
    """What a job function reports as it goes: committed, so another process sees it."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.partial: dict | None = None

    @property
    def job(self) -> BackgroundJob:
        """The record, fetched again should the job have emptied the session (big exports do)."""
        return db.session.get_one(BackgroundJob, self.job_id)

    def update(self, done: int, total: int | None = None) -> None:
        job = self.job
        job.progress_done, job.updated_at = done, utcnow()
        if total is not None:
            job.progress_total = total
        db.session.commit()

    def keep(self, result: dict) -> None:
        """Keep `result` even if the job then fails (what a half-read file stored)."""
        self.partial = result


def find_job(job_key: str) -> BackgroundJob | None:
    return db.session.scalar(db.select(BackgroundJob).where(BackgroundJob.job_key == job_key))


def enqueue(
    func: Callable[..., dict],
    *args,
    job_key: str,
    kind: str,
    again_once_done: bool = False,
    run_here_if_queue_down: bool = False,
) -> BackgroundJob:
    """Record and start `func(progress, *args)` unless the same job_key already has a job.

    Returns the existing job if there is one that has not failed; a failed or stalled one (its
    worker died) is started again, and a done one too with `again_once_done` (work worth
    repeating, like a rescore). A restarted import skips what it stored as duplicates.
    Commits, since the worker reads the record from another process.

    Should Redis not answer, the job fails saying so (whoever started it can start it again),
    or with `run_here_if_queue_down` runs in this process instead: for short work nobody
    watches, like an email, which would otherwise be lost.
    """
    job = find_job(job_key)
    restartable = (JobStatus.FAILED, JobStatus.DONE) if again_once_done else (JobStatus.FAILED,)
    if job is not None and job.status not in restartable and not job.is_stalled(utcnow()):
        return job
    if job is None:
        job = BackgroundJob(kind=kind, job_key=job_key)
        try:
            with db.session.begin_nested():
                db.session.add(job)
        except IntegrityError:  # another request recorded the same job a moment ago
            return cast(BackgroundJob, find_job(job_key))
    if not _reset(job):  # another request restarted it first
        db.session.rollback()
        return cast(BackgroundJob, find_job(job_key))  # the other request's, committed
    db.session.commit()
    url = current_app.config.get("JOB_QUEUE_URL")
    if url:
        try:
            Queue(QUEUE_NAME, connection=_enqueue_connection(url)).enqueue(
                run_job, job.id, func, *args, job_id=rq_job_id(job)
            )
        except redis.RedisError:
            if run_here_if_queue_down:
                current_app.logger.warning("Job %s run here: Redis did not answer", job.id)
                run_job(job.id, func, *args)
            else:
                current_app.logger.warning("Job %s not queued: Redis did not answer", job.id)
                _fail(job.id, QUEUE_DOWN, None)
    else:
        run_job(job.id, func, *args)
    return job


def _reset(job: BackgroundJob) -> bool:
    """Queue the job afresh, unless another process changed it since it was read."""
    restarted = rows_affected(
        update(BackgroundJob)
        .where(
            BackgroundJob.id == job.id,
            BackgroundJob.status == job.status,
            BackgroundJob.updated_at == job.updated_at,
        )
        .values(
            status=JobStatus.QUEUED,
            updated_at=utcnow(),
            progress_done=0,
            progress_total=None,
            result=None,
            error=None,
            started_at=None,
            finished_at=None,
            restarts=0,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(job)
    return restarted == 1


@cache
def _connection(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


@cache
def _enqueue_connection(url: str) -> redis.Redis:
    """A request's own connection, which gives up on a hung Redis rather than hang with it.

    Apart from the worker's, whose timeouts RQ sets long enough to wait on the queue. Should
    Redis take the job after all, once it answers again, the job is not run twice: only a queued
    record is claimed.
    """
    return redis.Redis.from_url(
        url, socket_connect_timeout=ENQUEUE_TIMEOUT_SECONDS, socket_timeout=ENQUEUE_TIMEOUT_SECONDS
    )


def job_queue(url: str) -> Queue:
    return Queue(QUEUE_NAME, connection=_connection(url))


def rq_job_id(job: BackgroundJob) -> str:
    """The id of the RQ job now carrying `job`: each restart by the sweeper is a new one."""
    return f"engage-job-{job.id}" + (f"-restart-{job.restarts}" if job.restarts else "")


def run_job(job_id: int, func: Callable[..., dict], *args) -> None:
    """Run one recorded job: running, then done with its result or failed with a message.

    Only a queued job is claimed, by one worker: one already running or done (a retried or
    doubled RQ job) is left alone, so nothing is stored twice.
    """
    now = utcnow()
    claimed = rows_affected(
        update(BackgroundJob)
        .where(BackgroundJob.id == job_id, BackgroundJob.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed != 1:
        return
    progress = JobProgress(job_id)
    try:
        result = func(progress, *args)
    except DomainError as error:
        _fail(job_id, error.message, progress.partial)
        return
    except Exception:
        current_app.logger.exception("Background job %s failed", job_id)
        _fail(job_id, UNEXPECTED, progress.partial)
        return
    job = progress.job
    job.status, job.finished_at, job.result, job.error = JobStatus.DONE, utcnow(), result, None
    db.session.commit()


def _fail(job_id: int, message: str, partial: dict | None) -> None:
    db.session.rollback()
    job = db.session.get_one(BackgroundJob, job_id)
    job.status, job.finished_at = JobStatus.FAILED, utcnow()
    job.error, job.result = message[:ERROR_MAX], partial
    db.session.commit()
