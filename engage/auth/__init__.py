"""Staff accounts, roles and sign-in."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from engage.auth import two_factor_views, views  # noqa: E402,F401  (routes register on import)
