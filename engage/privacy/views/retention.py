"""Admin page: the retention schedule, each period settable within its bounds, and the log."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.privacy import staff_bp
from engage.privacy.forms import RetentionForm
from engage.privacy.retention import recent_deletions
from engage.privacy.schedule import BY_KEY, CLASSES, retention_days, set_retention
from engage.web.form_saving import field_error


def _page(failed: RetentionForm | None = None, status: int = 200):
    periods = retention_days()
    forms = {
        c.key: RetentionForm(formdata=None, data_class=c.key, days=periods[c.key]) for c in CLASSES
    }
    if failed is not None and failed.data_class.data in forms:
        forms[failed.data_class.data] = failed
    return render_template(
        "privacy/retention.html",
        classes=CLASSES,
        periods=periods,
        forms=forms,
        failed=failed,
        deletions=recent_deletions(),
    ), status


@staff_bp.get("/retention")
@roles_required(Role.ADMIN)
def retention_schedule():
    return _page()


@staff_bp.post("/retention")
@roles_required(Role.ADMIN)
def set_retention_period():
    form = RetentionForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    try:
        set_retention(form.data_class.data, int(form.days.data), current_user.id)
    except DomainError as error:
        db.session.rollback()
        field_error(form, error)
        return _page(form, error.status if error.status >= 400 else 422)
    db.session.commit()
    flash(f"{BY_KEY[form.data_class.data].label}: kept {int(form.days.data):,} days.", "success")
    return redirect(url_for(".retention_schedule"), code=303)
