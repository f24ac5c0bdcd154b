"""Serving uploaded documents: to the group that sent them and to staff who may see them."""

from flask import abort, send_file
from flask_login import current_user, login_required

from engage.activecitizens import bp
from engage.activecitizens.models import ApplicationDocument
from engage.activecitizens.services.documents import document_path, may_see
from engage.core.extensions import db
from engage.privacy.access_log import AccessKind, record_access


@bp.get("/documents/<int:document_id>")
@login_required
def download_document(document_id: int):
    document = db.session.get(ApplicationDocument, document_id)
    if document is None or not may_see(document, current_user):
        abort(404)
    path = document_path(document)
    if not path.exists():
        abort(404)
    record_access(current_user, AccessKind.GRANT_DOCUMENT, document.id)  # staff only, not the group
    db.session.commit()
    response = send_file(
        path,
        mimetype=document.content_type,
        # Always a download, photos too: never rendered in the app's origin, whatever it holds.
        as_attachment=True,
        download_name=document.original_name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    # Should a browser render it anyway, it runs sandboxed with nothing allowed.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
