"""What came of a consultation: the commitments made in response and the quotes staff chose.

"We asked, you said, we did": the surveys package says what was asked and what people said;
this package holds what the force and the PCC will do about it, each commitment with an owner,
a status and progress, linked to the Active Citizens Fund grants that deliver it.

Public functions other packages call (engage.outcomes.services): `public_outcomes` for a
published consultation's page, and `commitments_for_grants` for the fund's grant pages.
"""

from flask import Blueprint, Flask

staff_bp = Blueprint("outcomes_staff", __name__, url_prefix="/staff/consultations")


def register(app: Flask) -> None:
    """Attach the commitments and board-report pages.

    Loaded here, not on import, so another package importing this one's models or services
    does not pull in every view (and the import cycles that come with them).
    """
    from engage.outcomes import report_views, views  # noqa: F401  (routes register on import)

    app.register_blueprint(staff_bp)
