"""Consultations: building surveys, answering them online or on paper, and their results."""

from flask import Blueprint

bp = Blueprint("surveys", __name__)
staff_bp = Blueprint("surveys_staff", __name__, url_prefix="/staff/consultations")

from engage.surveys.services import worklist  # noqa: E402,F401  (its staff-home work registers on import)
from engage.surveys.views import (  # noqa: E402,F401
    builder,
    draws,
    events,
    exports,
    plain_english,
    populations,
    public,
    published,
    questions,
    results,
)
