"""Passwords: staff and community groups change theirs, or reset a forgotten one by email."""

from flask import Blueprint, Flask

bp = Blueprint("passwords", __name__, url_prefix="/password")


def register(app: Flask) -> None:
    """Attach the reset pages (loaded here, not on import, like every capability's views)."""
    from engage.passwords import views  # noqa: F401  (routes register on import)

    app.register_blueprint(bp)
