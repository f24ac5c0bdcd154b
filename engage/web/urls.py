"""Helpers for URLs that come from the request."""

from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter


def safe_next_url(target: str | None) -> str | None:
    """Return `target` only if it is a path on this site, so sign-in cannot redirect elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` up to the largest id an INTEGER column holds: larger ones are a 404, not a
    PostgreSQL 'integer out of range' error."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)
