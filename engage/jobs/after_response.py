"""Jobs a process runs once a reply has been sent, at most once an interval.

The surveys' tally fold and the social dashboard's post-tally fold both run this way, so the
request that made the work never waits for it; the interval is TALLY_FOLD_INTERVAL_SECONDS.
"""

import logging
import time
from collections.abc import Callable

from flask import Flask, Response, after_this_request, current_app

from engage.core.extensions import db

log = logging.getLogger(__name__)


class AfterResponse:
    """`job`, run in the app context after the current reply has gone, when this process has
    not started it within the interval. A failure is logged and rolled back."""

    def __init__(self, job: Callable[[], object], failure: str):
        self.job = job
        self.failure = failure
        self.last_started = float("-inf")  # per process, on the monotonic clock

    def schedule(self) -> None:
        now = time.monotonic()
        if now - self.last_started < current_app.config["TALLY_FOLD_INTERVAL_SECONDS"]:
            return
        self.last_started = now
        # `current_app` is a proxy, typed as Flask, whose app object this gets.
        run_after_response(current_app._get_current_object(), self.job, self.failure)  # type: ignore[attr-defined]


def run_after_response(app: Flask, job: Callable[[], object], failure: str) -> None:
    """Run `job` in the app context once the current reply has gone; log `failure` if it
    raises, and roll back."""

    def run() -> None:
        with app.app_context():
            try:
                job()
            except Exception:
                # Whatever the job had to do is still waiting; its next run takes it.
                db.session.rollback()
                log.exception(failure)

    @after_this_request
    def _run_when_closed(response: Response) -> Response:
        response.call_on_close(run)
        return response
