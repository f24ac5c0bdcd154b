"""Folding changed campaign days into the post tallies, outside the request that changed them.

The CLI folds after every collection, import, rescore and purge; each app process also folds
after a request that changed posts or found days awaiting a fold, once the response has gone
and at most every TALLY_FOLD_INTERVAL_SECONDS. Readers count awaiting days from the posts, so
the figures are exact either way; folding keeps that to a day or two.
"""

import logging
import time

from flask import Flask, Response, after_this_request, current_app

from engage.extensions import db
from engage.social.services import post_tallies

log = logging.getLogger(__name__)

TIDY_AFTER = 500  # campaign days rebuilt by this process before it tidies the tallies

_last_fold_started = float("-inf")  # per process, on the monotonic clock
_folded_since_tidy = 0


def fold_post_tallies(wait: bool = True) -> int:
    """Rebuild every awaiting day's tallies and commit; return how many campaign days."""
    global _folded_since_tidy
    folded = post_tallies.fold(wait=wait)
    db.session.commit()
    _folded_since_tidy += folded
    if _folded_since_tidy >= TIDY_AFTER:
        post_tallies.tidy()
        _folded_since_tidy = 0
    return folded


def fold_after_response() -> None:
    """Fold once the response has been sent, if this process has not within the interval."""
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
            fold_post_tallies(wait=False)
        except Exception:
            # The days stay listed and are still counted from their posts; the next fold takes them.
            db.session.rollback()
            log.exception("Folding changed posts into the post tallies failed")
