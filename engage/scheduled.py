"""Scheduled work: hourly X collection, nightly purges, and the sweeper of stalled jobs.

Each run is named by its time slot ("scheduled:hourly:2026-12-04T19"), so two schedulers, or
cron and a person running the same command, start it once. With Redis, `python -m
engage.jobs.worker` also runs RQ's cron scheduler, which queues `run_scheduled` on time; without it,
cron or systemd timers call `flask --app engage jobs hourly|nightly|sweep`, which run the same
work in-process. See README "Scheduled work".
"""

from collections.abc import Callable
from datetime import datetime

import click
from flask.cli import AppGroup
from rq.cron import CronScheduler

from engage.core.db_types import utcnow
from engage.core.extensions import db
from engage.jobs import housekeeping
from engage.jobs.models import BackgroundJob
from engage.jobs.queue import QUEUE_NAME, JobProgress, enqueue
from engage.jobs.sweeper import sweep_stalled_jobs
from engage.privacy.jobs import enforce_retention_job
from engage.social.scheduled import collect_running_campaigns, purge_expired_posts

HOURLY_CRON = "5 * * * *"  # five past each hour
NIGHTLY_CRON = "30 2 * * *"  # 02:30, when nobody is consulting
SWEEP_EVERY_SECONDS = 300


def nightly_purge(progress: JobProgress) -> dict:
    """The nightly job: posts past their campaign's retention, personal data past the retention
    schedule, old job records, old files made for download."""
    posts = purge_expired_posts(progress)
    retention = enforce_retention_job(progress)
    records = housekeeping.purge_job_records()
    files = housekeeping.purge_export_files()
    return {
        "summary": f"{posts['summary']} {retention['summary']} {records:,} old job records and "
        f"{files:,} old download files deleted.",
        "posts": posts["posts"],
        "retention": {k: v for k, v in retention.items() if k != "summary"},
        "job_records": records,
        "files": files,
    }


# name: (job function, the slot that names a run)
TASKS: dict[str, tuple[Callable[[JobProgress], dict], str]] = {
    "hourly": (collect_running_campaigns, "%Y-%m-%dT%H"),
    "nightly": (nightly_purge, "%Y-%m-%d"),
}


def start_scheduled(name: str, now: datetime | None = None) -> BackgroundJob:
    """Start this slot's run of the named task, or return the run already started."""
    func, slot = TASKS[name]
    when = (now or utcnow()).strftime(slot)
    return enqueue(func, job_key=f"scheduled:{name}:{when}", kind=f"scheduled.{name}")


def run_scheduled(name: str) -> str:
    """What RQ's cron scheduler queues: start the named task (on the queue), or sweep."""
    if name == "sweep":
        return sweep_stalled_jobs().summary()
    return f"job {start_scheduled(name).id}"


def cron_scheduler(connection) -> CronScheduler:
    """RQ's cron scheduler with engage's schedule (times are the machine's local time)."""
    scheduler = CronScheduler(connection=connection)
    scheduler.register(run_scheduled, QUEUE_NAME, args=("hourly",), cron=HOURLY_CRON)
    scheduler.register(run_scheduled, QUEUE_NAME, args=("nightly",), cron=NIGHTLY_CRON)
    scheduler.register(
        run_scheduled, QUEUE_NAME, args=("sweep",), interval=SWEEP_EVERY_SECONDS, name="sweep"
    )
    return scheduler


jobs_cli = AppGroup("jobs", help="Run scheduled work now (for cron without Redis) or sweep jobs.")


def _start(name: str) -> None:
    job = start_scheduled(name)
    db.session.expire_all()
    job = db.session.get_one(BackgroundJob, job.id)
    outcome = (job.result or {}).get("summary") or job.error or ""
    click.echo(f"{name}: job {job.id} {job.status}. {outcome}".rstrip())
    if job.status == "failed":
        raise SystemExit(1)


@jobs_cli.command("hourly")
def hourly() -> None:
    """Collect new posts from X for every running campaign (once per hour, however often run)."""
    _start("hourly")


@jobs_cli.command("nightly")
def nightly() -> None:
    """Purge posts and personal data past retention, old job records and old download files
    (once per day)."""
    _start("nightly")


@jobs_cli.command("sweep")
def sweep() -> None:
    """Restart or fail jobs whose worker stopped."""
    click.echo(sweep_stalled_jobs().summary())
