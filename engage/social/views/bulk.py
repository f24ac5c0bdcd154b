"""Moderating from the dashboard's list: one action for every ticked post."""

from flask import flash, redirect, url_for
from flask_login import current_user

from engage.auth.decorators import roles_required
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.social import jobs, staff_bp
from engage.social.forms import BulkModerationForm
from engage.social.services.bulk_moderation import moderate_posts
from engage.social.views.campaigns import EDITORS, campaign_or_404
from engage.web.urls import safe_next_url


@staff_bp.post("/<slug>/posts/bulk")
@roles_required(*EDITORS)
def bulk_moderate(slug: str):
    campaign = campaign_or_404(slug)
    form = BulkModerationForm()
    back = safe_next_url(form.return_to.data) or url_for(".campaign_dashboard", slug=campaign.slug)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(back, code=303)
    try:
        done = moderate_posts(
            campaign, form.post_ids.data, form.action.data, current_user, form.reason.data or ""
        )
    except DomainError as refused:
        db.session.rollback()
        if refused.status == 404:
            raise
        flash(refused.message, "error")
        return redirect(back, code=303)
    db.session.commit()
    jobs.fold_after_response()
    flash(f"Done for {done} post{'' if done == 1 else 's'}.", "success")
    return redirect(back, code=303)
