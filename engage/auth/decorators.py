"""Role checks for staff pages."""

from functools import wraps

from flask import abort
from flask_login import current_user

from engage.auth.models import Role
from engage.core.extensions import login_manager


def roles_required(*roles: Role):
    """Let through signed-in staff holding one of `roles` (admins always); 403 for others."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def staff_required(view):
    """Let through any signed-in staff member; a signed-in community group gets 403."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_staff:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
