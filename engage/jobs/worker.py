"""`python -m engage.jobs.worker`: an RQ worker on JOB_QUEUE_URL, running jobs in the app's context.

RQ forks a child per job; the child drops the connections pooled before the fork (SQLAlchemy's
advice for forked processes) and opens its own, so it never shares a socket with the parent.
"""

import os
import sys

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


def run_worker(app: Flask, burst: bool = False) -> None:
    """Work the queue inside `app`'s context; with `burst`, stop once it is empty."""
    url = app.config.get("JOB_QUEUE_URL")
    if not url:
        sys.exit("JOB_QUEUE_URL is not set: without it, jobs run in the app's own process.")
    with app.app_context():
        _fresh_connections_after_fork()
        queue = job_queue(url)
        Worker([queue], connection=queue.connection).work(burst=burst)


if __name__ == "__main__":
    run_worker(create_app(), burst="--burst" in sys.argv)
