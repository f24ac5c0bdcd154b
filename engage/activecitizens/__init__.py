"""The Active Citizens Fund: rounds, groups, applications, review, decisions, publication."""

from flask import Blueprint

bp = Blueprint("activecitizens", __name__, url_prefix="/active-citizens-fund")
staff_bp = Blueprint("grants_staff", __name__, url_prefix="/staff/grants")

from engage.activecitizens import views  # noqa: E402,F401  (routes register on import)
from engage.activecitizens.services import worklist  # noqa: E402,F401  (its staff-home work registers on import)
