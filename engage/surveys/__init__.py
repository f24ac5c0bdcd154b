"""Consultations: building surveys, answering them online or on paper, and their results.

What other packages use: the models in `engage.surveys.models` they refer to (Consultation,
Question, Answer, Response, Channel...) and these services: `responses` (submit_response,
withdraw_response, AboutYou, CleanAnswer: social counts a reply with a position as a response),
`consultations` (list_open_consultations, list_published_consultations), `results`
(ConsultationResults, Filters), `weighting` (results_report), `events` (responses_per_event),
`free_text` (sentiment_counts) and `representation` (Representation), for the board report.
"""

from flask import Blueprint, Flask

from engage.surveys.models import CHANNEL_LABELS

bp = Blueprint("surveys", __name__)
staff_bp = Blueprint("surveys_staff", __name__, url_prefix="/staff/consultations")


@bp.app_template_filter("channel_label")
def channel_label(value) -> str:
    """A response channel's name for any template ('Online survey', 'Roadshow'...)."""
    return CHANNEL_LABELS.get(value, str(value))


def register(app: Flask) -> None:
    """Attach the survey pages and the consultations' staff-home work.

    Loaded here, not on import, so another package importing this one's models or services
    does not pull in every view (and the import cycles that come with them).
    """
    from engage.surveys import views  # noqa: F401  (routes register on import)
    from engage.surveys.services import worklist  # noqa: F401  (staff-home work registers)

    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
