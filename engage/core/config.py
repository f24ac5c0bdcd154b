"""Settings read from the environment, with safe defaults for a laptop."""

import json
import os
import secrets
from datetime import date
from pathlib import Path

# Written by the browser tests each time axe-core finds no WCAG 2.2 A or AA failure on any page.
ACCESSIBILITY_AUDIT_RECORD = Path(__file__).resolve().parents[2] / "audit" / "accessibility.json"
STATEMENT_PREPARED = "2026-12-04"


def _last_accessibility_audit() -> date:
    """The day of the last clean audit: ACCESSIBILITY_LAST_AUDIT if set, else the record the
    browser tests wrote, so the statement's date follows the test runs rather than an edit."""
    if os.environ.get("ACCESSIBILITY_LAST_AUDIT"):
        return date.fromisoformat(os.environ["ACCESSIBILITY_LAST_AUDIT"])
    try:
        return date.fromisoformat(json.loads(ACCESSIBILITY_AUDIT_RECORD.read_text())["last_audit"])
    except (OSError, ValueError, KeyError, TypeError):
        return date.fromisoformat(STATEMENT_PREPARED)


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


def _cookies_secure() -> bool:
    default = "1" if int(os.environ.get("PROXY_FIX_HOPS", "0")) else "0"
    return os.environ.get("SESSION_COOKIE_SECURE", default) == "1"


def signing_keys(config) -> tuple[str, ...]:
    """The keys a signed token may carry, oldest first: `SECRET_KEY_FALLBACKS` then `SECRET_KEY`.

    itsdangerous signs with the last and accepts any, so rotating the key (the old one moved
    to the fallbacks) keeps open forms and emailed links working until they expire.
    """
    return (*(config.get("SECRET_KEY_FALLBACKS") or ()), config["SECRET_KEY"])


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
        # Earlier keys, comma-separated, still accepted on sessions, forms and links after a
        # rotation (Flask's own setting, which the session cookie already honours).
        "SECRET_KEY_FALLBACKS": [
            key.strip()
            for key in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",")
            if key.strip()
        ],
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # When that Redis is down or hung: each call gives up within half a second, as a
        # limits.errors.StorageError (engage.web.rate_limits lets a survey response through),
        # and the limits on sign-in and resets are counted in each process's memory instead
        # until Redis answers again, so guessing passwords stays limited. See the README.
        "RATELIMIT_STORAGE_OPTIONS": {
            "wrap_exceptions": True,
            "socket_connect_timeout": 0.5,
            "socket_timeout": 0.5,
        },
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # X-RateLimit-* headers on every limited response cost two more storage round trips per
        # request (Redis in production) and no browser reads them; a refusal still says when
        # to come back (Retry-After, set by the 429 handler).
        "RATELIMIT_HEADERS_ENABLED": False,
        # Where background jobs are queued (RQ over Redis); unset, they run in-process at once.
        "JOB_QUEUE_URL": os.environ.get("JOB_QUEUE_URL", ""),
        "SUBMISSION_RATE_LIMIT": os.environ.get("SUBMISSION_RATE_LIMIT", "20 per hour"),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        # After this many failed sign-ins (password or code) an account waits 1 second, doubling
        # with each further failure up to SIGN_IN_LOCKOUT_MAX_SECONDS. An address counts every
        # account tried from it, and offices share one address, so it is allowed more.
        "SIGN_IN_LOCKOUT_AFTER": int(os.environ.get("SIGN_IN_LOCKOUT_AFTER", "5")),
        "SIGN_IN_LOCKOUT_AFTER_PER_ADDRESS": int(
            os.environ.get("SIGN_IN_LOCKOUT_AFTER_PER_ADDRESS", "20")
        ),
        "SIGN_IN_LOCKOUT_MAX_SECONDS": float(os.environ.get("SIGN_IN_LOCKOUT_MAX_SECONDS", "900")),
        # Staff roles that must sign in with a code from an authenticator app as well; "1" in
        # STAFF_2FA_REQUIRED_FOR_ALL makes every staff role do so.
        "STAFF_2FA_REQUIRED_ROLES": tuple(
            role.strip()
            for role in os.environ.get("STAFF_2FA_REQUIRED_ROLES", "admin,pcc").split(",")
            if role.strip()
        ),
        # A signed-in session unused for this long is signed out at its next request.
        "SESSION_IDLE_MINUTES": float(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        # Groups write long answers in one sitting, so they get longer before they are signed out.
        "GROUP_SESSION_IDLE_MINUTES": float(os.environ.get("GROUP_SESSION_IDLE_MINUTES", "60")),
        "STAFF_2FA_REQUIRED_FOR_ALL": os.environ.get("STAFF_2FA_REQUIRED_FOR_ALL", "0") == "1",
        # How often each app process folds newly stored responses into the tallies, after a
        # response has been sent. Results are exact either way; this keeps the unfolded few.
        "TALLY_FOLD_INTERVAL_SECONDS": float(os.environ.get("TALLY_FOLD_INTERVAL_SECONDS", "2")),
        "TOP_TERMS_MAX_AGE_SECONDS": float(os.environ.get("TOP_TERMS_MAX_AGE_SECONDS", "300")),
        # How many reverse proxies (TLS terminators) stand in front of the app; 0 trusts none.
        "PROXY_FIX_HOPS": int(os.environ.get("PROXY_FIX_HOPS", "0")),
        "SESSION_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Behind a TLS-terminating proxy cookies travel over TLS only, unless told otherwise.
        "SESSION_COOKIE_SECURE": _cookies_secure(),
        "REMEMBER_COOKIE_SECURE": _cookies_secure(),
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
        # The accessibility statement's dates and contact (the 2018 Regulations' model statement).
        "ACCESSIBILITY_LAST_AUDIT": _last_accessibility_audit(),
        "ACCESSIBILITY_STATEMENT_PREPARED": date.fromisoformat(
            os.environ.get("ACCESSIBILITY_STATEMENT_PREPARED", STATEMENT_PREPARED)
        ),
        "ACCESSIBILITY_CONTACT": os.environ.get("ACCESSIBILITY_CONTACT", ""),
        # SMTP when MAIL_SERVER is set; otherwise each message is a file in MAIL_FILE_PATH.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "0") == "1",
        "MAIL_USE_SSL": os.environ.get("MAIL_USE_SSL", "0") == "1",
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "10")),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "engage <no-reply@localhost>"),
        "MAIL_FILE_PATH": os.environ.get("MAIL_FILE_PATH", str(Path(instance_path) / "outbox")),
        "MAIL_RATE_PER_MINUTE": int(os.environ.get("MAIL_RATE_PER_MINUTE", "60")),
        "MAIL_RETRY_ATTEMPTS": int(os.environ.get("MAIL_RETRY_ATTEMPTS", "3")),
        "MAIL_RETRY_BASE_SECONDS": float(os.environ.get("MAIL_RETRY_BASE_SECONDS", "2")),
        # How long the link confirming a "keep me updated" opt-in works (7 days).
        "UPDATES_CONFIRM_MAX_AGE_SECONDS": int(
            os.environ.get("UPDATES_CONFIRM_MAX_AGE_SECONDS", "604800")
        ),
        "PASSWORD_RESET_MAX_AGE_SECONDS": int(
            os.environ.get("PASSWORD_RESET_MAX_AGE_SECONDS", "3600")
        ),
        "PASSWORD_RESET_RATE_LIMIT": os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per hour"),
        "ORGANISATION_NAME": os.environ.get(
            "ENGAGE_ORGANISATION", "West Midlands Police and Crime Commissioner"
        ),
    }
