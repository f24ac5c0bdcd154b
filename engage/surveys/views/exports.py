"""Staff pages: CSV exports of responses, the results summary and the contact list."""

from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user

from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.coding.texts import question_theme_counts
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.jobs.models import BackgroundJob, JobStatus
from engage.jobs.pages import job_or_404, send_job_file
from engage.privacy.access_log import AccessKind, record_access
from engage.surveys import export_jobs, staff_bp
from engage.surveys.models import Consultation
from engage.surveys.services import exports, response_export, updates
from engage.surveys.services.results import check_filters
from engage.surveys.services.weighting import results_report
from engage.surveys.views.builder import render_overview
from engage.surveys.views.results import RESULTS_READERS


def _csv_download(lines, consultation: Consultation, name: str) -> Response:
    filename = f"{consultation.slug}-{name}.csv"
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@staff_bp.get("/<int:consultation_id>/export/responses.csv")
@roles_required(*RESULTS_READERS)
def export_responses(consultation_id: int):
    """Stream the CSV; too many responses for one request, offer to prepare it as a job."""
    consultation = db.get_or_404(Consultation, consultation_id)
    count = export_jobs.count_responses(consultation)
    if count > current_app.config["EXPORT_DIRECT_MAX_RESPONSES"]:
        return render_template(
            "surveys/staff/export_large.html", consultation=consultation, count=count
        )
    return _csv_download(response_export.responses_csv(consultation), consultation, "responses")


@staff_bp.post("/<int:consultation_id>/export/responses-job")
@roles_required(*RESULTS_READERS)
def start_responses_export(consultation_id: int):
    """Write the responses CSV in the background, for exports too big to wait for."""
    job = export_jobs.start_responses_export(db.get_or_404(Consultation, consultation_id))
    return redirect(url_for(".export_job", job_id=job.id), code=303)


def _export_job_or_404(job_id: int) -> tuple[BackgroundJob, Consultation | None]:
    job, consultation_id = job_or_404(job_id, export_jobs.consultation_id_of)
    return job, db.session.get(Consultation, consultation_id)


@staff_bp.get("/export-jobs/<int:job_id>")
@roles_required(*RESULTS_READERS)
def export_job(job_id: int):
    job, consultation = _export_job_or_404(job_id)
    return render_template(
        "surveys/staff/export_job.html",
        job=job,
        consultation=consultation,
        ready=job.status == JobStatus.DONE and export_jobs.export_file(job).exists(),
        now=utcnow(),
    )


@staff_bp.get("/export-jobs/<int:job_id>/responses.csv")
@roles_required(*RESULTS_READERS)
def download_export(job_id: int):
    job, consultation = _export_job_or_404(job_id)
    if consultation is None:
        abort(404)
    return send_job_file(
        job, export_jobs.export_file(job), "text/csv", f"{consultation.slug}-responses.csv"
    )


@staff_bp.get("/<int:consultation_id>/export/summary.csv")
@roles_required(*RESULTS_READERS)
def export_summary(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    filters = check_filters(
        request.args.get("channel"), request.args.get("area"), request.args.get("compare")
    )
    report = results_report(consultation, filters)
    themes = question_theme_counts(
        (q.id for q in consultation.questions), filters.channel, filters.area
    )
    return _csv_download(
        exports.summary_csv(report.results, report.weighted, report.representation, themes),
        consultation,
        "summary",
    )


@staff_bp.get("/<int:consultation_id>/export/contacts.csv")
@roles_required(Role.CONSULTATION)
def export_contacts(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    # Who took personal data out, and when; never what it contained.
    current_app.logger.info(
        "staff %s exported the contact list of consultation %s", current_user.id, consultation.id
    )
    record_access(current_user, AccessKind.CONTACT_EXPORT, consultation.id)
    db.session.commit()
    return _csv_download(exports.contacts_csv(consultation), consultation, "contacts")


@staff_bp.get("/<int:consultation_id>/export/subscribers.csv")
@roles_required(Role.CONSULTATION)
def export_subscribers(consultation_id: int):
    """The confirmed subscribers, once results are published; before, the overview says why not."""
    consultation = db.get_or_404(Consultation, consultation_id)
    try:
        lines = updates.subscribers_csv(consultation)
    except DomainError as refused:
        return render_overview(consultation, refused)
    current_app.logger.info(
        "staff %s exported the subscribers of consultation %s", current_user.id, consultation.id
    )
    return _csv_download(lines, consultation, "subscribers")
