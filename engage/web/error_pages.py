"""Friendly error pages, or JSON for clients that ask for it."""

import contextlib
import math
import time

from flask import Blueprint, current_app, jsonify, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from engage.core.errors import DomainError
from engage.core.extensions import db, limiter, login_manager
from engage.web.rate_limits import RateLimited

bp = Blueprint("errors", __name__)

MESSAGES = {
    400: "The request could not be understood. Go back, reload the page and try again.",
    403: "You do not have permission to see this page.",
    404: "Page not found. If you typed the address, check it is correct.",
    405: "That action is not allowed on this page.",
    413: "The file or form you sent is too large.",
    422: "There is a problem with what you sent.",
    429: "Too many requests from your connection. Wait a while and try again.",
    500: "Sorry, there is a problem with the service. Try again later.",
    503: "The service is briefly unavailable. Wait a minute, then reload the page.",
}
NOT_SAVED = (
    "The service is briefly unavailable and what you sent was not saved. Wait a minute, then go "
    "back and send it again."
)
RETRY_AFTER_UNAVAILABLE = "30"  # seconds: a database restart or fail-over takes about that


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def render_error(status: int, message: str | None = None):
    """Render the error page for a status code, as HTML or JSON."""
    text = message or MESSAGES.get(status, MESSAGES[500])
    if _wants_json():
        return jsonify(error=text, status=status), status
    return render_template("errors/error.html", status=status, message=text), status


@bp.app_errorhandler(CSRFError)
def handle_csrf_error(error: CSRFError):
    return render_error(
        400, "Your form has expired or was not sent from this site. Reload the page and try again."
    )


@bp.app_errorhandler(DomainError)
def handle_domain_error(error: DomainError):
    """A broken rule that a view did not answer itself: its message, its status, nothing stored."""
    db.session.rollback()
    return render_error(error.status, error.message)


@bp.app_errorhandler(RateLimitExceeded)
def handle_rate_limited(error: RateLimitExceeded):
    """Refuse with the friendly page and say in Retry-After when the window reopens.

    Only a refusal reads the window back from the counters' storage; successful requests do
    not carry rate-limit headers (see RATELIMIT_HEADERS_ENABLED).
    """
    breached = limiter.current_limit
    reopens_at = breached.window[0] if breached else time.time() + 60
    return _too_many_requests(max(1, math.ceil(reopens_at - time.time())))


@bp.app_errorhandler(RateLimited)
def handle_rate_limited_in_view(error: RateLimited):
    """A limit a view counted itself (see engage.web.rate_limits): the same page and Retry-After."""
    return _too_many_requests(error.retry_after)


def _too_many_requests(wait_seconds: int):
    body, status = render_error(429)
    return body, status, {"Retry-After": str(wait_seconds)}


@bp.app_errorhandler(HTTPException)
def handle_http_error(error: HTTPException):
    status = error.code or 500
    custom = error.description if getattr(error, "engage_message", False) else None
    return render_error(status, custom)


@bp.app_errorhandler(500)
def handle_server_error(error):
    db.session.rollback()
    return render_error(500)


@bp.app_errorhandler(OperationalError)
@bp.app_errorhandler(PoolTimeout)
def handle_database_unavailable(error):
    """The database did not answer (restarting, failing over, out of connections): a 503.

    Nothing was committed, so the page says so. pool_pre_ping replaces the dead connections on
    the next request, so the app recovers by itself once the database is back.
    """
    current_app.logger.warning("The database did not answer: %s", type(error).__name__)
    with contextlib.suppress(OperationalError):  # the connection is gone, and the transaction
        db.session.rollback()
    # The page's header asks who is signed in, which needs the database: show it as to a
    # visitor instead (what Flask-Login itself does when no one is signed in).
    login_manager._update_request_context_with_user()
    sent = request.method not in ("GET", "HEAD", "OPTIONS")
    body, status = render_error(503, NOT_SAVED if sent else None)
    return body, status, {"Retry-After": RETRY_AFTER_UNAVAILABLE}
