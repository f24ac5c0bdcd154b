"""The sweeper: a job whose worker died, or could not reach the database, is restarted or
failed with a clear message, and nothing it stored is stored twice."""

import os
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from engage.core.db_types import utcnow
from engage.core.extensions import db as _db
from engage.jobs.models import STALLED_AFTER, BackgroundJob, JobStatus
from engage.jobs.queue import enqueue, job_queue
from engage.jobs.sweeper import MAX_RESTARTS, NO_DATABASE, WORKER_STOPPED, sweep_stalled_jobs
from engage.jobs.worker import run_worker
from tests.conftest import TEST_QUEUE_URL

RUNS = Path(os.environ.get("TMPDIR", "/tmp")) / f"engage-sweeper-runs-{os.getpid()}"


def die_the_first_time(progress, marker: str) -> dict:
    """A job whose worker is killed mid-job on its first run (the work-horse exits at once)."""
    runs = Path(marker)
    runs.write_text(runs.read_text() + "x" if runs.exists() else "x")
    progress.update(1, 2)
    if len(runs.read_text()) == 1:
        os._exit(1)
    progress.update(2)
    return {"summary": "finished"}


def count(progress) -> dict:
    return {"summary": "counted"}


def _job(job_id: int) -> BackgroundJob:
    _db.session.expire_all()
    return _db.session.get(BackgroundJob, job_id)


def _stall(job_id: int, status: str = JobStatus.RUNNING) -> None:
    _db.session.execute(
        update(BackgroundJob)
        .where(BackgroundJob.id == job_id)
        .values(status=status, updated_at=utcnow() - STALLED_AFTER - timedelta(minutes=1))
    )
    _db.session.commit()


def test_without_a_queue_a_stalled_job_fails_clearly_and_a_moving_one_is_left(db):
    stalled = BackgroundJob(kind="test", job_key="stalled", status=JobStatus.RUNNING)
    moving = BackgroundJob(kind="test", job_key="moving", status=JobStatus.RUNNING)
    finished = BackgroundJob(kind="test", job_key="finished", status=JobStatus.DONE)
    _db.session.add_all([stalled, moving, finished])
    _db.session.commit()
    _stall(stalled.id)
    _stall(finished.id, JobStatus.DONE)
    sweep = sweep_stalled_jobs()
    assert sweep.failed == [stalled.id] and sweep.restarted == []
    assert _job(stalled.id).status == JobStatus.FAILED
    assert _job(stalled.id).error == WORKER_STOPPED
    assert _job(moving.id).status == JobStatus.RUNNING
    assert _job(finished.id).status == JobStatus.DONE
    assert sweep_stalled_jobs().failed == []  # a second sweep changes nothing


def test_a_job_whose_worker_was_killed_is_restarted_and_finishes_once(queue_app):
    RUNS.unlink(missing_ok=True)
    with queue_app.app_context():
        job_id = enqueue(die_the_first_time, str(RUNS), job_key="die", kind="test").id
        _db.session.remove()
    run_worker(queue_app, burst=True)  # the work-horse dies mid-job
    with queue_app.app_context():
        assert _job(job_id).status == JobStatus.RUNNING
        assert sweep_stalled_jobs().restarted == [job_id]
        job = _job(job_id)
        assert (job.status, job.restarts) == (JobStatus.QUEUED, 1)
        assert job.error.startswith(WORKER_STOPPED) and "1 of 2 restarts" in job.error
        _db.session.remove()
    run_worker(queue_app, burst=True)
    with queue_app.app_context():
        job = _job(job_id)
        assert job.status == JobStatus.DONE and job.error is None
        assert job.result == {"summary": "finished"}
        assert RUNS.read_text() == "xx"
        assert sweep_stalled_jobs().restarted == []
    RUNS.unlink(missing_ok=True)


def test_a_worker_that_cannot_reach_the_database_leaves_a_clear_failure_and_runs_nothing(
    queue_app, make_app, tmp_path
):
    unreachable = make_app(
        JOB_QUEUE_URL=TEST_QUEUE_URL,
        SQLALCHEMY_DATABASE_URI="sqlite:///" + str(tmp_path / "missing" / "engage.sqlite"),
    )
    with queue_app.app_context():
        job_id = enqueue(count, job_key="no-db", kind="test").id
        _db.session.remove()
    for attempt in range(MAX_RESTARTS + 1):
        run_worker(unreachable, burst=True)
        with queue_app.app_context():
            sweep = sweep_stalled_jobs()
            job = _job(job_id)
            assert job.error.startswith(NO_DATABASE)
            if attempt < MAX_RESTARTS:
                assert sweep.restarted == [job_id] and job.status == JobStatus.QUEUED
            else:
                assert sweep.failed == [job_id] and job.status == JobStatus.FAILED
            _db.session.remove()
    run_worker(queue_app, burst=True)  # nothing left queued to run
    with queue_app.app_context():
        job = _job(job_id)
        assert job.status == JobStatus.FAILED and job.result is None
        assert job_queue(TEST_QUEUE_URL).count == 0


def test_a_job_lost_from_the_queue_fails_clearly(queue_app):
    with queue_app.app_context():
        job_id = enqueue(count, job_key="lost", kind="test").id
        job_queue(TEST_QUEUE_URL).connection.flushdb()  # Redis emptied
        _stall(job_id, JobStatus.QUEUED)
        assert sweep_stalled_jobs().failed == [job_id]
        assert "lost from the queue" in _job(job_id).error


def test_a_queued_job_waiting_for_a_worker_is_left_alone(queue_app):
    with queue_app.app_context():
        job_id = enqueue(count, job_key="waiting", kind="test").id
        _stall(job_id, JobStatus.QUEUED)
        sweep = sweep_stalled_jobs()
        assert sweep.failed == sweep.restarted == []
        assert _job(job_id).status == JobStatus.QUEUED
