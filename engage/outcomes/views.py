"""Staff pages: a consultation's commitments, the grants that serve them, and chosen quotes."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.core.extensions import db
from engage.outcomes import services, staff_bp
from engage.outcomes.forms import ButtonForm, CommitmentForm, LinkGrantForm, QuoteForm
from engage.outcomes.models import COMMITMENT_STATUS_LABELS, Commitment
from engage.outcomes.services import CommitmentDetails
from engage.surveys.models import Consultation
from engage.web.form_saving import save_form

READERS = (Role.CONSULTATION, Role.PCC, Role.COMMS)
EDITORS = (Role.CONSULTATION, Role.PCC)


def _to_outcomes(consultation: Consultation):
    return redirect(url_for("outcomes_staff.outcomes", consultation_id=consultation.id), code=303)


def _details(form: CommitmentForm) -> CommitmentDetails:
    return CommitmentDetails(
        title=form.title.data or "",
        owner=form.owner.data or "",
        detail=form.detail.data or "",
        status=form.status.data or "",
        progress_percent=form.progress_percent.data,
        progress_note=form.progress_note.data or "",
    )


@staff_bp.get("/<int:consultation_id>/outcomes")
@roles_required(*READERS)
def outcomes(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    return render_template(
        "outcomes/outcomes.html",
        consultation=consultation,
        commitments=services.list_commitments(consultation),
        quotes=services.list_quotes(consultation),
        status_labels=COMMITMENT_STATUS_LABELS,
        button_form=ButtonForm(),
        can_edit=current_user.has_role(*EDITORS),
    )


@staff_bp.route("/<int:consultation_id>/outcomes/commitments/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_commitment(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = CommitmentForm()
    if save_form(form, lambda: services.add_commitment(consultation, _details(form), current_user)):
        flash("Commitment added.", "success")
        return _to_outcomes(consultation)
    return _commitment_page(form, consultation)


@staff_bp.route(
    "/<int:consultation_id>/outcomes/commitments/<int:commitment_id>", methods=["GET", "POST"]
)
@roles_required(*EDITORS)
def edit_commitment(consultation_id: int, commitment_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    commitment = services.get_commitment(consultation, commitment_id)
    form = CommitmentForm(obj=commitment)
    if request.method == "GET":
        form.status.data = commitment.status.value
    if save_form(
        form, lambda: services.update_commitment(commitment, _details(form), current_user)
    ):
        flash("Commitment saved.", "success")
        return _to_outcomes(consultation)
    return _commitment_page(form, consultation, commitment)


def _grant_form() -> LinkGrantForm:
    form = LinkGrantForm()
    form.application_id.choices = [
        (grant.id, f"{grant.title} ({grant.group.name})") for grant in services.linkable_grants()
    ]
    return form


def _commitment_page(form, consultation, commitment: Commitment | None = None, grant_form=None):
    return (
        render_template(
            "outcomes/commitment_form.html",
            form=form,
            consultation=consultation,
            commitment=commitment,
            grant_form=grant_form or (_grant_form() if commitment else None),
            button_form=ButtonForm(),
        ),
        422 if form.errors or (grant_form and grant_form.errors) else 200,
    )


@staff_bp.post("/<int:consultation_id>/outcomes/commitments/<int:commitment_id>/delete")
@roles_required(*EDITORS)
def delete_commitment(consultation_id: int, commitment_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    commitment = services.get_commitment(consultation, commitment_id)
    if save_form(ButtonForm(), lambda: services.delete_commitment(commitment)):
        flash("Commitment deleted.", "success")
    return _to_outcomes(consultation)


@staff_bp.post("/<int:consultation_id>/outcomes/commitments/<int:commitment_id>/grants")
@roles_required(*EDITORS)
def link_grant(consultation_id: int, commitment_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    commitment = services.get_commitment(consultation, commitment_id)
    grant_form = _grant_form()
    linked = save_form(
        grant_form, lambda: services.link_grant(commitment, grant_form.application_id.data)
    )
    if linked:
        flash(f"Linked “{linked.value.title}”.", "success")
        return redirect(
            url_for(
                "outcomes_staff.edit_commitment",
                consultation_id=consultation.id,
                commitment_id=commitment.id,
            ),
            code=303,
        )
    form = CommitmentForm(obj=commitment, formdata=None)
    form.status.data = commitment.status.value
    return _commitment_page(form, consultation, commitment, grant_form)


@staff_bp.post(
    "/<int:consultation_id>/outcomes/commitments/<int:commitment_id>/grants/<int:application_id>/unlink"
)
@roles_required(*EDITORS)
def unlink_grant(consultation_id: int, commitment_id: int, application_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    commitment = services.get_commitment(consultation, commitment_id)
    grant = services.linked_grant(commitment, application_id)
    if save_form(ButtonForm(), lambda: services.unlink_grant(commitment, grant)):
        flash("Grant unlinked.", "success")
    return redirect(
        url_for(
            "outcomes_staff.edit_commitment",
            consultation_id=consultation.id,
            commitment_id=commitment.id,
        ),
        code=303,
    )


@staff_bp.route("/<int:consultation_id>/outcomes/quotes/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_quote(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    answer = services.answer_to_quote(consultation, request.args.get("answer", type=int))
    form = QuoteForm()
    if request.method == "GET":
        form.text.data = answer.text
    saved = save_form(
        form,
        lambda: services.choose_quote(
            consultation, answer.id, form.text.data or "", bool(form.checked.data), current_user
        ),
    )
    if saved:
        flash("Quote kept for the public results page.", "success")
        return _to_outcomes(consultation)
    status = 422 if form.errors else 200
    return render_template(
        "outcomes/quote_form.html", form=form, consultation=consultation, answer=answer
    ), status


@staff_bp.post("/<int:consultation_id>/outcomes/quotes/<int:quote_id>/delete")
@roles_required(*EDITORS)
def delete_quote(consultation_id: int, quote_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    quote = services.get_quote(consultation, quote_id)
    if save_form(ButtonForm(), lambda: services.remove_quote(quote)):
        flash("Quote removed.", "success")
    return _to_outcomes(consultation)
