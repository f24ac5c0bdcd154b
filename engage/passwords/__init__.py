"""Forgotten passwords: staff and community groups reset theirs through an emailed link."""

from flask import Blueprint

bp = Blueprint("passwords", __name__, url_prefix="/password")

from engage.passwords import views  # noqa: E402,F401  (registers the routes on bp)
