"""Scheduled work: hourly collection, the nightly purges, and RQ's cron scheduler queueing them."""

import os
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import redis
import responses
from sqlalchemy import func, select

from engage.core.extensions import db as _db
from engage.jobs.models import BackgroundJob, JobStatus
from engage.jobs.queue import enqueue, job_queue
from engage.jobs.worker import run_worker
from engage.scheduled import cron_scheduler, start_scheduled
from engage.social.models import SocialPost
from tests.conftest import DAILY_POST_ID, TEST_QUEUE_URL
from tests.test_social_commands import _load
from tests.x_api import COUNTS_URL, SEARCH_URL, counts, page, reply

NOW = datetime.now(UTC)


def done(progress) -> dict:
    return {"summary": "done"}


def _jobs(kind: str) -> list[BackgroundJob]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(BackgroundJob).where(BackgroundJob.kind == kind)))


def _age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_nightly_purges_old_posts_job_records_and_files_and_keeps_the_rest(
    app, runner, make_campaign
):
    campaign_id = make_campaign(starts_on=date.today() - timedelta(days=40), retention_days=30)
    _load(
        app,
        campaign_id,
        [
            reply(1, "Old reply #WMP2020", NOW - timedelta(days=35), DAILY_POST_ID),
            reply(2, "Recent reply #WMP2020", NOW - timedelta(days=5), DAILY_POST_ID),
        ],
    )
    with app.app_context():
        old_done = enqueue(done, job_key="old-done", kind="test")
        enqueue(done, job_key="recent-done", kind="test")
        old_unfinished = BackgroundJob(kind="test", job_key="old-running", status="running")
        _db.session.add(old_unfinished)
        _db.session.commit()
        long_ago = NOW - timedelta(days=31)
        _db.session.execute(
            BackgroundJob.__table__.update()
            .where(BackgroundJob.id.in_([old_done.id, old_unfinished.id]))
            .values(updated_at=long_ago)
        )
        _db.session.commit()
        exports = Path(app.config["EXPORTS_DIR"])
        exports.mkdir(parents=True, exist_ok=True)
        stale, fresh = exports / "responses-old.csv", exports / "board-report-new.pdf"
        stale.write_text("old"), fresh.write_text("new")
        _age(stale, 24 * 8)

    result = runner.invoke(args=["jobs", "nightly"])
    assert result.exit_code == 0, result.output
    assert "1 posts past their retention deleted" in result.output
    assert "1 old job records and 1 old download files deleted" in result.output
    assert not stale.exists() and fresh.exists()
    with app.app_context():
        assert list(_db.session.scalars(select(SocialPost.external_id))) == ["2"]
        keys = set(_db.session.scalars(select(BackgroundJob.job_key)))
        assert {"recent-done", "old-running"} <= keys and "old-done" not in keys

    again = runner.invoke(args=["jobs", "nightly"])  # the same night: the run already made
    assert again.exit_code == 0 and "done" in again.output
    with app.app_context():
        assert len(_jobs("scheduled.nightly")) == 1


def test_hourly_collection_without_a_token_says_so_and_stores_nothing(
    app, runner, make_campaign, monkeypatch
):
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    make_campaign()
    result = runner.invoke(args=["jobs", "hourly"])
    assert result.exit_code == 0, result.output
    assert "Nothing collected: X_BEARER_TOKEN is not set" in result.output


def test_hourly_collection_collects_every_running_campaign_once_an_hour(
    app, runner, make_campaign, monkeypatch
):
    monkeypatch.setenv("X_BEARER_TOKEN", "test-bearer-token")
    make_campaign()
    when = NOW - timedelta(minutes=5)
    with responses.RequestsMock(assert_all_requests_are_fired=True) as api:
        api.get(COUNTS_URL, json=counts(1))
        api.get(SEARCH_URL, json=page([reply(7, "Yes please #WMP2020", when, DAILY_POST_ID)]))
        result = runner.invoke(args=["jobs", "hourly"])
        assert result.exit_code == 0, result.output
        assert "wmp2020:" in result.output
        again = runner.invoke(args=["jobs", "hourly"])  # same hour: no second call to X
        assert again.exit_code == 0
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(SocialPost)) == 1
        [job] = _jobs("scheduled.hourly")
        assert job.status == JobStatus.DONE and job.result["campaigns"] == 1


def test_hourly_collection_skips_campaigns_long_over(app, runner, make_campaign, monkeypatch):
    monkeypatch.setenv("X_BEARER_TOKEN", "test-bearer-token")
    make_campaign(starts_on=date.today() - timedelta(days=60), ends_on=date.today() - timedelta(30))
    result = runner.invoke(args=["jobs", "hourly"])
    assert "No campaign is running: nothing to collect." in result.output


def test_a_run_is_named_by_its_hour(db):
    first = start_scheduled("nightly", now=datetime(2026, 12, 4, 2, 30, tzinfo=UTC))
    second = start_scheduled("nightly", now=datetime(2026, 12, 4, 3, 0, tzinfo=UTC))
    third = start_scheduled("nightly", now=datetime(2026, 12, 5, 2, 30, tzinfo=UTC))
    assert first.id == second.id != third.id


@pytest.fixture
def queue_connection():
    connection = redis.Redis.from_url(TEST_QUEUE_URL)
    yield connection
    connection.close()


def test_rq_cron_scheduler_queues_the_sweeper_and_the_hourly_run_for_the_worker(
    queue_app, queue_connection, monkeypatch
):
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    scheduler = cron_scheduler(queue_connection)
    assert [job.name for job in scheduler.get_jobs()][-1] == "sweep"
    due = scheduler.enqueue_jobs()  # the sweeper is due at once; the others on the hour
    assert [job.name for job in due] == ["sweep"]
    hourly = next(job for job in scheduler.get_jobs() if job.cron == "5 * * * *")
    hourly.enqueue(queue_connection)  # as at five past the hour
    with queue_app.app_context():
        assert job_queue(TEST_QUEUE_URL).count == 2
    run_worker(queue_app, burst=True)
    with queue_app.app_context():
        [job] = _jobs("scheduled.hourly")
        assert job.status == JobStatus.DONE
        assert job_queue(TEST_QUEUE_URL).count == 0
