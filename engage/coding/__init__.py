"""Coding free text: code frames built from suggested themes, and who applied which code.

Other packages use coding only through these public functions:
`engage.coding.services` (frame_for_question, existing_question_frame, frame_for_campaign,
accept_theme, reject_theme, rename_code, describe_code, merge_codes, assign_codes,
store_machine_codes, coding_progress, kappa_for_frame),
`engage.coding.texts.question_theme_counts` (code counts for results and exports) and the
long work in `engage.coding.suggesting` (find_frame_themes, train_suggestions), which the
background jobs in `engage.coding.jobs` run.
"""

from flask import Blueprint

staff_bp = Blueprint("coding_staff", __name__, url_prefix="/staff/coding")

from engage.coding.views import coding, frame  # noqa: E402,F401
