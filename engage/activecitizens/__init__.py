"""The Active Citizens Fund: rounds, groups, applications, review, decisions, publication.

What other packages use: `engage.activecitizens.models` (GrantApplication, FUNDED_STATES) and
`engage.activecitizens.services.publication.published_grants_query` (the grants a
consultation's outcomes link to). Groups sign in through auth's session loader, which
`services.groups` registers on import.
"""

from flask import Blueprint, Flask

bp = Blueprint("activecitizens", __name__, url_prefix="/active-citizens-fund")
staff_bp = Blueprint("grants_staff", __name__, url_prefix="/staff/grants")


def register(app: Flask) -> None:
    """Attach the fund's pages, groups' sign-in and the fund's staff-home work.

    Loaded here, not on import, so another package importing this one's models or services
    does not pull in every view (and the import cycles that come with them).
    """
    from engage.activecitizens import views  # noqa: F401  (routes register on import)
    from engage.activecitizens.services import groups, worklist  # noqa: F401  (they register)

    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
