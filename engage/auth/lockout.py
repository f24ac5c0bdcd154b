"""Lockout after repeated failed sign-ins: a wait that doubles with each further failure.

Counted per account (the email typed, known or not, so the wait reveals nothing about who has an
account) and per client address, for staff, community groups and the two-factor code step. A
wrong password or code is a failure; a completed sign-in clears the account's count.

The counts live where the rate limits do (RATELIMIT_STORAGE_URI): in Redis, every app instance
sees the same counts; on the embedded default (memory://) they are kept in the process.
Flask-Limiter's own counters are fixed windows, which cannot grow a wait, hence this store.
"""

import hashlib
import logging
import math
import threading
import time
from dataclasses import dataclass

import redis
from flask import Flask, current_app
from flask_limiter.util import get_remote_address

from engage.auth.services import normalise_email

STORE_EXTENSION = "engage_sign_in_lockout"  # where an app keeps its store
# Failures are forgotten this long after the last one, however many there were.
FORGET_AFTER_SECONDS = 24 * 3600
_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
# The in-process store drops forgotten entries once it holds this many.
_MEMORY_PRUNE_AT = 10_000


def wait_for(count: int, after: int, longest: float) -> float:
    """Seconds to wait after `count` failures: 1 at `after`, doubling, up to `longest`."""
    if count < after:
        return 0.0
    return float(min(2 ** min(count - after, 32), longest))


class _MemoryStore:
    """Counts kept in this process: {key: [failures, locked until, forgotten at]}."""

    def __init__(self) -> None:
        self._entries: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def fail(self, key: str, now: float, after: int, longest: float) -> None:
        with self._lock:
            if len(self._entries) >= _MEMORY_PRUNE_AT:
                self._entries = {k: e for k, e in self._entries.items() if e[2] > now}
            entry = self._entries.get(key)
            count = int(entry[0] if entry and entry[2] > now else 0) + 1
            until = now + wait_for(count, after, longest)
            self._entries[key] = [count, until, now + FORGET_AFTER_SECONDS]

    def locked_until(self, keys: list[str], now: float) -> float:
        entries = [self._entries.get(key) for key in keys]
        return max((e[1] for e in entries if e and e[2] > now), default=0.0)

    def clear(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)


class _RedisStore:
    """Counts in a Redis hash per key ({n: failures, u: locked until}), shared by instances.

    While Redis cannot be reached, the counts fall back to this process's memory, as the
    sign-in rate limits do: guessing stays limited, and signing in never fails on a store.
    """

    def __init__(self, url: str) -> None:
        # Short timeouts: a Redis that hangs must not hold a sign-in page for long.
        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._fallback = _MemoryStore()

    def _redis_fail(self, key: str, now: float, after: int, longest: float) -> None:
        pipe = self._redis.pipeline()
        pipe.hincrby(key, "n", 1)
        pipe.expire(key, FORGET_AFTER_SECONDS)
        count = int(pipe.execute()[0])
        wait = wait_for(count, after, longest)
        if wait:
            self._redis.hset(key, "u", repr(now + wait))

    def fail(self, key: str, now: float, after: int, longest: float) -> None:
        try:
            self._redis_fail(key, now, after, longest)
        except redis.RedisError:
            _log_unreachable()
            self._fallback.fail(key, now, after, longest)

    def locked_until(self, keys: list[str], now: float) -> float:
        local = self._fallback.locked_until(keys, now)
        try:
            pipe = self._redis.pipeline(transaction=False)
            for key in keys:
                pipe.hget(key, "u")
            shared = max((float(until) for until in pipe.execute() if until), default=0.0)
        except redis.RedisError:
            _log_unreachable()
            return local
        return max(shared, local)

    def clear(self, key: str) -> None:
        self._fallback.clear(key)
        try:
            self._redis.delete(key)
        except redis.RedisError:
            _log_unreachable()


def _log_unreachable() -> None:
    logging.getLogger(__name__).warning(
        "sign-in lockout: Redis unreachable, counting failures in this process meanwhile"
    )


def _store(app: Flask) -> _MemoryStore | _RedisStore:
    store = app.extensions.get(STORE_EXTENSION)
    if store is None:
        url = app.config["RATELIMIT_STORAGE_URI"]
        store = _RedisStore(url) if url.startswith(_REDIS_SCHEMES) else _MemoryStore()
        app.extensions[STORE_EXTENSION] = store
    return store


def _digest(text: str) -> str:
    """Keys hold digests: no email or address sits in the store."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _account_key(scope: str, email: str) -> str:
    return f"engage:lockout:{scope}:{_digest(normalise_email(email))}"


def _address_key() -> str:
    return f"engage:lockout:address:{_digest(get_remote_address() or '')}"


@dataclass(frozen=True)
class Locked:
    """A sign-in refused unread: how long until the next try is heard."""

    seconds: int

    @property
    def message(self) -> str:
        return (
            "There have been too many failed attempts to sign in. "
            f"Wait {_duration(self.seconds)}, then try again."
        )


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def check(scope: str, email: str) -> Locked | None:
    """Say how long to wait if the account or this address is locked out, else None."""
    now = time.time()
    until = _store(current_app).locked_until([_account_key(scope, email), _address_key()], now)
    return Locked(math.ceil(until - now)) if until > now else None


def record_failure(scope: str, email: str) -> None:
    """Count a wrong password or code against the account and this address."""
    config, now = current_app.config, time.time()
    longest = config["SIGN_IN_LOCKOUT_MAX_SECONDS"]
    store = _store(current_app)
    store.fail(_account_key(scope, email), now, config["SIGN_IN_LOCKOUT_AFTER"], longest)
    store.fail(_address_key(), now, config["SIGN_IN_LOCKOUT_AFTER_PER_ADDRESS"], longest)


def clear(scope: str, email: str) -> None:
    """Forget the account's failures once it has signed in."""
    _store(current_app).clear(_account_key(scope, email))


def refusal(page: str, form, locked: Locked | None):
    """The sign-in page's response: 429 with Retry-After while locked, 422 on errors, else 200."""
    if locked is not None:
        return page, 429, {"Retry-After": str(locked.seconds)}
    return page, 422 if form.errors else 200
