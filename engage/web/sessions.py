"""The signed session cookie, as Flask makes it, with plain JSON inside.

Every public form's CSRF token is kept in the session, so the cookie is read on every request
and written whenever a response is sent (the receipt for the confirmation page). Flask's default
tagged JSON walks each value through eight type checks to round-trip tuples, bytes, Markup,
UUIDs and datetimes; engage keeps only strings, numbers, booleans, lists and dicts there, and
tagging cost more than the signature. The signature, its key derivation, expiry and key
rotation (SECRET_KEY_FALLBACKS) are Flask's own.
"""

import hashlib
import json

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class _PlainJson:
    """The serializer interface itsdangerous expects: dumps and loads."""

    @staticmethod
    def dumps(value) -> str:
        return json.dumps(value, separators=(",", ":"))

    @staticmethod
    def loads(text: str | bytes):
        return json.loads(text)


class PlainJsonSessionInterface(SecureCookieSessionInterface):
    # Duck-typed: itsdangerous calls only dumps and loads.
    serializer = _PlainJson()  # type: ignore[assignment]
    # OpenSSL's SHA-1 by reference: Flask's default wraps it in a Python function, which sends
    # every HMAC down the standard library's slower pure-Python path.
    digest_method = staticmethod(hashlib.sha1)

    def __init__(self) -> None:
        self._signing_serializers: dict[tuple, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Build the serializer once per set of keys, not on every request."""
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if not keys[0]:
            return None
        if keys not in self._signing_serializers:
            self._signing_serializers[keys] = super().get_signing_serializer(app)
        return self._signing_serializers[keys]
