"""The staff case page: an application, its documents, reviews, decisions and audit trail."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from engage.activecitizens import staff_bp
from engage.activecitizens.forms import AssignReviewerForm, DecisionForm
from engage.activecitizens.models import GrantApplication
from engage.activecitizens.services import (
    audit,
    audit_reading,
    decisions,
    reviews,
    rounds,
    tracking,
)
from engage.activecitizens.services.eligibility import check_eligibility
from engage.activecitizens.services.workflow import (
    ACTION_LABELS,
    PUBLIC_NAMES,
    Action,
    allowed_actions,
)
from engage.activecitizens.views.access import acting, today
from engage.auth.decorators import roles_required
from engage.auth.models import Role, StaffUser
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.privacy.access_log import AccessKind, record_access
from engage.web.form_saving import field_error, save_form
from engage.web.forms import ActionForm

OFFICE = (Role.PCC,)
# Steps taken with a single button; decisions that need an amount or a reason use DecisionForm.
STEP_BUTTONS = {
    Action.START_CHECK: "Start the eligibility check",
    Action.PASS_CHECK: "Pass the eligibility check: send to the panel",
    Action.SEND_TO_PANEL: "Scoring done: send for a decision",
    Action.RECORD_PAYMENT: "Record the grant as paid",
    Action.CLOSE: "Close the grant",
}
STEPS = {
    Action.START_CHECK: decisions.start_check,
    Action.PASS_CHECK: decisions.pass_check,
    Action.SEND_TO_PANEL: decisions.send_to_panel,
    Action.RECORD_PAYMENT: decisions.record_payment,
    Action.CLOSE: decisions.close_grant,
}


def _case_page(application, decision_form=None, assign_form=None, status=200):
    assign_form = assign_form or AssignReviewerForm()
    assigned = reviews.assignments_for(application)
    taken = {a.reviewer_id for a in assigned}
    assign_form.reviewer_id.choices = [
        (r.id, r.name) for r in reviews.reviewers() if r.id not in taken
    ]
    possible = allowed_actions(application.state, by_group=False)
    return render_template(
        "activecitizens/staff/application.html",
        application=application,
        public_names=PUBLIC_NAMES,
        state_name=PUBLIC_NAMES[application.state],
        steps=[(action, STEP_BUTTONS[action]) for action in possible if action in STEPS],
        can_decide=any(
            a in possible for a in (Action.APPROVE, Action.DECLINE, Action.REQUEST_INFO)
        ),
        can_approve=Action.APPROVE in possible,
        can_assign=application.state in reviews.REVIEWABLE_STATES,
        decision_form=decision_form or DecisionForm(),
        assign_form=assign_form,
        action_form=ActionForm(),
        assignments=assigned,
        summary=reviews.summarise_reviews(application),
        checks=check_eligibility(application, today()),
        readable_entries=audit_reading.readable(audit.entries_for_application(application.id)),
        next_step=tracking.next_step(application),
        area_name=rounds.area_name,
    ), status


def _to_case(application: GrantApplication):
    return redirect(url_for(".application_case", application_id=application.id), code=303)


@staff_bp.get("/applications/<int:application_id>")
@roles_required(*OFFICE)
def application_case(application_id: int):
    application = db.get_or_404(GrantApplication, application_id)
    record_access(current_user, AccessKind.GROUP_DETAILS, application.group_id)  # shown on the page
    db.session.commit()
    return _case_page(application)


@staff_bp.post("/applications/<int:application_id>/steps/<step>")
@roles_required(*OFFICE)
def take_step(application_id: int, step: str):
    application = db.get_or_404(GrantApplication, application_id)
    try:
        action = Action(step)
    except ValueError:
        abort(404)
    if action not in STEPS:
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            STEPS[action](application, acting())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(f"{ACTION_LABELS[action]}.", "success")
    return _to_case(application)


@staff_bp.post("/applications/<int:application_id>/decision")
@roles_required(*OFFICE)
def decide(application_id: int):
    application = db.get_or_404(GrantApplication, application_id)
    form = DecisionForm()

    def record():
        choice, message = form.decision.data, form.message.data or ""
        if choice == "approve":
            decisions.approve(application, acting(), form.amount.data)
        elif choice == "decline":
            decisions.decline(application, acting(), message)
        else:
            decisions.request_information(application, acting(), message)
        return choice

    if saved := save_form(form, record):
        flash(
            {
                "approve": "Grant approved. The group can now accept the offer.",
                "decline": "Application declined. The group can see the reason.",
                "request_info": "The application is reopened for the group to change.",
            }[saved.value],
            "success",
        )
        return _to_case(application)
    db.session.refresh(application)
    return _case_page(application, decision_form=form, status=422)


@staff_bp.post("/applications/<int:application_id>/reviewers")
@roles_required(*OFFICE)
def assign_reviewer(application_id: int):
    application = db.get_or_404(GrantApplication, application_id)
    form = AssignReviewerForm()
    form.reviewer_id.choices = [(r.id, r.name) for r in reviews.reviewers()]
    if form.validate_on_submit():
        reviewer = db.session.get_one(StaffUser, form.reviewer_id.data)  # one of the choices
        try:
            reviews.assign_reviewer(application, reviewer, acting())
        except DomainError as error:
            db.session.rollback()
            field_error(form, error)
        else:
            db.session.commit()
            flash(f"{reviewer.name} is assigned.", "success")
            return _to_case(application)
    if form.reviewer_id.errors and "Not a valid choice" in form.reviewer_id.errors[0]:
        form.reviewer_id.errors = ["Choose an active grant reviewer"]
    return _case_page(application, assign_form=form, status=422)
