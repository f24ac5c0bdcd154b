"""Public pages: a closed consultation's published results ("we asked, you said, we did")."""

from flask import abort, render_template

from engage.coding.texts import question_theme_counts
from engage.outcomes.models import COMMITMENT_STATUS_LABELS
from engage.outcomes.services import public_outcomes
from engage.surveys import bp
from engage.surveys.models import ConsultationStatus
from engage.surveys.services import consultations
from engage.surveys.services.result_charts import results_charts
from engage.surveys.services.results import consultation_results


@bp.get("/consultations/<slug>/results")
def public_results(slug: str):
    item = consultations.get_public_consultation(slug)
    if item.status != ConsultationStatus.PUBLISHED:
        abort(404)
    results = consultation_results(item)
    return render_template(
        "surveys/public/results.html",
        consultation=item,
        results=results,
        charts=results_charts(results),
        themes=question_theme_counts(q.id for q in item.questions),
        outcomes=public_outcomes(item),
        status_labels=COMMITMENT_STATUS_LABELS,
    )
