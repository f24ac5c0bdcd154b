"""A group's own pages: its applications, the form, sending, tracking, the offer and the report."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from engage.activecitizens import bp
from engage.activecitizens.forms import (
    AcceptOfferForm,
    ApplicationForm,
    DocumentForm,
    WithdrawForm,
    monitoring_form_class,
)
from engage.activecitizens.models import DocumentKind, GrantApplication
from engage.activecitizens.services import applications, documents, monitoring, rounds, tracking
from engage.activecitizens.services.eligibility import (
    ApplicationDetails,
    ApplicationProblems,
    check_eligibility,
    details_of,
)
from engage.activecitizens.services.workflow import PUBLIC_NAMES
from engage.activecitizens.views.access import acting, group_required, own_application_or_404, today
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.web.form_saving import field_error, save_form
from engage.web.forms import ActionForm

TEXT_FIELDS = ("title", "summary", "activities", "beneficiaries", "beneficiary_count", "outcomes")


def _to_tracking(application: GrantApplication):
    return redirect(url_for(".application_page", application_id=application.id), code=303)


@bp.get("/my")
@group_required
def group_home():
    return render_template(
        "activecitizens/group/home.html",
        applications=applications.applications_of_group(current_user),
        open_rounds=rounds.open_rounds(today()),
        public_names=PUBLIC_NAMES,
        form=ActionForm(),
    )


@bp.post("/rounds/<slug>/start")
@group_required
def start_application(slug: str):
    funding_round = rounds.round_by_slug(slug)
    if funding_round is None:
        abort(404)
    form = ActionForm()
    if not form.validate_on_submit():
        return redirect(url_for(".group_home"), code=303)
    application = applications.start_application(current_user, funding_round, today())
    db.session.commit()
    return redirect(url_for(".edit_application", application_id=application.id), code=303)


def _form_details(form: ApplicationForm) -> ApplicationDetails:
    lines = [
        ((row.purpose.data or "").strip(), row.amount.data)
        for row in form.budget_lines
        if (row.purpose.data or "").strip() or row.amount.data is not None
    ]
    return ApplicationDetails(
        title=(form.title.data or "").strip(),
        summary=(form.summary.data or "").strip(),
        activities=(form.activities.data or "").strip(),
        beneficiaries=(form.beneficiaries.data or "").strip(),
        beneficiary_count=form.beneficiary_count.data,
        outcomes=(form.outcomes.data or "").strip(),
        priority_ids=list(form.priority_ids.data or []),
        main_area_code=form.main_area_code.data or None,
        other_area_codes=list(form.other_area_codes.data or []),
        amount_requested_pence=form.amount_requested.data,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        budget_lines=lines,
    )


def _fill(form: ApplicationForm, details: ApplicationDetails) -> None:
    """Put saved details back into the form: the reverse of `_form_details`."""
    for name in TEXT_FIELDS:
        getattr(form, name).data = getattr(details, name)
    form.priority_ids.data = details.priority_ids
    form.main_area_code.data = details.main_area_code or ""
    form.other_area_codes.data = details.other_area_codes
    form.amount_requested.data = details.amount_requested_pence
    form.starts_on.data, form.ends_on.data = details.starts_on, details.ends_on
    for row, (purpose, pence) in zip(form.budget_lines, details.budget_lines, strict=False):
        row.purpose.data, row.amount.data = purpose, pence


def _form_errors(form: ApplicationForm) -> list[tuple[str, str]]:
    """(field id, message) for the error summary, budget rows included, in the form's order."""
    errors = []
    for field in form:
        if field.name != "budget_lines":
            errors += [(field.id, field.errors[0])] if field.errors else []
            continue
        for message in (e for e in field.errors if isinstance(e, str)):
            errors.append(("budget-lines", message))
        for row in field:
            errors += [(sub.id, sub.errors[0]) for sub in row.form if sub.errors]
    return errors


def _show_problems(form: ApplicationForm, error: DomainError) -> None:
    problems = error.problems if isinstance(error, ApplicationProblems) else [error]
    for problem in problems:
        target = getattr(form, problem.field or "", None) or form.title
        target.errors = [*target.errors, problem.message]


