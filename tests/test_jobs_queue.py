"""Background jobs: recorded in the database, run in-process without Redis or on an RQ worker."""

import pytest

from engage.core.errors import DomainError
from engage.core.extensions import db as _db
from engage.jobs.models import BackgroundJob, JobStatus
from engage.jobs.queue import QUEUE_DOWN, UNEXPECTED, enqueue, job_queue, run_job
from engage.jobs.worker import run_worker
from tests.conftest import TEST_QUEUE_URL

calls: list[str] = []


def count_to(progress, name: str, total: int) -> dict:
    calls.append(name)
    for done in range(1, total + 1):
        progress.update(done, total)
    return {"counted": total}


def stop_half_way(progress, message: str) -> dict:
    progress.update(1, 2)
    progress.keep({"counted": 1})
    raise DomainError(message)


def crash(progress) -> dict:
    raise RuntimeError("secret detail")


@pytest.fixture(autouse=True)
def _forget_calls():
    calls.clear()


def _job(job_id: int) -> BackgroundJob:
    _db.session.expire_all()
    return _db.session.get(BackgroundJob, job_id)


def test_job_runs_in_process_without_a_queue_and_records_its_result(db):
    job = enqueue(count_to, "a", 3, job_key="count:a", kind="test")
    job = _job(job.id)
    assert job.status == JobStatus.DONE
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.result == {"counted": 3}
    assert job.started_at is not None and job.finished_at is not None
    assert calls == ["a"]


def test_same_job_key_returns_the_existing_job_and_runs_once(db):
    first = enqueue(count_to, "a", 2, job_key="count:same", kind="test")
    second = enqueue(count_to, "a", 2, job_key="count:same", kind="test")
    assert second.id == first.id
    assert calls == ["a"]
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(BackgroundJob)) == 1


def test_domain_error_fails_the_job_with_its_message_and_keeps_the_partial_result(db):
    job = enqueue(stop_half_way, "The file stops being UTF-8 at byte 10.", job_key="k", kind="t")
    job = _job(job.id)
    assert job.status == JobStatus.FAILED
    assert job.error == "The file stops being UTF-8 at byte 10."
    assert job.result == {"counted": 1}


def test_unexpected_error_fails_the_job_without_showing_its_detail(db):
    job = _job(enqueue(crash, job_key="crash", kind="test").id)
    assert job.status == JobStatus.FAILED
    assert job.error == UNEXPECTED
    assert "secret" not in job.error


def test_a_failed_job_started_again_runs_again(db):
    failed = enqueue(stop_half_way, "no", job_key="count:retry", kind="test")
    again = enqueue(count_to, "b", 1, job_key="count:retry", kind="test")
    assert again.id == failed.id
    again = _job(again.id)
    assert again.status == JobStatus.DONE
    assert again.error is None
    assert again.result == {"counted": 1}


def test_with_a_queue_the_job_waits_for_a_worker_then_runs_there(queue_app):
    with queue_app.app_context():
        job_id = enqueue(count_to, "q", 2, job_key="count:q", kind="test").id
        assert _job(job_id).status == JobStatus.QUEUED
        assert job_queue(TEST_QUEUE_URL).count == 1
        assert calls == []  # not run in this process
        _db.session.remove()
    run_worker(queue_app, burst=True)
    with queue_app.app_context():
        job = _job(job_id)
        assert job.status == JobStatus.DONE
        assert job.result == {"counted": 2}
        assert job_queue(TEST_QUEUE_URL).count == 0


def test_queue_down_fails_the_job_with_a_clear_message_and_a_retry_can_start_it(make_app):
    app = make_app(JOB_QUEUE_URL="redis://127.0.0.1:6390/0")
    with app.app_context():
        job = _job(enqueue(count_to, "down", 1, job_key="count:down", kind="test").id)
        assert job.status == JobStatus.FAILED
        assert job.error == QUEUE_DOWN
        assert calls == []
        app.config["JOB_QUEUE_URL"] = ""
        again = _job(enqueue(count_to, "down", 1, job_key="count:down", kind="test").id)
        assert again.id == job.id
        assert again.status == JobStatus.DONE
        _db.session.remove()


def test_a_job_already_running_or_done_is_not_run_again_by_a_second_delivery(db):
    job = enqueue(count_to, "once", 1, job_key="count:once", kind="test")
    run_job(job.id, count_to, "twice", 1)  # RQ delivering the same job again
    assert calls == ["once"]
    assert _job(job.id).status == JobStatus.DONE
