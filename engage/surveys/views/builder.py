"""Staff pages: the list of consultations and the survey builder."""

from flask import render_template
from sqlalchemy import select

from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.extensions import db
from engage.surveys import staff_bp
from engage.surveys.models import Consultation


@staff_bp.get("/")
@roles_required(Role.CONSULTATION, Role.PCC, Role.COMMS)
def consultation_list():
    consultations = db.session.scalars(select(Consultation).order_by(Consultation.id.desc()))
    return render_template("surveys/staff/consultation_list.html", consultations=consultations)
