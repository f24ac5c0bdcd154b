"""Kiosks: staff open and switch off a tablet's link for an event; the kiosk page, its web app
manifest and service worker; and the endpoint the kiosk sends its waiting answers to."""

import uuid
from pathlib import Path

import segno
from flask import (
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.core.errors import DomainError
from engage.core.extensions import csrf, db
from engage.surveys import bp, jobs, staff_bp
from engage.surveys.kiosk_models import KIOSK_LABEL_MAX, KioskDevice
from engage.surveys.models import Consultation, Event
from engage.surveys.services import events, kiosks
from engage.surveys.services.kiosks import KioskRefused
from engage.surveys.services.responses import AnswerErrors
from engage.surveys.views.answer_forms import errors_in_page_order, read_answers
from engage.web.forms import ActionForm


def _event(consultation_id: int, event_id: int) -> Event:
    return events.get_event(db.get_or_404(Consultation, consultation_id), event_id)


def _kiosk_list(event: Event, opened=None, error: str | None = None, label="", status=200):
    link = url_for("surveys.kiosk_page", token=opened.token, _external=True) if opened else None
    return (
        render_template(
            "surveys/kiosk/staff_list.html",
            event=event,
            consultation=event.consultation,
            kiosks=[(kiosk, kiosks.kiosk_state(kiosk)) for kiosk in kiosks.list_kiosks(event)],
            opened=opened,
            link=link,
            qr=segno.make(link, error="m").svg_data_uri(scale=4) if link else None,
            error=error,
            label=label,
            label_max=KIOSK_LABEL_MAX,
            action_form=ActionForm(),
        ),
        status,
    )


@staff_bp.route("/<int:consultation_id>/events/<int:event_id>/kiosks", methods=["GET", "POST"])
@roles_required(Role.CONSULTATION)
def event_kiosks(consultation_id: int, event_id: int):
    """The event's kiosks; POST opens one for a tablet and shows its link this once."""
    event = _event(consultation_id, event_id)
    if request.method == "GET":
        return _kiosk_list(event)
    label = request.form.get("label", "")
    if not ActionForm().validate_on_submit():
        return _kiosk_list(event, error="The form expired. Try again.", label=label, status=400)
    try:
        opened = kiosks.open_kiosk(event, label, current_user)
    except DomainError as refused:
        db.session.rollback()
        return _kiosk_list(event, error=refused.message, label=label, status=422)
    db.session.commit()
    return _kiosk_list(event, opened=opened)


@staff_bp.post("/<int:consultation_id>/events/<int:event_id>/kiosks/<int:kiosk_id>/revoke")
@roles_required(Role.CONSULTATION)
def revoke_kiosk(consultation_id: int, event_id: int, kiosk_id: int):
    """Switch a kiosk's link off: it sends nothing more; its waiting answers stay on the tablet."""
    event = _event(consultation_id, event_id)
    if ActionForm().validate_on_submit():
        kiosk = kiosks.revoke_kiosk(event, kiosk_id)
        db.session.commit()
        flash(f"The kiosk link for {kiosk.label} is switched off.", "success")
    return redirect(
        url_for("surveys_staff.event_kiosks", consultation_id=consultation_id, event_id=event_id),
        code=303,
    )


def _refused_page(refused: KioskRefused):
    return render_template("surveys/kiosk/refused.html", refused=refused), refused.status


def _kiosk_form(kiosk: KioskDevice, token: str, values=None, errors=None, status: int = 200):
    errors = errors or {}
    consultation = kiosk.event.consultation
    return (
        render_template(
            "surveys/kiosk/page.html",
            kiosk=kiosk,
            event=kiosk.event,
            consultation=consultation,
            token=token,
            client_id=str(uuid.uuid4()),
            values=values or {},
            errors=errors,
            error_list=[
                ("kiosk-form" if name == "form" else name, message)
                for name, message in errors_in_page_order(consultation.questions, errors)
            ],
        ),
        status,
    )


@bp.route("/kiosk/<token>", methods=["GET", "POST"])
def kiosk_page(token: str):
    """The kiosk: the consultation's questions, answered one person after another.

    With JavaScript the answers wait on the tablet and go to `kiosk_responses`; without it
    this POST stores one answer straight away (online only).
    """
    try:
        kiosk = kiosks.read_kiosk(token)
    except KioskRefused as refused:
        return _refused_page(refused)
    if request.method == "GET":
        return _kiosk_form(kiosk, token)
    form = request.form
    if not ActionForm().validate_on_submit():
        errors = {"form": "The page expired. Answer the questions again."}
        return _kiosk_form(kiosk, token, form.to_dict(flat=False), errors, 400)
    try:
        receipt = kiosks.record_kiosk_response(kiosk, form.get("client_id", ""), read_answers(form))
    except AnswerErrors as problem:
        db.session.rollback()
        return _kiosk_form(kiosk, token, form.to_dict(flat=False), problem.errors, 422)
    except DomainError as refused:
        db.session.rollback()
        errors = {"form": refused.message}
        return _kiosk_form(kiosk, token, form.to_dict(flat=False), errors, refused.status)
    db.session.commit()
    if not receipt.already_stored:
        jobs.fold_tallies_after_response()
    flash("Thank you: your answers are saved. The next person can start now.", "success")
    return redirect(url_for("surveys.kiosk_page", token=token), code=303)


@bp.post("/kiosk/<token>/responses")
@csrf.exempt  # authenticated by the signed kiosk link instead; the body is JSON, not a form
def kiosk_responses(token: str):
    """Store one waiting answer sent by the kiosk's script; a resend stores nothing twice."""
    try:
        kiosk = kiosks.read_kiosk(token)
    except KioskRefused as refused:
        return jsonify(status=refused.state, message=refused.message), refused.status
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        body = {}
    answers = body.get("answers")
    if not isinstance(answers, dict) or not all(
        isinstance(values, list) and all(isinstance(value, str) for value in values)
        for values in answers.values()
    ):
        return jsonify(status="bad_request", message="The kiosk sent an unreadable answer."), 400
    try:
        receipt = kiosks.record_kiosk_response(kiosk, str(body.get("client_id", "")), answers)
    except AnswerErrors as problem:
        db.session.rollback()
        message = " ".join(problem.errors.values())
        return jsonify(status="bad_answers", message=message, errors=problem.errors), 422
    except DomainError as refused:
        db.session.rollback()
        return jsonify(status="refused", message=refused.message), refused.status
    db.session.commit()
    if receipt.already_stored:
        return jsonify(status="already_stored", reference=receipt.reference), 200
    jobs.fold_tallies_after_response()
    return jsonify(status="stored", reference=receipt.reference), 201


@bp.get("/kiosk/<token>/manifest.webmanifest")
def kiosk_manifest(token: str):
    """The web app manifest that lets the kiosk be installed on the tablet's home screen."""
    try:
        kiosk = kiosks.read_kiosk(token)
    except KioskRefused as refused:
        return jsonify(status=refused.state, message=refused.message), refused.status
    manifest = {
        "name": f"{kiosk.event.name}: kiosk",
        "short_name": "Kiosk",
        "start_url": url_for("surveys.kiosk_page", token=token),
        "scope": url_for("surveys.kiosk_service_worker").rsplit("/", 1)[0] + "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b0c0c",
        "icons": [
            {
                "src": url_for("static", filename=f"kiosk/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
            }
            for size in (192, 512)
        ],
    }
    response = jsonify(manifest)
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/kiosk/sw.js")
def kiosk_service_worker():
    """The kiosk's service worker, served from /kiosk/ so that its scope covers every kiosk."""
    script = Path(current_app.static_folder or "", "kiosk", "sw.js").read_text(encoding="utf-8")
    return current_app.response_class(
        script, mimetype="text/javascript", headers={"Cache-Control": "no-cache"}
    )
