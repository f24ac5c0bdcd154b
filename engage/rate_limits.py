"""A rate limit counted from a view's own code, through Flask-Limiter's storage and strategy.

`@limiter.limit` works out which limits apply to the request twice, once before the request
and again in the decorated view, and on the busiest route (sending a survey response) that
cost as much as the Redis round trip itself. `count_request` makes just that round trip: it
hits Flask-Limiter's own counter (`limiter.limiter`, built from RATELIMIT_STORAGE_URI and
RATELIMIT_STRATEGY) under the key and scope the decorator would use, so every app instance
still counts together.
"""

import math
import time
from functools import cache

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse
from werkzeug.exceptions import TooManyRequests

from engage.extensions import limiter


class RateLimited(TooManyRequests):
    """Too many requests from one address; `retry_after` says in how many seconds to return."""


@cache
def _parsed(limit: str) -> RateLimitItem:
    return parse(limit)


def count_request(limit: str, scope: str) -> None:
    """Count this request from its address against `limit` ("20 per hour"), or raise RateLimited."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    item = _parsed(limit)
    keys = (get_remote_address(), scope)
    if limiter.limiter.hit(item, *keys):
        return
    reopens_at = limiter.limiter.get_window_stats(item, *keys).reset_time
    raise RateLimited(retry_after=max(1, math.ceil(reopens_at - time.time())))
