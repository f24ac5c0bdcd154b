"""The X API v2, through tweepy: counting and searching recent posts, with bounded retries.

tweepy's `Client` does the HTTP and turns error statuses into exceptions; this module decides
what to do about them: wait for a rate-limit reset, back off and retry a server error or a
timeout, and give up with one clear message after a bound.
"""

import logging
import time
from collections.abc import Callable, Iterator
from datetime import datetime

import requests
import tweepy

from engage.core.errors import DomainError

log = logging.getLogger(__name__)

TWEET_FIELDS = [
    "created_at",
    "conversation_id",
    "in_reply_to_user_id",
    "referenced_tweets",
    "lang",
    "public_metrics",
]
USER_FIELDS = ["username", "name"]
PAGE_SIZE = 100  # the most search/recent returns per page
REQUEST_TIMEOUT = 30  # seconds; tweepy sets none, and a silent API must not hang a collection


class XError(DomainError):
    """The X API could not be used; the message says why and what to do."""


class _TimeoutSession(requests.Session):
    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        return super().request(*args, **kwargs)


class XClient:
    """Recent search and counts for one bearer token."""

    def __init__(
        self,
        bearer_token: str | None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        max_retries: int = 4,
        max_wait: float = 900,
    ):
        if not bearer_token or not bearer_token.strip():
            raise XError(
                "X_BEARER_TOKEN is not set. Create an app at developer.x.com, copy its bearer "
                "token into the X_BEARER_TOKEN environment variable and run this again."
            )
        self._client = tweepy.Client(bearer_token=bearer_token.strip(), return_type=dict)
        self._client.session = _TimeoutSession()
        self._sleep = sleep
        self._clock = clock
        self.max_retries = max_retries
        self.max_wait = max_wait

    def count_recent(self, query: str, since_id: str | None, start_time: datetime | None) -> int:
        """X's estimate of how many posts a search would read (the counts endpoint is free)."""
        body = self._call(
            self._client.get_recent_tweets_count,
            query,
            since_id=since_id,
            start_time=start_time,
            granularity="day",
        )
        return int((body.get("meta") or {}).get("total_tweet_count") or 0)

    def search_pages(
        self, query: str, since_id: str | None, start_time: datetime | None
    ) -> Iterator[dict]:
        """Each page of a recent search, newest first, as the API's JSON."""
        pages = iter(
            tweepy.Paginator(
                self._client.search_recent_tweets,
                query,
                since_id=since_id,
                start_time=start_time,
                max_results=PAGE_SIZE,
                expansions=["author_id"],
                tweet_fields=TWEET_FIELDS,
                user_fields=USER_FIELDS,
            )
        )
        while True:
            # A failed call leaves the paginator on the same page, so calling next() again
            # retries that page rather than skipping it.
            page = self._call(next, pages, None)
            if page is None:
                return
            yield page

    def _call(self, function, *args, **kwargs):
        failures = 0
        while True:
            try:
                return function(*args, **kwargs)
            except tweepy.Unauthorized:
                raise XError(
                    "X rejected the bearer token (401 Unauthorized). Check X_BEARER_TOKEN: it "
                    "may be mistyped, revoked or regenerated. Nothing was collected."
                ) from None
            except tweepy.Forbidden as error:
                raise XError(
                    "X refused access (403 Forbidden): the app's access level does not include "
                    f"recent search. X said: {_said(error)}"
                ) from None
            except tweepy.BadRequest as error:
                raise XError(f"X did not accept the search (400). X said: {_said(error)}") from None
            except tweepy.TooManyRequests as error:
                wait = self._wait_for_reset(error)
                if wait is None or failures >= self.max_retries:
                    raise XError(
                        "X's rate limit is used up and resets too far ahead to wait for. "
                        "Posts stored so far are kept; run the collection again later."
                    ) from None
                log.warning("X rate limit reached; waiting %.0f seconds", wait)
                self._sleep(wait)
            except (tweepy.TwitterServerError, requests.Timeout, requests.ConnectionError) as error:
                if failures >= self.max_retries:
                    raise XError(
                        f"X did not answer properly after {failures + 1} tries ({_what(error)}). "
                        "Posts stored so far are kept; run the collection again later."
                    ) from None
                wait = min(2**failures * 2, self.max_wait)
                log.warning("X request failed (%s); retrying in %s seconds", _what(error), wait)
                self._sleep(wait)
            failures += 1

    def _wait_for_reset(self, error: tweepy.TooManyRequests) -> float | None:
        reset = getattr(error, "reset_time", None)
        if reset is None:
            return 60.0 if self.max_wait >= 60 else None
        wait = max(reset - self._clock(), 0) + 1
        return wait if wait <= self.max_wait else None


def _said(error: tweepy.HTTPException) -> str:
    messages = [message for message in error.api_messages if message]
    return "; ".join(messages)[:300] or f"{error.response.status_code} {error.response.reason}"


def _what(error: Exception) -> str:
    if isinstance(error, tweepy.TwitterServerError):
        return f"{error.response.status_code} {error.response.reason}"
    if isinstance(error, requests.Timeout):
        return f"no answer within {REQUEST_TIMEOUT} seconds"
    return "connection failed"
