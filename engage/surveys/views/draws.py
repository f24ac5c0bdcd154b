"""Staff pages: the prize draw of a closed consultation."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys import staff_bp
from engage.surveys.models import Consultation
from engage.surveys.services.draws import count_entrants, draw_prize, find_draw


def _page(consultation: Consultation, status: int = 200, error: str | None = None):
    return (
        render_template(
            "surveys/staff/prize_draw.html",
            consultation=consultation,
            draw=find_draw(consultation),
            entrants=count_entrants(consultation),
            form=FlaskForm(),
            error=error,
        ),
        status,
    )


@staff_bp.get("/<int:consultation_id>/prize-draw")
@roles_required(Role.CONSULTATION, Role.PCC)
def prize_draw(consultation_id: int):
    return _page(db.get_or_404(Consultation, consultation_id))


@staff_bp.post("/<int:consultation_id>/prize-draw")
@roles_required(Role.CONSULTATION)
def make_prize_draw(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    try:
        draw = draw_prize(consultation, current_user)
    except DomainError as refused:
        db.session.rollback()
        return _page(consultation, refused.status, refused.message)
    db.session.commit()
    flash(f"The winner is entry {draw.winner_reference}.", "success")
    return redirect(url_for("surveys_staff.prize_draw", consultation_id=consultation.id), code=303)
