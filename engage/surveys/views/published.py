"""Public pages: a closed consultation's published results ("we asked, you said, we did")."""

from flask import render_template

from engage.surveys import bp
from engage.surveys.services import consultations


@bp.get("/consultations/<slug>/results")
def public_results(slug: str):
    item = consultations.get_public_consultation(slug)
    return render_template("surveys/public/consultation.html", consultation=item)
