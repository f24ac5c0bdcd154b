"""Folding newly stored responses into the tallies, outside the request that stored them.

`fold_tallies` is the job: batches of `tallies.fold_batch`, a transaction each, so the locks a
fold takes are short. The CLI runs it on demand (`flask --app engage results fold`); every app
process also runs it after sending a response that stored answers, at most once every
TALLY_FOLD_INTERVAL_SECONDS, so the request itself never waits for it.
"""

import logging
import time
from collections.abc import Callable

from flask import Flask, Response, after_this_request, current_app

from engage.extensions import db
from engage.surveys.services import tallies

log = logging.getLogger(__name__)

MAX_BATCHES_AFTER_A_REQUEST = 20  # bounds a worker's extra time; the CLI folds any backlog
TIDY_AFTER = 10_000  # responses folded by this process before it tidies the awaiting list

_last_fold_started = float("-inf")  # per process, on the monotonic clock
_folded_since_tidy = 0


def fold_tallies(
    wait: bool = True,
    max_batches: int | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Fold awaiting responses into the tallies until none are left; return how many.

    With `wait` off, gives up at once if another process is folding (PostgreSQL only).
    """
    global _folded_since_tidy
    folded = batches = 0
    while max_batches is None or batches < max_batches:
        taken = tallies.fold_batch(wait=wait)
        db.session.commit()
        folded += taken
        batches += 1
        if on_batch:
            on_batch(taken)
        if taken < tallies.FOLD_BATCH:
            break
    _folded_since_tidy += folded
    if _folded_since_tidy >= TIDY_AFTER:
        tallies.tidy_awaiting_list()
        _folded_since_tidy = 0
    return folded


def fold_tallies_after_response() -> None:
    """Called by a view that stored a response: fold once the response has been sent, if this
    process has not folded within the interval."""
    global _last_fold_started
    now = time.monotonic()
    if now - _last_fold_started < current_app.config["TALLY_FOLD_INTERVAL_SECONDS"]:
        return
    _last_fold_started = now
    app = current_app._get_current_object()

    @after_this_request
    def _fold_when_closed(response: Response) -> Response:
        response.call_on_close(lambda: _fold_in_background(app))
        return response


def _fold_in_background(app: Flask) -> None:
    with app.app_context():
        try:
            fold_tallies(wait=False, max_batches=MAX_BATCHES_AFTER_A_REQUEST)
        except Exception:
            # The responses stay listed as awaiting and are still counted; the next fold takes them.
            db.session.rollback()
            log.exception("Folding responses into the tallies failed")
