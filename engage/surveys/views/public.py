"""Public pages: answering a consultation, checking the answers, sending them, the confirmation."""

from flask import current_app, redirect, render_template, request, session, url_for

from engage.core.areas import RESPONDENT_AREAS
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys import bp, jobs
from engage.surveys.models import AGE_BAND_LABELS, Consultation
from engage.surveys.services import consultations, form_tokens
from engage.surveys.services.contacts import ContactChoice
from engage.surveys.services.references import new_reference
from engage.surveys.services.responses import AnswerErrors, DuplicateSubmission
from engage.surveys.services.submissions import (
    SubmissionInput,
    check_submission,
    send_online_submission,
)
from engage.surveys.views.answer_forms import errors_in_page_order, read_about_you, read_answers
from engage.web.rate_limits import count_request, counts_its_own_limit

HONEYPOT_FIELD = "website"
RECEIPT_KEY = "receipt"


def _read_submission() -> SubmissionInput:
    """Turn the posted form into plain values; nothing is judged here."""
    form = request.form
    return SubmissionInput(
        answers=read_answers(form),
        about=read_about_you(form),
        contact=ContactChoice(
            wants_updates=form.get("wants_updates") == "yes",
            prize_draw=form.get("prize_draw") == "yes",
            name=form.get("contact_name", ""),
            email=form.get("contact_email", ""),
        ),
        consent=form.get("consent") == "yes",
    )


def _render_form(item: Consultation, form_token: str, values=None, errors=None, status=200):
    errors = errors or {}
    ordered_errors = errors_in_page_order(
        item.questions, errors, ("contact_name", "contact_email", "consent")
    )
    return (
        render_template(
            "surveys/public/consultation.html",
            consultation=item,
            form_token=form_token,
            values=values if values is not None else {},
            errors=errors,
            error_list=ordered_errors,
            age_bands=list(AGE_BAND_LABELS.items()),
            area_choices=[(area.slug, area.name) for area in RESPONDENT_AREAS],
        ),
        status,
    )


def _render_closed(item: Consultation, message: str, status: int):
    return render_template("surveys/public/closed.html", consultation=item, message=message), status


@bp.get("/consultations/<slug>")
def consultation(slug: str):
    item = consultations.get_public_consultation(slug)
    try:
        consultations.ensure_accepting_online(item)
    except DomainError as closed:
        return _render_closed(item, closed.message, 200)
    return _render_form(item, form_tokens.issue_form_token())


@bp.post("/consultations/<slug>")
def check_answers(slug: str):
    """Show the answers back for checking, or the form again with what needs fixing."""
    item = consultations.get_public_consultation(slug)
    form_token = request.form.get("form_token")
    form_tokens.read_form_token(form_token)
    given = _read_submission()
    values = request.form.to_dict(flat=False)
    if request.form.get("change"):
        return _render_form(item, form_token, values)
    try:
        checked = check_submission(item, given)
    except AnswerErrors as problem:
        return _render_form(item, form_token, values, problem.errors, 422)
    except DomainError as refused:
        if refused.status == 400:
            raise
        return _render_closed(item, refused.message, refused.status)
    return render_template(
        "surveys/public/check_answers.html",
        consultation=item,
        checked=checked,
        values=values,
        form_token=form_token,
        age_bands=AGE_BAND_LABELS,
    )


@bp.post("/consultations/<slug>/send")
@counts_its_own_limit
def send(slug: str):
    """Store the response once; a double-click or replay shows the first confirmation again."""
    count_request(current_app.config["SUBMISSION_RATE_LIMIT"], scope="surveys.send")
    target = consultations.remembered_submission_target(slug)
    form_token = request.form.get("form_token")
    raw_token = form_tokens.read_form_token(form_token)
    if request.form.get(HONEYPOT_FIELD):
        # A bot filled the hidden field: thank it as usual, store nothing.
        return _confirm(slug, new_reference("R"))
    try:
        receipt = send_online_submission(slug, target, _read_submission(), raw_token)
    except DuplicateSubmission as duplicate:
        db.session.rollback()
        return _confirm(slug, duplicate.reference)
    except AnswerErrors as problem:
        db.session.rollback()
        item = consultations.get_public_consultation(slug)
        return _render_form(item, form_token, request.form.to_dict(flat=False), problem.errors, 422)
    except DomainError as refused:
        db.session.rollback()
        if refused.status == 400:
            raise
        item = consultations.get_public_consultation(slug, with_questions=False)
        return _render_closed(item, refused.message, refused.status)
    db.session.commit()
    jobs.fold_tallies_after_response()
    return _confirm(slug, receipt.reference, receipt.prize_draw_reference, receipt.wants_updates)


def _confirm(slug: str, reference, prize_draw_reference=None, wants_updates=False):
    session[RECEIPT_KEY] = {
        "slug": slug,
        "reference": reference,
        "prize_draw_reference": prize_draw_reference,
        "wants_updates": wants_updates,
    }
    return redirect(url_for("surveys.confirmation", slug=slug), code=303)


@bp.get("/consultations/<slug>/confirmation")
def confirmation(slug: str):
    item = consultations.get_public_consultation(slug, with_questions=False)
    receipt = session.get(RECEIPT_KEY)
    if not receipt or receipt.get("slug") != slug:
        return redirect(url_for("surveys.consultation", slug=slug))
    return render_template("surveys/public/confirmation.html", consultation=item, receipt=receipt)