@bp.route("/my/applications/<int:application_id>/edit", methods=["GET", "POST"])
@group_required
def edit_application(application_id: int):
    application = own_application_or_404(application_id)
    if not application.is_editable:
        flash("This application has been sent, so it cannot be changed.", "info")
        return _to_tracking(application)
    form = ApplicationForm()
    form.priority_ids.choices = [(p.id, p.name) for p in application.funding_round.priorities]
    if not form.is_submitted():
        _fill(form, details_of(application))
    elif form.validate_on_submit():
        try:
            applications.save_application(application, _form_details(form), acting(), today())
        except DomainError as error:
            db.session.rollback()
            _show_problems(form, error)
        else:
            db.session.commit()
            flash("Your application is saved.", "success")
            return _to_tracking(application)
    status = 422 if form.errors else 200
    return render_template(
        "activecitizens/group/application_form.html",
        form=form,
        application=application,
        errors=_form_errors(form),
    ), status


def _tracking_page(application, problems=None, status=200, upload_form=None):
    return render_template(
        "activecitizens/group/application.html",
        application=application,
        state_name=PUBLIC_NAMES[application.state],
        timeline=tracking.timeline(application),
        next_step=tracking.next_step(application),
        checks=check_eligibility(application, today()) if application.is_editable else [],
        problems=problems or [],
        action_form=ActionForm(),
        upload_form=upload_form or DocumentForm(),
        area_name=rounds.area_name,
    ), status


@bp.get("/my/applications/<int:application_id>")
@group_required
def application_page(application_id: int):
    return _tracking_page(own_application_or_404(application_id))


@bp.post("/my/applications/<int:application_id>/documents")
@group_required
def upload_document(application_id: int):
    application = own_application_or_404(application_id)
    form = DocumentForm()
    status = 422
    if form.validate_on_submit():
        upload = form.file.data
        try:
            documents.store_document(
                application, upload.filename, upload.read(), DocumentKind.SUPPORTING
            )
        except DomainError as error:
            db.session.rollback()
            field_error(form, error)
            status = 503 if error.status == 503 else 422  # our storage failed, not their file
        else:
            db.session.commit()
            flash(f"'{upload.filename}' is uploaded.", "success")
            return _to_tracking(application)
    return _tracking_page(application, status=status, upload_form=form)


@bp.post("/my/applications/<int:application_id>/documents/<int:document_id>/remove")
@group_required
def remove_document(application_id: int, document_id: int):
    application = own_application_or_404(application_id)
    document = next((d for d in application.documents if d.id == document_id), None)
    if document is None or not ActionForm().validate_on_submit():
        return _to_tracking(application)
    documents.remove_document(application, document)
    db.session.commit()
    flash(f"'{document.original_name}' is removed.", "success")
    return _to_tracking(application)


@bp.route("/my/applications/<int:application_id>/withdraw", methods=["GET", "POST"])
@group_required
def withdraw_application(application_id: int):
    application = own_application_or_404(application_id)
    form = WithdrawForm()
    if save_form(
        form,
        lambda: applications.withdraw_application(application, acting(), form.reason.data or ""),
    ):
        flash("Your application is withdrawn.", "success")
        return _to_tracking(application)
    status = 422 if form.errors else 200
    return render_template(
        "activecitizens/group/withdraw.html", form=form, application=application
    ), status


@bp.route("/my/applications/<int:application_id>/offer", methods=["GET", "POST"])
@group_required
def accept_offer(application_id: int):
    application = own_application_or_404(application_id)
    form = AcceptOfferForm()
    if save_form(form, lambda: applications.accept_offer(application, acting())):
        flash("Thank you: you have accepted the grant.", "success")
        return _to_tracking(application)
    status = 422 if form.errors else 200
    return render_template(
        "activecitizens/group/offer.html", form=form, application=application
    ), status


@bp.route("/my/applications/<int:application_id>/report", methods=["GET", "POST"])
@group_required
def monitoring_report(application_id: int):
    application = own_application_or_404(application_id)
    form = monitoring_form_class(application.budget_lines)()
    if form.validate_on_submit():
        try:
            monitoring.submit_monitoring_report(
                application,
                acting(),
                form.what_was_done.data,
                form.people_reached.data,
                {line.id: form[f"spent_{line.id}"].data for line in application.budget_lines},
            )
            if form.photo.data:
                documents.store_document(
                    application,
                    form.photo.data.filename,
                    form.photo.data.read(),
                    DocumentKind.MONITORING_PHOTO,
                )
        except DomainError as error:
            db.session.rollback()
            target = "photo" if error.field == "file" else error.field
            field_error(form, DomainError(error.message, target))
        else:
            db.session.commit()
            flash("Thank you for your report.", "success")
            return _to_tracking(application)
    status = 422 if form.errors else 200
    return render_template(
        "activecitizens/group/report.html", form=form, application=application
    ), status
