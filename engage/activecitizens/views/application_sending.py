"""A group's check-your-answers page: everything it wrote, the fund's rules, a declaration, send."""

from flask import flash, redirect, render_template, url_for

from engage.activecitizens import bp
from engage.activecitizens.forms import SendApplicationForm
from engage.activecitizens.models import GrantApplication
from engage.activecitizens.services import applications, rounds
from engage.activecitizens.services.applications import DECLARATION
from engage.activecitizens.services.eligibility import ApplicationProblems, check_eligibility
from engage.activecitizens.views.access import acting, group_required, own_application_or_404, today
from engage.core.extensions import db


def _to_tracking(application: GrantApplication):
    return redirect(
        url_for("activecitizens.application_page", application_id=application.id), code=303
    )


def _check_page(application: GrantApplication, form: SendApplicationForm, problems=None):
    problems = problems if problems is not None else check_eligibility(application, today())
    return render_template(
        "activecitizens/group/check_answers.html",
        application=application,
        problems=problems,
        form=form,
        area_name=rounds.area_name,
    ), 422 if (form.errors or problems) and form.is_submitted() else 200


@bp.get("/my/applications/<int:application_id>/check")
@group_required
def check_application(application_id: int):
    application = own_application_or_404(application_id)
    if not application.is_editable:
        return _to_tracking(application)
    return _check_page(application, SendApplicationForm())


@bp.post("/my/applications/<int:application_id>/submit")
@group_required
def submit_application(application_id: int):
    application = own_application_or_404(application_id)
    if not application.is_editable:
        flash("This application has already been sent.", "info")
        return _to_tracking(application)
    form = SendApplicationForm()
    if not form.validate_on_submit():
        return _check_page(application, form)
    try:
        applications.submit_application(application, acting(), today(), declaration=DECLARATION)
    except ApplicationProblems as error:
        db.session.rollback()
        return _check_page(application, form, error.problems)
    db.session.commit()
    flash("Your application has been sent. We will update this page as it moves on.", "success")
    return _to_tracking(application)
