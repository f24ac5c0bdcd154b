"""One-time form tokens: each rendered survey form carries one, and a response stores it.

`Response.form_token` is unique, so a double-click or a replayed form cannot store twice.
The token is signed with a timestamp, so a client cannot invent one and an old one expires.
"""

import hashlib
import secrets
from functools import cache

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from engage.core.config import signing_keys
from engage.core.errors import DomainError

MAX_AGE_SECONDS = 24 * 60 * 60
_SALT = "engage.form-token"


def _serializer() -> URLSafeTimedSerializer:
    return _serializer_for(signing_keys(current_app.config))


@cache
def _serializer_for(secret_keys: tuple[str, ...]) -> URLSafeTimedSerializer:
    # OpenSSL's SHA-1 by reference (the same signature as itsdangerous's default, which wraps it
    # in a Python function and so sends each HMAC down the standard library's slow path).
    return URLSafeTimedSerializer(
        list(secret_keys), salt=_SALT, signer_kwargs={"digest_method": hashlib.sha1}
    )


def issue_form_token() -> str:
    """Return a new signed token to put in a form's hidden field."""
    return _serializer().dumps(secrets.token_hex(16))


def read_form_token(signed: str | None) -> str:
    """Return the raw token inside a signed one, or raise a 400 DomainError saying why."""
    if not signed:
        raise DomainError("The form was incomplete. Reload the page and try again.", status=400)
    try:
        return _serializer().loads(signed, max_age=MAX_AGE_SECONDS)
    except SignatureExpired:
        raise DomainError(
            "This form has expired. Reload the page to start again.", status=400
        ) from None
    except BadSignature:
        raise DomainError(
            "The form was not sent from this site. Reload the page and try again.", status=400
        ) from None
