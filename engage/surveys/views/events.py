"""Staff pages: a consultation's events, and keying in the paper responses from one."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.core.areas import RESPONDENT_AREAS
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys import jobs, staff_bp
from engage.surveys.forms import EventForm
from engage.surveys.models import AGE_BAND_LABELS, EVENT_KIND_LABELS, Consultation, Event
from engage.surveys.services import events, form_tokens
from engage.surveys.services.events import EventDetails
from engage.surveys.services.responses import AnswerErrors, DuplicateSubmission
from engage.surveys.views.answer_forms import errors_in_page_order, read_about_you, read_answers
from engage.surveys.views.builder import READERS
from engage.web.form_saving import save_form
from engage.web.forms import ActionForm


def _details(form: EventForm) -> EventDetails:
    return EventDetails(
        kind=form.kind.data,
        name=form.name.data or "",
        held_on=form.held_on.data,
        area=form.area.data,
        venue=form.venue.data or "",
        attendees=form.attendees.data,
    )


def _to_events(consultation: Consultation):
    return redirect(url_for("surveys_staff.event_list", consultation_id=consultation.id), code=303)


@staff_bp.get("/<int:consultation_id>/events")
@roles_required(*READERS)
def event_list(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    kind = request.args.get("kind") or None
    area = request.args.get("area") or None
    return render_template(
        "surveys/staff/event_list.html",
        consultation=consultation,
        page=events.list_events(consultation, kind, area, request.args.get("page", 1, type=int)),
        kind=kind,
        area=area,
        counts=events.responses_per_event(consultation),
        kind_labels=EVENT_KIND_LABELS,
        kind_choices=[(k.value, label) for k, label in EVENT_KIND_LABELS.items()],
        area_choices=[(a.slug, a.name) for a in RESPONDENT_AREAS],
    )


@staff_bp.route("/<int:consultation_id>/events/new", methods=["GET", "POST"])
@roles_required(Role.CONSULTATION)
def new_event(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = EventForm()
    if save_form(form, lambda: events.add_event(consultation, _details(form))):
        flash(f"Added {form.name.data.strip()}.", "success")
        return _to_events(consultation)
    return _event_form(form, consultation)


@staff_bp.route("/<int:consultation_id>/events/<int:event_id>/edit", methods=["GET", "POST"])
@roles_required(Role.CONSULTATION)
def edit_event(consultation_id: int, event_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    event = events.get_event(consultation, event_id)
    form = EventForm(obj=event)
    if request.method == "GET":
        form.kind.data = event.kind.value
    if save_form(form, lambda: events.update_event(event, _details(form))):
        flash(f"Saved {event.name}.", "success")
        return _to_events(consultation)
    return _event_form(form, consultation, event)


def _event_form(form: EventForm, consultation: Consultation, event: Event | None = None):
    return (
        render_template(
            "surveys/staff/event_form.html", form=form, consultation=consultation, event=event
        ),
        422 if form.errors else 200,
    )


@staff_bp.route(
    "/<int:consultation_id>/events/<int:event_id>/responses/new", methods=["GET", "POST"]
)
@roles_required(Role.CONSULTATION)
def paper_entry(consultation_id: int, event_id: int):
    """Key in paper responses one after another: save, then a blank form for the next."""
    consultation = db.get_or_404(Consultation, consultation_id)
    event = events.get_event(consultation, event_id)
    if request.method == "GET":
        return _paper_form(event, form_tokens.issue_form_token())
    form_token = request.form.get("form_token")
    raw_token = form_tokens.read_form_token(form_token)
    form = request.form
    try:
        response = events.record_paper_response(
            event,
            read_answers(form),
            read_about_you(form),
            form_token=raw_token,
            entered_by=current_user,
        )
    except DuplicateSubmission as duplicate:
        db.session.rollback()
        flash(f"Response {duplicate.reference} was already saved; it was not saved twice.", "info")
        return _to_paper_entry(event)
    except AnswerErrors as problem:
        db.session.rollback()
        return _paper_form(event, form_token, form.to_dict(flat=False), problem.errors, 422)
    except DomainError as refused:
        db.session.rollback()
        return _paper_form(
            event, form_token, form.to_dict(flat=False), {"form": refused.message}, refused.status
        )
    db.session.commit()
    jobs.fold_tallies_after_response()
    flash(f"Saved response {response.reference}. Enter the next paper form.", "success")
    return _to_paper_entry(event)


@staff_bp.post("/<int:consultation_id>/events/<int:event_id>/responses/undo")
@roles_required(Role.CONSULTATION)
def undo_paper_response(consultation_id: int, event_id: int):
    """Delete the last response this person keyed in for the event, after a slip of the keys."""
    consultation = db.get_or_404(Consultation, consultation_id)
    event = events.get_event(consultation, event_id)
    if not ActionForm().validate_on_submit():
        return _to_paper_entry(event)
    reference = events.undo_paper_response(event, request.form.get("reference", ""), current_user)
    db.session.commit()
    flash(f"Response {reference} was deleted. Key it in again if you need to.", "success")
    return _to_paper_entry(event)


def _to_paper_entry(event: Event):
    return redirect(
        url_for(
            "surveys_staff.paper_entry", consultation_id=event.consultation_id, event_id=event.id
        ),
        code=303,
    )


def _paper_form(event: Event, form_token: str | None, values=None, errors=None, status: int = 200):
    errors = errors or {}
    consultation = event.consultation
    error_list = [
        ("paper-form" if name == "form" else name, message)
        for name, message in errors_in_page_order(consultation.questions, errors)
    ]
    return (
        render_template(
            "surveys/staff/paper_entry.html",
            consultation=consultation,
            event=event,
            form_token=form_token,
            values=values or {},
            errors=errors,
            error_list=error_list,
            entered=events.count_event_responses(event),
            undoable=events.last_undoable_response(event, current_user),
            action_form=ActionForm(),
            age_bands=list(AGE_BAND_LABELS.items()),
            area_choices=[(area.slug, area.name) for area in RESPONDENT_AREAS],
        ),
        status,
    )
