"""Who may see what: groups see only their own applications; the rest look like 404s."""

from datetime import date
from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from engage.activecitizens import bp
from engage.activecitizens.models import ApplicationState, GrantApplication
from engage.activecitizens.services.applications import application_for_group
from engage.activecitizens.services.audit import Actor
from engage.activecitizens.services.workflow import STATE_TAGS


def group_required(view):
    """Let through a signed-in community group; send others to the group sign-in page."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("activecitizens.sign_in", next=request.full_path))
        if current_user.is_staff:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def own_application_or_404(application_id: int) -> GrantApplication:
    """The signed-in group's application; another group's is a 404, hiding that it exists."""
    application = application_for_group(current_user, application_id)
    if application is None:
        abort(404)
    return application


def acting() -> Actor:
    if current_user.is_staff:
        return Actor(staff=current_user._get_current_object())
    return Actor(group=current_user._get_current_object())


def today() -> date:
    return date.today()


@bp.app_template_filter("state_tag")
def state_tag(state: ApplicationState) -> str:
    """The tag class that colours an application's status by what it means."""
    return f"tag tag--{STATE_TAGS[ApplicationState(state)]}"
