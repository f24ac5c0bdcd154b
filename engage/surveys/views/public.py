"""Public pages: a consultation's survey, its confirmation and its published results."""

from flask import render_template

from engage.surveys import bp
from engage.surveys.services import consultations


@bp.get("/consultations/<slug>")
def consultation(slug: str):
    item = consultations.get_public_consultation(slug)
    return render_template("surveys/public/consultation.html", consultation=item)
