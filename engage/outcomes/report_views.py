"""Staff pages: the board report, and its PDF made as a background job with a download link."""

from pathlib import Path

from flask import abort, redirect, render_template, request, url_for
from markupsafe import Markup

from engage.auth.decorators import roles_required
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.jobs.models import BackgroundJob, JobStatus
from engage.jobs.pages import job_or_404, send_job_file
from engage.outcomes import report, report_jobs, staff_bp
from engage.outcomes.forms import ButtonForm
from engage.outcomes.models import COMMITMENT_STATUS_LABELS
from engage.outcomes.views import READERS
from engage.surveys.models import Consultation

PRINT_CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "report.css"


@staff_bp.get("/<int:consultation_id>/report")
@roles_required(*READERS)
def board_report(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    return render_template(
        "outcomes/report.html",
        report=report.board_report(consultation),
        status_labels=COMMITMENT_STATUS_LABELS,
        button_form=ButtonForm(),
    )


@staff_bp.post("/<int:consultation_id>/report.pdf")
@roles_required(*READERS)
def start_board_report_pdf(consultation_id: int):
    """Start making the PDF of today's figures, or go to the job that already made them."""
    consultation = db.get_or_404(Consultation, consultation_id)
    if not ButtonForm().validate_on_submit():
        raise DomainError("Your form has expired. Reload the page and try again.", status=400)
    html = render_template(
        "outcomes/report_print.html",
        report=report.board_report(consultation),
        status_labels=COMMITMENT_STATUS_LABELS,
        print_css=Markup(PRINT_CSS.read_text(encoding="utf-8")),  # noqa: S704 - our own file
    )
    job = report_jobs.start_report_pdf(consultation, html, base_url=request.url_root)
    return redirect(url_for(".report_job", job_id=job.id), code=303)


def _report_job_or_404(job_id: int) -> tuple[BackgroundJob, Consultation | None]:
    job, consultation_id = job_or_404(job_id, report_jobs.consultation_id_of)
    return job, db.session.get(Consultation, consultation_id)


@staff_bp.get("/report-jobs/<int:job_id>")
@roles_required(*READERS)
def report_job(job_id: int):
    job, consultation = _report_job_or_404(job_id)
    return render_template(
        "outcomes/report_job.html",
        job=job,
        consultation=consultation,
        ready=job.status == JobStatus.DONE and report_jobs.report_file(job).exists(),
        button_form=ButtonForm(),
        now=utcnow(),
    )


@staff_bp.get("/report-jobs/<int:job_id>/board-report.pdf")
@roles_required(*READERS)
def download_report_pdf(job_id: int):
    job, consultation = _report_job_or_404(job_id)
    if consultation is None:
        abort(404)
    name = f"board-report-{consultation.slug}.pdf"
    return send_job_file(job, report_jobs.report_file(job), "application/pdf", name)
