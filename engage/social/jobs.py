"""Folding post changes into the tallies, and counting top terms, outside the request.

The CLI folds after every collection, import, rescore and purge; each app process also folds
after a request that changed posts or found changes not yet folded, once the response has gone
and at most every TALLY_FOLD_INTERVAL_SECONDS. Readers add the changes to the tallies, so the
figures are exact either way; folding keeps the changes few.
"""

import time

from flask import current_app

from engage.core.extensions import db
from engage.jobs.after_response import AfterResponse, run_after_response
from engage.social.models import Campaign
from engage.social.services import post_tallies, top_terms
from engage.social.services.dashboard_figures import PostFilters

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


_terms_scheduled: dict[tuple[int, str], float] = {}  # per process, on the monotonic clock


def count_terms_after_response(campaign_id: int, filters: PostFilters) -> None:
    """Recount a campaign's top terms for these filters once the reply has gone, unless this
    process did so within the terms' maximum age."""
    key = (campaign_id, top_terms.filters_key(filters))
    now = time.monotonic()
    if (
        now - _terms_scheduled.get(key, float("-inf"))
        < current_app.config["TOP_TERMS_MAX_AGE_SECONDS"]
    ):
        return
    _terms_scheduled[key] = now

    def count() -> None:
        campaign = db.session.get(Campaign, campaign_id)
        if campaign is not None:
            top_terms.count_terms(campaign, filters)
            db.session.commit()

    # `current_app` is a proxy, typed as Flask, whose app object this gets.
    run_after_response(current_app._get_current_object(), count, "Counting top terms failed")  # type: ignore[attr-defined]
