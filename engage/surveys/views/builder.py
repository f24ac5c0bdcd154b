"""Staff pages: the list of consultations, their details and their status."""

from flask import flash, redirect, render_template, request, url_for

from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys import staff_bp, update_jobs
from engage.surveys.forms import ConsultationForm
from engage.surveys.models import QUESTION_KIND_LABELS, Consultation, ConsultationStatus
from engage.surveys.services import builder
from engage.surveys.services.builder import ConsultationDetails
from engage.web.form_saving import save_form
from engage.web.forms import ActionForm
from engage.web.templating import counted

READERS = (Role.CONSULTATION, Role.PCC, Role.COMMS)


def to_overview(consultation: Consultation):
    return redirect(url_for("surveys_staff.overview", consultation_id=consultation.id), code=303)


def _details(form: ConsultationForm) -> ConsultationDetails:
    return ConsultationDetails(
        title=form.title.data.strip(),
        slug=(form.slug.data or "").strip().lower() or builder.slug_from_title(form.title.data),
        summary=(form.summary.data or "").strip(),
        opens_on=form.opens_on.data,
        closes_on=form.closes_on.data,
        outcome=(form.outcome.data or "").strip(),
    )


@staff_bp.get("/")
@roles_required(*READERS)
def consultation_list():
    page, counts = builder.list_consultations(request.args.get("page", 1, type=int))
    return render_template("surveys/staff/consultation_list.html", page=page, counts=counts)


@staff_bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.CONSULTATION)
def new_consultation():
    form = ConsultationForm()
    if saved := save_form(form, lambda: builder.create_consultation(_details(form))):
        flash("Consultation created as a draft. Now add its questions.", "success")
        return to_overview(saved.value)
    status = 422 if form.errors else 200
    return render_template("surveys/staff/consultation_form.html", form=form), status


def render_overview(consultation: Consultation, error: DomainError | None = None):
    """The consultation's page; a refused action shows in its error summary, with its status."""
    page = render_template(
        "surveys/staff/overview.html",
        consultation=consultation,
        answered=builder.answered_question_ids(consultation),
        transitions=builder.TRANSITIONS[consultation.status],
        kind_labels=QUESTION_KIND_LABELS,
        form=ActionForm(),
        error=error.message if error else None,
        updates=update_jobs.notice_summary(consultation),
    )
    return page, error.status if error else 200


@staff_bp.get("/<int:consultation_id>")
@roles_required(*READERS)
def overview(consultation_id: int):
    return render_overview(db.get_or_404(Consultation, consultation_id))


@staff_bp.route("/<int:consultation_id>/edit", methods=["GET", "POST"])
@roles_required(Role.CONSULTATION)
def edit_consultation(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = ConsultationForm(obj=consultation)
    if save_form(form, lambda: builder.update_consultation(consultation, _details(form))):
        flash("Saved the consultation's details.", "success")
        return to_overview(consultation)
    status = 422 if form.errors else 200
    return (
        render_template(
            "surveys/staff/consultation_form.html", form=form, consultation=consultation
        ),
        status,
    )


@staff_bp.post("/<int:consultation_id>/status")
@roles_required(Role.CONSULTATION)
def change_status(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    wanted = request.form.get("status", "")
    if wanted not in ConsultationStatus._value2member_map_:
        raise DomainError("Choose a status the consultation can move to.", status=400)
    try:
        builder.change_status(consultation, ConsultationStatus(wanted))
    except DomainError as error:
        db.session.rollback()
        return render_overview(consultation, error)
    db.session.commit()
    flash(f"The consultation is now {consultation.status.value}.", "success")
    if consultation.status == ConsultationStatus.PUBLISHED:
        told = update_jobs.notice_summary(consultation).subscribers
        update_jobs.start_results_notice(consultation)
        who = counted(told, "person", "people")
        flash(f"Emailing the results link to {who} who asked for updates.", "success")
    return to_overview(consultation)
