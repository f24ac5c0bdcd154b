"""Staff accounts, roles and sign-in.

What other packages use: `engage.auth.models` (StaffUser, Role), `engage.auth.decorators`
(roles_required, staff_required), `engage.auth.services` (normalise_email, create_staff,
register_session_loader: another type of user, a community group, signs in through a loader
its package registers), `engage.auth.password_policy` (check_password, MIN_PASSWORD_LENGTH),
`engage.auth.lockout` (failed sign-ins), `engage.auth.throttling` (login_limit, email_key) and
`engage.auth.worklist` (provides_work, WorkItem: each package's waiting work on the staff home).
auth imports no other capability.
"""

from flask import Blueprint, Flask

bp = Blueprint("auth", __name__)


def register(app: Flask) -> None:
    """Attach sign-in, the staff home and the staff pages.

    Loaded here, not on import, so another package importing this one's models or services
    does not pull in every view (and the import cycles that come with them).
    """
    # Hooks run in import order: session_guard's idle check comes before two_factor_views'.
    from engage.auth import session_guard, two_factor_views, views  # noqa: F401  (routes register on import)

    app.register_blueprint(bp)
