"""Serving uploaded documents: to the group that sent them and to staff who may see them."""

from flask import abort, send_file
from flask_login import current_user, login_required

from engage.activecitizens import bp
from engage.activecitizens.models import ApplicationDocument, ConflictDeclaration, ReviewAssignment
from engage.activecitizens.services.documents import document_path
from engage.auth.models import Role
from engage.extensions import db


def _may_see(document: ApplicationDocument) -> bool:
    application = document.application
    if not current_user.is_staff:
        return application.group_id == current_user.id
    if current_user.has_role(Role.PCC):
        return True
    if current_user.role == Role.REVIEWER:
        # Only a reviewer assigned to it who has declared no conflict of interest.
        return (
            db.session.scalar(
                db.select(ReviewAssignment.id).where(
                    ReviewAssignment.application_id == application.id,
                    ReviewAssignment.reviewer_id == current_user.id,
                    ReviewAssignment.declaration == ConflictDeclaration.NO_CONFLICT,
                )
            )
            is not None
        )
    return False


@bp.get("/documents/<int:document_id>")
@login_required
def download_document(document_id: int):
    document = db.session.get(ApplicationDocument, document_id)
    if document is None or not _may_see(document):
        abort(404)
    path = document_path(document)
    if not path.exists():
        abort(404)
    response = send_file(
        path,
        mimetype=document.content_type,
        as_attachment=not document.content_type.startswith("image/"),
        download_name=document.original_name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
