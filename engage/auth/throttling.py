"""Rate limits on signing in, shared by staff and community group sign-in pages."""

import hashlib

from flask import current_app, request

from engage.auth.services import normalise_email


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def email_key() -> str:
    """Throttle by account as well as by address; hashed so no email sits in the limiter store."""
    email = normalise_email(request.form.get("email", ""))
    return "login:" + hashlib.sha256(email.encode()).hexdigest()
