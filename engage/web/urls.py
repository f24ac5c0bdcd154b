"""Helpers for URLs that come from the request."""

from urllib.parse import urlsplit


def safe_next_url(target: str | None) -> str | None:
    """Return `target` only if it is a path on this site, so sign-in cannot redirect elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
