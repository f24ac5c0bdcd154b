"""Themes and the code frame: suggested themes to accept or reject; codes to rename, describe
and merge, with their history."""

from typing import cast

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from engage.analysis.code_suggester import MIN_EXAMPLES
from engage.analysis.themes import MAX_THEMES_LIMIT
from engage.coding import jobs, services, staff_bp
from engage.coding.forms import (
    AcceptThemeForm,
    ButtonForm,
    DescribeCodeForm,
    MergeCodesForm,
    RejectThemeForm,
    RenameCodeForm,
    SuggestThemesForm,
)
from engage.coding.models import Code, CodeStatus
from engage.coding.suggesting import decided_themes
from engage.coding.views import Owner, owner_or_404
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.jobs.models import JobStatus
from engage.web.form_saving import save_form

PREFIX = "/<any(question, campaign):kind>/<int:owner_id>"


def _to(endpoint: str, owner: Owner, **values):
    return redirect(url_for(endpoint, kind=owner.kind, owner_id=owner.id, **values))


@staff_bp.get(PREFIX)
def overview(kind: str, owner_id: int, merge_form: MergeCodesForm | None = None, status=200):
    owner = owner_or_404(kind, owner_id)
    active = [code for code in owner.frame.codes if code.status == CodeStatus.ACTIVE]
    merge_form = merge_form or MergeCodesForm()
    merge_form.sources.choices = [(code.id, code.name) for code in active]
    merge_form.target.choices = [(code.id, code.name) for code in active]
    return render_template(
        "coding/overview.html",
        owner=owner,
        progress=services.coding_progress(owner.frame),
        active=active,
        inactive=[code for code in owner.frame.codes if code.status != CodeStatus.ACTIVE],
        merge_form=merge_form,
        min_examples=MIN_EXAMPLES,
        button_form=ButtonForm(),
    ), status


@staff_bp.get(PREFIX + "/themes")
def themes(
    kind: str,
    owner_id: int,
    forms: dict | None = None,
    ask: SuggestThemesForm | None = None,
    status=200,
):
    """The themes found in the frame's texts (by a job the page starts), to accept or reject."""
    owner = owner_or_404(kind, owner_id)
    wanted = min(max(request.args.get("themes", 8, type=int), 1), MAX_THEMES_LIMIT)
    job = jobs.current_themes_job(owner.frame, wanted)
    shown = job if job is not None and job.status == JobStatus.DONE else None
    shown = shown or jobs.latest_themes_job(owner.frame)  # a done job, holding its result
    suggestions = decided_themes(owner.frame, cast(dict, shown.result)) if shown else None
    forms = forms or {}
    accept = {}
    for index, theme in enumerate(suggestions.themes if suggestions else (), 1):
        form = forms.get(index) or AcceptThemeForm(prefix=f"theme-{index}", formdata=None)
        if index not in forms:
            form.name.data, form.terms.data = theme.label, theme.terms
        accept[index] = form
    accept = forms | accept  # a refused form's message is shown even if its theme is not
    return render_template(
        "coding/themes.html",
        owner=owner,
        job=job,
        shown=shown,
        suggestions=suggestions,
        wanted=wanted,
        limit=MAX_THEMES_LIMIT,
        ask=ask or SuggestThemesForm(formdata=None, themes=wanted),
        accept=accept,
        reject=RejectThemeForm(formdata=None),
        now=utcnow(),
    ), status


@staff_bp.post(PREFIX + "/themes")
def suggest_themes(kind: str, owner_id: int):
    """Start finding themes in the texts as they are now, or show those already found."""
    owner = owner_or_404(kind, owner_id)
    form = SuggestThemesForm()
    if not form.validate_on_submit():
        return themes(kind, owner_id, ask=form, status=422)
    jobs.start_theme_suggestion(owner.frame, form.themes.data)
    return redirect(
        url_for("coding_staff.themes", kind=kind, owner_id=owner_id, themes=form.themes.data),
        code=303,
    )


