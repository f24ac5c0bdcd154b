"""Coding free text: code frames built from suggested themes, and who applied which code.

Other packages use coding only through these public functions:
`engage.coding.services` (frame_for_question, existing_question_frame, frame_for_campaign,
accept_theme, reject_theme, rename_code, describe_code, merge_codes, assign_codes,
store_machine_codes, coding_progress, kappa_for_frame),
`engage.coding.texts.question_theme_counts` (code counts for results and exports) and the
long work in `engage.coding.suggesting` (find_frame_themes, train_suggestions), which the
background jobs in `engage.coding.jobs` run.
"""

from flask import Blueprint, Flask

staff_bp = Blueprint("coding_staff", __name__, url_prefix="/staff/coding")


def register(app: Flask) -> None:
    """Attach the code-frame and coding pages.

    Loaded here, not on import, so another package importing this one's models or services
    does not pull in every view (and the import cycles that come with them).
    """
    from engage.coding.views import coding, frame  # noqa: F401  (routes register on import)

    app.register_blueprint(staff_bp)
