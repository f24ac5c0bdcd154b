"""`python -m engage.jobs.worker`: an RQ worker on JOB_QUEUE_URL, running jobs in the app's context,
with RQ's cron scheduler beside it for the scheduled work (engage.scheduled).

RQ forks a child per job; the child drops the connections pooled before the fork (SQLAlchemy's
advice for forked processes) and opens its own, so it never shares a socket with the parent.
`--no-cron` runs a worker without the scheduler (for further workers: a second scheduler does
no harm, as each scheduled run is named by its hour or day, but it does no good either).
"""

import multiprocessing
import os
import sys

import redis
from flask import Flask
from rq import Worker

from engage import create_app
from engage.core.extensions import db
from engage.jobs.queue import job_queue

_fork_hook_registered = False


def _fresh_connections_after_fork() -> None:
    global _fork_hook_registered
    if not _fork_hook_registered:
        os.register_at_fork(after_in_child=lambda: db.engine.dispose(close=False))
        _fork_hook_registered = True


def _run_cron(url: str) -> None:
    from engage.scheduled import cron_scheduler

    cron_scheduler(redis.Redis.from_url(url)).start()


def run_worker(app: Flask, burst: bool = False, cron: bool = False) -> None:
    """Work the queue inside `app`'s context; with `burst`, stop once it is empty; with `cron`,
    run RQ's cron scheduler in a child process for as long as the worker runs."""
    url = app.config.get("JOB_QUEUE_URL")
    if not url:
        sys.exit(
            "JOB_QUEUE_URL is not set: without it, jobs run in the app's own process, and cron "
            "runs `flask --app engage jobs hourly|nightly|sweep` (see the README)."
        )
    scheduler = multiprocessing.Process(target=_run_cron, args=(url,), daemon=True)
    with app.app_context():
        _fresh_connections_after_fork()
        if cron:
            scheduler.start()
        try:
            queue = job_queue(url)
            Worker([queue], connection=queue.connection).work(burst=burst)
        finally:
            if cron:
                scheduler.terminate()
                scheduler.join(timeout=10)


if __name__ == "__main__":
    run_worker(
        create_app(),
        burst="--burst" in sys.argv,
        cron="--no-cron" not in sys.argv and "--burst" not in sys.argv,
    )
