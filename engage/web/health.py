"""Liveness and readiness for a load balancer: cheap enough to poll every second.

`/healthz` answers as long as the process serves requests and touches nothing else.
`/readyz` asks the database for `SELECT 1`, each Redis the app is configured to use for PING,
and whether the database's migrations are at the head of the scripts (remembered once true, as a
process's code does not change under it). No check reads or reports personal data.
"""

from functools import cache

import redis
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from engage.core.extensions import db, limiter

bp = Blueprint("health", __name__)

REDIS_TIMEOUT_SECONDS = 0.5
REDIS_SETTINGS = ("RATELIMIT_STORAGE_URI", "JOB_QUEUE_URL")

_migrations_at_head: set[str] = set()  # database URLs seen at head by this process


@bp.get("/healthz")
@limiter.exempt
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
@limiter.exempt
def readyz():
    """Run every check; 200 if all pass, else 503 naming the ones that failed."""
    checks = {"database": _check_database(), "migrations": _check_migrations()}
    for setting in REDIS_SETTINGS:
        url = current_app.config.get(setting) or ""
        if url.startswith(("redis://", "rediss://")):
            checks[f"redis:{setting}"] = _check_redis(url)
    failing = sorted(name for name, result in checks.items() if result != "ok")
    body: dict[str, object] = {"status": "ok" if not failing else "unavailable", "checks": checks}
    if failing:
        body["failing"] = failing
    response = jsonify(body)
    response.status_code = 503 if failing else 200
    response.headers["Cache-Control"] = "no-store"
    return response


def _check_database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any failure to answer means not ready
        db.session.rollback()
        current_app.logger.warning("Readiness: the database did not answer (%s)", type(error))
        return "failed: the database did not answer"
    return "ok"


def _check_migrations() -> str:
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if url in _migrations_at_head:
        return "ok"
    try:
        with db.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_heads()
    except Exception:
        return "failed: the database's revision could not be read"
    heads = _script_heads(current_app.extensions["migrate"].directory)
    if set(current) != heads:
        at = ", ".join(current) or "no revision"
        return f"failed: database at {at}, code at {', '.join(sorted(heads))}"
    _migrations_at_head.add(url)
    return "ok"


@cache
def _script_heads(directory: str) -> frozenset[str]:
    config = Config()
    config.set_main_option("script_location", directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


@cache
def _redis_client(url: str) -> redis.Redis:
    """One client (and connection pool) per URL, so polling does not open a connection each time."""
    return redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )


def _check_redis(url: str) -> str:
    try:
        _redis_client(url).ping()
    except redis.RedisError:
        return "failed: Redis did not answer"
    return "ok"
