"""Staff pages: a consultation's results, with filters and breakdowns, and its comments."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.coding.texts import question_theme_counts
from engage.core.areas import AREA_NAMES_WITH_NOT_GIVEN
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.sentiment import corrections as sentiment_corrections
from engage.social.services.moderation import unclassified_replies
from engage.surveys import staff_bp
from engage.surveys.models import CHANNEL_LABELS, Consultation
from engage.surveys.services.free_text import (
    free_text_question,
    list_free_text,
    sentiment_counts,
)
from engage.surveys.services.result_charts import results_charts
from engage.surveys.services.results import check_filters
from engage.surveys.services.weighting import results_report
from engage.web.forms import SentimentForm
from engage.web.urls import safe_next_url

RESULTS_READERS = (Role.CONSULTATION, Role.PCC, Role.COMMS)
CORRECTORS = (Role.CONSULTATION,)


@staff_bp.get("/<int:consultation_id>/results")
@roles_required(*RESULTS_READERS)
def results(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    filters = check_filters(
        request.args.get("channel"), request.args.get("area"), request.args.get("compare")
    )
    report = results_report(consultation, filters)
    return render_template(
        "surveys/staff/results.html",
        unclassified_social=unclassified_replies(consultation.id),
        consultation=consultation,
        results=report.results,
        weighted=report.weighted,
        representation=report.representation,
        charts=results_charts(report.results, report.representation, report.weighted),
        themes=question_theme_counts(
            (q.id for q in consultation.questions), filters.channel, filters.area
        ),
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
        corrections_made=sentiment_corrections.consultation_correction_counts(consultation.id),
        corrections=sentiment_corrections.corrections_of_answers(
            [answer.id for answer in page.items]
        ),
        may_correct=current_user.has_role(*CORRECTORS),
        sentiment_form=SentimentForm(formdata=None),
    )


@staff_bp.post(
    "/<int:consultation_id>/questions/<int:question_id>/comments/<int:answer_id>/sentiment"
)
@roles_required(*CORRECTORS)
def correct_comment_sentiment(consultation_id: int, question_id: int, answer_id: int):
    """Record staff's reading of one comment; a bad label or comment shows why, storing nothing."""
    consultation = db.get_or_404(Consultation, consultation_id)
    question = free_text_question(consultation, question_id)
    form = SentimentForm()
    if not form.validate_on_submit():
        raise DomainError("Choose positive, neutral or negative.", status=400)
    sentiment_corrections.correct_answer(consultation.id, answer_id, form.label.data, current_user)
    db.session.commit()
    flash(
        "Correction saved. The model's polarity is kept; the correction is counted apart.",
        "success",
    )
    back = url_for(".free_text", consultation_id=consultation.id, question_id=question.id)
    return redirect(safe_next_url(request.form.get("back")) or back, code=303)
