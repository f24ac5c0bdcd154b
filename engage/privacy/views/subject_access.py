"""Admin pages: find what is held about a person, export it as a ZIP, or erase it."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.privacy import staff_bp
from engage.privacy.forms import ErasureForm, SubjectForm
from engage.privacy.subject_access import Subject, erase_subject, export_subject, find_subject
from engage.web.form_saving import field_error


def _page(form: SubjectForm, subject: Subject | None = None, status: int = 200, erase=None):
    query = form.query.data if subject is not None else ""
    if subject is None:
        form.query.data = (form.query.data or "")[:300]  # shown back, but not 70,000 characters
    return render_template(
        "privacy/subject_access.html",
        form=form,
        subject=subject,
        export_form=SubjectForm(formdata=None, query=query),
        erase_form=erase or ErasureForm(formdata=None, query=query),
    ), status


def _found(form: SubjectForm) -> Subject | None:
    """The subject the form's query names, or None with the reason put on the form."""
    form.validate()
    if form.query.errors:
        return None
    try:
        return find_subject(form.query.data)
    except DomainError as error:
        field_error(form, error)
        form.refusal_status = error.status
        return None


@staff_bp.get("/subject-access")
@roles_required(Role.ADMIN)
def subject_access():
    form = SubjectForm(request.args, meta={"csrf": False})
    if "query" not in request.args:
        return _page(SubjectForm(formdata=None))
    subject = _found(form)
    if subject is None:
        return _page(form, status=getattr(form, "refusal_status", 422))
    return _page(form, subject)


@staff_bp.post("/subject-access/export")
@roles_required(Role.ADMIN)
def export_subject_data():
    form = SubjectForm()
    subject = _found(form)
    if subject is None or form.errors:
        return _page(form, status=getattr(form, "refusal_status", 422))
    reference, content = export_subject(subject, current_user.id)
    db.session.commit()
    return Response(
        content,
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{reference}.zip"',
            "Cache-Control": "no-store",
        },
    )


@staff_bp.post("/subject-access/erase")
@roles_required(Role.ADMIN)
def erase_subject_data():
    form = ErasureForm()
    subject = _found(form)
    if subject is None:
        return _page(form, status=getattr(form, "refusal_status", 422))
    if form.errors:
        return _page(SubjectForm(formdata=None, query=form.query.data), subject, 422, form)
    try:
        reference, counts = erase_subject(subject, current_user.id)
    except DomainError as error:
        db.session.rollback()
        form.refusal = error.message
        subject = find_subject(form.query.data)
        return _page(SubjectForm(formdata=None, query=form.query.data), subject, error.status, form)
    db.session.commit()
    flash(
        f"Erased under request {reference}: {counts['contact_requests']} contact record(s), "
        f"{counts['group_account']} group account(s), {counts['grant_applications']} "
        f"application(s) anonymised, {counts['grant_documents']} document(s) deleted.",
        "success",
    )
    return redirect(url_for(".subject_access"), code=303)
