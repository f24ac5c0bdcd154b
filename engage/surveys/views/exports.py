"""Staff pages: CSV exports of responses, the results summary and the contact list."""

from flask import Response, current_app, request, stream_with_context
from flask_login import current_user

from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.coding.texts import question_theme_counts
from engage.extensions import db
from engage.surveys import staff_bp
from engage.surveys.models import Consultation
from engage.surveys.services import exports
from engage.surveys.services.results import check_filters
from engage.surveys.services.weighting import results_report
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
    consultation = db.get_or_404(Consultation, consultation_id)
    return _csv_download(exports.responses_csv(consultation), consultation, "responses")


@staff_bp.get("/<int:consultation_id>/export/summary.csv")
@roles_required(*RESULTS_READERS)
def export_summary(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    filters = check_filters(
        request.args.get("channel"), request.args.get("area"), request.args.get("compare")
    )
    report = results_report(consultation, filters)
    themes = question_theme_counts(q.id for q in consultation.questions)
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
    return _csv_download(exports.contacts_csv(consultation), consultation, "contacts")
