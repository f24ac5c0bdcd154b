"""Signed, URL-safe tokens for forms and emailed links, under every key the app still accepts.

One place builds them, so key rotation (`SECRET_KEY_FALLBACKS`, see config.signing_keys) works
the same for every token, and each salt keeps one kind of token from passing as another.
"""

import hashlib
from functools import cache

from itsdangerous import URLSafeSerializer, URLSafeTimedSerializer

from engage.core.config import signing_keys
from engage.core.settings import settings


def timed_serializer(salt: str) -> URLSafeTimedSerializer:
    """Tokens that carry their signing time, so `loads(..., max_age=...)` refuses old ones."""
    return _timed(signing_keys(settings.config), salt)


def lasting_serializer(salt: str) -> URLSafeSerializer:
    """Tokens that never expire: an unsubscribe link in an old email must still work."""
    return _lasting(signing_keys(settings.config), salt)


# Built once per keys and salt: every public form asks for one. hashlib.sha1 by reference gives
# itsdangerous's default signature without its Python wrapper around each HMAC.
@cache
def _timed(keys: tuple[str, ...], salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        list(keys), salt=salt, signer_kwargs={"digest_method": hashlib.sha1}
    )


@cache
def _lasting(keys: tuple[str, ...], salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(list(keys), salt=salt, signer_kwargs={"digest_method": hashlib.sha1})
