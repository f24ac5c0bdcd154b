"""Staff pages: a consultation's results, with filters and breakdowns, and its comments."""

from flask import render_template, request

from engage.areas import AREA_NAMES_WITH_NOT_GIVEN
from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.coding.texts import question_theme_counts
from engage.extensions import db
from engage.social.services.dashboard import unclassified_replies
from engage.surveys import staff_bp
from engage.surveys.models import CHANNEL_LABELS, Consultation
from engage.surveys.services.free_text import (
    free_text_question,
    list_free_text,
    sentiment_counts,
)
from engage.surveys.services.result_charts import results_charts
from engage.surveys.services.results import check_filters, consultation_results

RESULTS_READERS = (Role.CONSULTATION, Role.PCC, Role.COMMS)


@staff_bp.get("/<int:consultation_id>/results")
@roles_required(*RESULTS_READERS)
def results(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    filters = check_filters(
        request.args.get("channel"), request.args.get("area"), request.args.get("compare")
    )
    outcome = consultation_results(consultation, filters)
    return render_template(
        "surveys/staff/results.html",
        unclassified_social=unclassified_replies(consultation.id),
        consultation=consultation,
        results=outcome,
        charts=results_charts(outcome),
        themes=question_theme_counts(q.id for q in consultation.questions),
        channel_choices=[(key.value, label) for key, label in CHANNEL_LABELS.items()],
        area_choices=list(AREA_NAMES_WITH_NOT_GIVEN.items()),
    )


@staff_bp.get("/<int:consultation_id>/questions/<int:question_id>/comments")
@roles_required(*RESULTS_READERS)
def free_text(consultation_id: int, question_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    question = free_text_question(consultation, question_id)
    sentiment = request.args.get("sentiment") or None
    search = (request.args.get("search") or "").strip() or None
    page = list_free_text(
        question, request.args.get("page", 1, type=int), sentiment=sentiment, search=search
    )
    return render_template(
        "surveys/staff/free_text.html",
        consultation=consultation,
        question=question,
        page=page,
        sentiment=sentiment,
        search=search,
        counts=sentiment_counts(question),
    )
