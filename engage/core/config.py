"""Settings read from the environment, with safe defaults for a laptop."""

import os
import secrets
from pathlib import Path


def _instance_secret_key(instance_path: str) -> str:
    """Return the secret key kept in instance/, generating it on first run."""
    key_file = Path(instance_path) / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _normalise_database_url(url: str) -> str:
    """Point plain postgres URLs at psycopg 3, the driver we install."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(database_url: str) -> dict:
    """SQLAlchemy engine options for the database the app ends up using.

    A server's connection can die while idle in the pool (a restart, a proxy's timeout), so it
    is tested before use; a SQLite file's cannot, and the test would cost every request.
    """
    return {"pool_pre_ping": not database_url.startswith("sqlite")}


def settings_from_environment(instance_path: str, secret_key: str | None = None) -> dict:
    """Build the app's settings from environment variables.

    A caller that brings its own secret key (tests, benchmarks) leaves instance/ untouched.
    """
    database_url = _normalise_database_url(
        os.environ.get("DATABASE_URL") or "sqlite:///" + str(Path(instance_path) / "engage.sqlite")
    )
    return {
        "SECRET_KEY": secret_key
        or os.environ.get("SECRET_KEY")
        or _instance_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # X-RateLimit-* headers on every limited response cost two more storage round trips per
        # request (Redis in production) and no browser reads them; a refusal still says when
        # to come back (Retry-After, set by the 429 handler).
        "RATELIMIT_HEADERS_ENABLED": False,
        # Where background jobs are queued (RQ over Redis); unset, they run in-process at once.
        "JOB_QUEUE_URL": os.environ.get("JOB_QUEUE_URL", ""),
        "SUBMISSION_RATE_LIMIT": os.environ.get("SUBMISSION_RATE_LIMIT", "20 per hour"),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        # How many proxies (nginx, a load balancer) set X-Forwarded-For in front of the app.
        "PROXIES_IN_FRONT": int(os.environ.get("PROXIES_IN_FRONT", "0")),
        # How often each app process folds newly stored responses into the tallies, after a
        # response has been sent. Results are exact either way; this keeps the unfolded few.
        "TALLY_FOLD_INTERVAL_SECONDS": float(os.environ.get("TALLY_FOLD_INTERVAL_SECONDS", "2")),
        "TOP_TERMS_MAX_AGE_SECONDS": float(os.environ.get("TOP_TERMS_MAX_AGE_SECONDS", "300")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        # Room for one grant document (GRANT_DOCUMENT_MAX_BYTES) and the form around it.
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
        "GRANT_DOCUMENTS_DIR": os.environ.get(
            "GRANT_DOCUMENTS_DIR", str(Path(instance_path) / "grant-documents")
        ),
        "GRANT_DOCUMENT_MAX_BYTES": int(
            os.environ.get("GRANT_DOCUMENT_MAX_BYTES", 5 * 1024 * 1024)
        ),
        # Files of posts uploaded on a campaign's page wait here for their import job.
        "SOCIAL_IMPORTS_DIR": os.environ.get(
            "SOCIAL_IMPORTS_DIR", str(Path(instance_path) / "social-imports")
        ),
        "SOCIAL_IMPORT_MAX_BYTES": int(os.environ.get("SOCIAL_IMPORT_MAX_BYTES", 5 * 1024 * 1024)),
        # CSV exports prepared by background jobs, kept for download, outside static/
        "EXPORTS_DIR": os.environ.get("EXPORTS_DIR", str(Path(instance_path) / "exports")),
        # The nightly purge deletes files made for download (CSVs, PDFs) older than this, and
        # finished job records older than JOB_RECORDS_MAX_AGE_DAYS.
        # Bigger exports of every response are prepared as a job rather than streamed to the
        # browser, which a proxy would cut off (about 30,000 a second are written).
        "EXPORT_DIRECT_MAX_RESPONSES": int(os.environ.get("EXPORT_DIRECT_MAX_RESPONSES", "50000")),
        "EXPORT_FILES_MAX_AGE_HOURS": float(os.environ.get("EXPORT_FILES_MAX_AGE_HOURS", "168")),
        "JOB_RECORDS_MAX_AGE_DAYS": float(os.environ.get("JOB_RECORDS_MAX_AGE_DAYS", "30")),
        # The 360Giving prefix the publisher registers with 360Giving, and the funder's org-id.
        "THREESIXTYGIVING_PREFIX": os.environ.get("THREESIXTYGIVING_PREFIX", "360G-engage"),
        "GRANTS_FUNDER_ID": os.environ.get("GRANTS_FUNDER_ID", "360G-engage-pcc"),
        "ORGANISATION_NAME": os.environ.get(
            "ENGAGE_ORGANISATION", "West Midlands Police and Crime Commissioner"
        ),
    }
