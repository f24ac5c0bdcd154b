"""Folding changed campaign hours into the post tallies, outside the request that changed them.

The CLI folds after every collection, import, rescore and purge; each app process also folds
after a request that changed posts or found hours awaiting a fold, once the response has gone
and at most every TALLY_FOLD_INTERVAL_SECONDS. Readers count awaiting hours from the posts, so
the figures are exact either way; folding keeps that to an hour or two.
"""

from flask import current_app

from engage.core.extensions import db
from engage.jobs.after_response import AfterResponse, run_after_response
from engage.social.services import post_tallies
from engage.social.services.dashboard import keep_terms

TIDY_AFTER = 500  # campaign hours rebuilt by this process before it tidies the tallies

_folded_since_tidy = 0


def fold_post_tallies(wait: bool = True) -> int:
    """Rebuild every awaiting hour's tallies and commit; return how many campaign hours."""
    global _folded_since_tidy
    folded = post_tallies.fold(wait=wait)
    db.session.commit()
    _folded_since_tidy += folded
    if _folded_since_tidy >= TIDY_AFTER:
        post_tallies.tidy()
        _folded_since_tidy = 0
    return folded


_after_response = AfterResponse(
    lambda: fold_post_tallies(wait=False), "Folding changed posts into the post tallies failed"
)


def fold_after_response() -> None:
    """Fold once the response has been sent, if this process has not within the interval.

    Should it fail, the hours stay listed and are still counted from their posts."""
    _after_response.schedule()


def keep_terms_after_response(terms: dict[int, str]) -> None:
    """Keep the terms a dashboard view split from posts' text, once its reply has gone."""

    def keep() -> None:
        keep_terms(terms)
        db.session.commit()

    run_after_response(current_app._get_current_object(), keep, "Keeping posts' terms failed")
