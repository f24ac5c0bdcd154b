"""A worker process killed (SIGKILL) mid-job: the sweeper queues the job again and another
worker finishes it, storing each post once.

The killed worker is `python -m engage.jobs.worker`, as deployed, on the suite's PostgreSQL
database and a redis-server of the test's own; the job is a real import of uploaded posts. The
worker and the work-horse it forked die together, as when a machine or container dies, so RQ
itself records nothing: only the job's record, no longer moving, tells the sweeper.
"""

import contextlib
import io
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engage.core.db_types import utcnow
from engage.core.extensions import db as _db
from engage.jobs.models import STALLED_AFTER, BackgroundJob, JobStatus
from engage.jobs.sweeper import WORKER_STOPPED, sweep_stalled_jobs
from engage.jobs.worker import run_worker
from engage.social.background import start_import
from engage.social.models import Campaign, SocialPost
from engage.social.services.imports import BATCH_SIZE
from tests.conftest import DAILY_POST_ID
from tests.faults import descendants
from tests.test_social_imports import _jsonl
from tests.x_api import page, reply

pytestmark = pytest.mark.faults

ROOT = Path(__file__).resolve().parents[1]
POSTS = 2 * BATCH_SIZE  # killed after the first batch is committed
TODAY = datetime.combine(date.today(), datetime.min.time(), UTC) + timedelta(hours=9)


@pytest.fixture
def queue(make_app, private_redis, database_url, tmp_path):
    """An app and the environment of its workers: one database, one Redis, one imports dir."""
    settings = {
        "JOB_QUEUE_URL": private_redis.url,
        "SOCIAL_IMPORTS_DIR": str(tmp_path / "imports"),
    }
    env = {
        **os.environ,
        **settings,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "faults-worker-secret-key",
        "PYTHONPATH": str(ROOT),
    }
    return make_app(**settings), env


def _worker(env: dict) -> subprocess.Popen:
    command = ["timeout", "120", sys.executable, "-m", "engage.jobs.worker", "--no-cron"]
    return subprocess.Popen(command, env=env, cwd=ROOT)


def _posts_file() -> bytes:
    lines = []
    for first in range(1, POSTS + 1, 100):
        posts = [
            reply(n, f"Idea number {n} for safer streets #WMP2020", TODAY, DAILY_POST_ID)
            for n in range(first, first + 100)
        ]
        lines.append(page(posts))
    return _jsonl(*lines)


def _job() -> BackgroundJob:
    _db.session.remove()
    return _db.session.scalar(select(BackgroundJob))


def _stored() -> int:
    return _db.session.scalar(select(func.count()).select_from(SocialPost))


def test_a_worker_killed_mid_import_is_swept_and_the_posts_are_stored_once(
    db, make_campaign, queue
):
    app, env = queue
    campaign_id = make_campaign(budget=POSTS * 2)
    with app.app_context():
        campaign = _db.session.get(Campaign, campaign_id)
        job_id = start_import(campaign, io.BytesIO(_posts_file()), "x-jsonl")[0].id
        _db.session.remove()

    worker = _worker(env)
    try:
        deadline = time.monotonic() + 60
        while (_job().progress_done or 0) == 0:  # the first batch is committed
            assert time.monotonic() < deadline and worker.poll() is None, "the job did not start"
            time.sleep(0.02)
    finally:
        for pid in descendants(worker.pid):  # the work-horse is in a session of its own
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        worker.wait(timeout=10)
    killed = _job()
    assert killed.status == JobStatus.RUNNING and 0 < killed.progress_done < POSTS
    assert 0 < _stored() < POSTS

    with app.app_context():
        # Ten minutes without a move later, the sweeper finds it and queues it again.
        sweep = sweep_stalled_jobs(now=utcnow() + STALLED_AFTER + timedelta(minutes=1))
        assert sweep.restarted == [job_id]
        _db.session.remove()
    assert _job().status == JobStatus.QUEUED and _job().error.startswith(WORKER_STOPPED)

    run_worker(app, burst=True)  # another worker (in this process, to save a start-up)
    finished = _job()
    assert finished.status == JobStatus.DONE and finished.restarts == 1, finished.error
    assert finished.result["imported"] + finished.result["duplicates"] == POSTS
    assert finished.result["duplicates"] > 0  # what the killed run stored was not stored again
    assert _stored() == POSTS