@staff_bp.post(PREFIX + "/themes/<int:index>/accept")
def accept_theme(kind: str, owner_id: int, index: int):
    owner = owner_or_404(kind, owner_id, edit=True)
    form = AcceptThemeForm(prefix=f"theme-{index}")
    saved = save_form(
        form,
        lambda: services.accept_theme(
            owner.frame, form.name.data, current_user, terms=form.terms.data or ""
        ),
    )
    if saved:
        flash(f"“{saved.value.name}” is now a code.", "success")
        return _to("coding_staff.themes", owner, themes=request.args.get("themes"))
    return themes(kind, owner_id, forms={index: form}, status=422)


@staff_bp.post(PREFIX + "/themes/reject")
def reject_theme(kind: str, owner_id: int):
    owner = owner_or_404(kind, owner_id, edit=True)
    form = RejectThemeForm()
    saved = save_form(
        form,
        lambda: services.reject_theme(
            owner.frame, form.label.data, current_user, terms=form.terms.data or ""
        ),
    )
    if not saved:
        # The form has hidden fields only: its refusal is the page's message.
        errors = [error for field in form for error in field.errors]
        raise DomainError(errors[0] if errors else "Reload the page and try again.")
    flash(f"“{saved.value.name}” was rejected; the history keeps it.", "success")
    return _to("coding_staff.themes", owner, themes=request.args.get("themes"))


def _code_or_404(owner: Owner, code_id: int) -> Code:
    code = db.get_or_404(Code, code_id)
    if code.frame_id != owner.frame.id:
        raise DomainError("That code is not in this question's or campaign's codes.", status=404)
    return code


@staff_bp.get(PREFIX + "/codes/<int:code_id>")
def code(kind: str, owner_id: int, code_id: int, rename=None, describe=None, status=200):
    owner = owner_or_404(kind, owner_id)
    item = _code_or_404(owner, code_id)
    describe = describe or DescribeCodeForm(formdata=None, description=item.description)
    return render_template(
        "coding/code.html",
        owner=owner,
        code=item,
        count=services.coding_progress(owner.frame).by_code.get(item.id),
        rename=rename or RenameCodeForm(formdata=None, name=item.name),
        describe=describe,
    ), status


@staff_bp.post(PREFIX + "/codes/<int:code_id>/rename")
def rename_code(kind: str, owner_id: int, code_id: int):
    owner = owner_or_404(kind, owner_id, edit=True)
    item = _code_or_404(owner, code_id)
    form = RenameCodeForm()
    if save_form(form, lambda: services.rename_code(item, form.name.data, current_user)):
        flash("Code renamed; its old name stays in its history.", "success")
        return _to("coding_staff.code", owner, code_id=code_id)
    return code(kind, owner_id, code_id, rename=form, status=422)


@staff_bp.post(PREFIX + "/codes/<int:code_id>/describe")
def describe_code(kind: str, owner_id: int, code_id: int):
    owner = owner_or_404(kind, owner_id, edit=True)
    item = _code_or_404(owner, code_id)
    form = DescribeCodeForm()
    if save_form(
        form, lambda: services.describe_code(item, form.description.data or "", current_user)
    ):
        flash("Description saved.", "success")
        return _to("coding_staff.code", owner, code_id=code_id)
    return code(kind, owner_id, code_id, describe=form, status=422)


@staff_bp.post(PREFIX + "/merge")
def merge_codes(kind: str, owner_id: int):
    owner = owner_or_404(kind, owner_id, edit=True)
    form = MergeCodesForm()
    codes = {code.id: code for code in owner.frame.codes}

    def merge() -> int:
        chosen = [codes.get(code_id) for code_id in form.sources.data]
        target = codes.get(form.target.data)
        if target is None or None in chosen:  # so `chosen` holds only codes below
            raise DomainError("That code is not in this question's or campaign's codes.")
        return services.merge_codes(cast(list[Code], chosen), target, current_user)

    saved = save_form(form, merge)
    if saved:
        flash(f"Codes merged: {saved.value} codings moved.", "success")
        return _to("coding_staff.overview", owner)
    return overview(kind, owner_id, merge_form=form, status=422)
