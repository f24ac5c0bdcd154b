"""How long a signed-in session lasts: until idle too long, or until the password changes.

The session is Flask's signed cookie (engage.web.sessions), so what it must remember sits in it:
the account's session version at sign-in and when the account was last seen. Staff sessions
hold a bare id; a community group's a prefixed one (services.register_session_loader), which is
how the idle limit tells the two apart without asking the database.
"""

import time

from flask import current_app, flash, g, session
from flask_login import user_logged_in

from engage.auth import bp

VERSION_KEY = "_session_version"
SEEN_KEY = "_seen"
# The last-seen time is rewritten at most this often, so a busy session's cookie is not
# re-signed and re-sent on every request.
SEEN_RESOLUTION_SECONDS = 60
PASSWORD_CHANGED = "Your password was changed, so you have been signed out. Sign in again."


@user_logged_in.connect
def _remember_sign_in(_app, user, **_extra) -> None:
    """Note the account's session version and the time, as the session starts."""
    session[VERSION_KEY] = user.session_version
    session[SEEN_KEY] = int(time.time())


def keep_session_current(user) -> None:
    """After this session changed its own password, keep it signed in (others end)."""
    session[VERSION_KEY] = user.session_version


def still_valid(user):
    """The user if this session began with their current password, else sign it out (None)."""
    if user is None or session.get(VERSION_KEY) == user.session_version:
        return user
    _end_session(PASSWORD_CHANGED)
    return None


def _idle_limit_seconds(user_id: str) -> float:
    setting = "SESSION_IDLE_MINUTES" if user_id.isdigit() else "GROUP_SESSION_IDLE_MINUTES"
    return float(current_app.config[setting]) * 60


def _end_session(message: str) -> None:
    """Forget who is signed in, as Flask-Login's logout_user does.

    Not logout_user itself: it loads the user first, and this runs inside the user loader.
    """
    for key in ("_user_id", "_fresh", "_id", VERSION_KEY, SEEN_KEY):
        session.pop(key, None)
    g.pop("_login_user", None)
    flash(message, "info")


@bp.before_app_request
def sign_out_when_idle() -> None:
    """Sign out a session unused for longer than its limit; otherwise note it was seen now.

    Anonymous visitors have no '_user_id', and their cookie is left as it is.
    """
    user_id = session.get("_user_id")
    if not isinstance(user_id, str):
        return
    now = int(time.time())
    seen = session.get(SEEN_KEY)
    limit = _idle_limit_seconds(user_id)
    if not isinstance(seen, int) or now - seen > limit:
        minutes = round(limit / 60)
        _end_session(
            f"You have been signed out because you had not used engage for {minutes} minutes. "
            "Sign in again to carry on."
        )
    elif now - seen >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_KEY] = now
