"""A rate limit counted from a view's own code, through Flask-Limiter's storage and strategy.

`@limiter.limit` works out which limits apply to the request twice, once before the request
and again in the decorated view, and on the busiest route (sending a survey response) that
cost as much as the Redis round trip itself. `count_request` makes just that round trip: it
hits Flask-Limiter's own counter (`limiter.limiter`, built from RATELIMIT_STORAGE_URI and
RATELIMIT_STRATEGY) under the key and scope the decorator would use, so every app instance
still counts together. Should that storage not answer, the request is let through (fails open)
and the miss logged: see "When a server fails" in the README.

Flask-Limiter also checks every request before its view runs, for default and application-wide
limits. engage sets none, so on a view that counts its own limit that check only works out that
nothing applies; `counts_its_own_limit` marks such a view and a request filter (Flask-Limiter's
documented way to exempt requests) skips the check there. What that saves is measured in
bench/README.md (`submit_cost.py`), where figures are kept up to date, not here.
"""

import math
import time
from collections.abc import Callable
from functools import cache
from typing import TypeVar

from flask import current_app, request
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse
from limits.errors import StorageError
from werkzeug.exceptions import TooManyRequests

from engage.core.extensions import limiter

_MARK = "counts_its_own_limit"
View = TypeVar("View", bound=Callable)


class RateLimited(TooManyRequests):
    """Too many requests from one address; `retry_after` says in how many seconds to return."""

    retry_after: int


@cache
def _parsed(limit: str) -> RateLimitItem:
    return parse(limit)


def count_request(limit: str, scope: str) -> None:
    """Count this request from its address against `limit` ("20 per hour"), or raise RateLimited."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    item = _parsed(limit)
    keys = (get_remote_address(), scope)
    try:
        if limiter.limiter.hit(item, *keys):
            return
        reopens_at = limiter.limiter.get_window_stats(item, *keys).reset_time
    except StorageError:
        # Fail open: with the counters' Redis down, a member of the public can still send
        # their answers (the form token still stops replays). See RATELIMIT_STORAGE_OPTIONS.
        current_app.logger.warning("Rate limit %s not counted: its storage did not answer", scope)
        return
    raise RateLimited(retry_after=max(1, math.ceil(reopens_at - time.time())))


def counts_its_own_limit(view: View) -> View:
    """Mark a view that calls `count_request` itself, so Flask-Limiter does not check it too.

    Place it under the route decorator. A marked view gets no `@limiter.limit` and no default
    limits: the request filter below exempts it from Flask-Limiter altogether.
    """
    setattr(view, _MARK, True)
    return view


@limiter.request_filter
def skips_flask_limiter() -> bool:
    """True for a request whose view counts its own limit (Flask-Limiter then leaves it alone)."""
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, _MARK, False)
