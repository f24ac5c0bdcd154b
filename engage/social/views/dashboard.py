"""The comms dashboard: volume, mood, hashtags, terms, codes and daily questions, and the posts."""

from flask import Response, current_app, render_template, request, stream_with_context
from flask_login import current_user

from engage.auth.decorators import roles_required
from engage.coding.counts import campaign_code_counts
from engage.core.db_types import utcnow
from engage.core.extensions import db
from engage.privacy.access_log import AccessKind, record_access
from engage.sentiment.corrections import campaign_correction_counts
from engage.social import jobs, staff_bp
from engage.social.forms import BulkModerationForm
from engage.social.models import POSITION_LABELS
from engage.social.services import campaigns, exports, top_terms
from engage.social.services.dashboard import (
    SHOW,
    check_filters,
    dashboard,
    flagged_counts,
    list_posts,
    served_by_tallies,
)
from engage.social.services.dashboard_charts import dashboard_charts
from engage.social.views.campaigns import EDITORS, READERS, campaign_or_404


@staff_bp.get("/<slug>")
@roles_required(*READERS)
def campaign_dashboard(slug: str):
    campaign = campaign_or_404(slug)
    filters = check_filters(campaign, request.args)
    record_access(current_user, AccessKind.SOCIAL_HANDLES, campaign.id)  # posts list handles
    db.session.commit()
    figures = dashboard(campaign, filters)
    if figures.pending_changes:
        jobs.fold_after_response()
    terms = top_terms.counted_terms(
        campaign, filters, current_app.config["TOP_TERMS_MAX_AGE_SECONDS"]
    )
    if terms.stale:
        jobs.count_terms_after_response(campaign.id, filters)
    codes = campaign_code_counts(campaign.id)
    return render_template(
        "social/dashboard.html",
        campaign=campaign,
        filters=filters,
        figures=figures,
        charts=dashboard_charts(figures, terms.terms, codes),
        terms=terms,
        terms_sample=top_terms.TERMS_SAMPLE,
        codes=codes,
        page=list_posts(
            campaign,
            filters,
            request.args.get("page", 1, type=int),
            total=figures.total if served_by_tallies(filters) else None,
        ),
        flagged=flagged_counts(campaign),
        show_choices=list(SHOW.items()),
        question_choices=[(str(d.id), d.question.prompt) for d in campaign.daily_questions],
        position_labels=POSITION_LABELS,
        last_run=campaigns.last_completed_x_run(campaign),
        may_moderate=current_user.has_role(*EDITORS),
        corrections=campaign_correction_counts(campaign.id),
        bulk_form=BulkModerationForm(formdata=None),
    )


@staff_bp.get("/<slug>/posts.csv")
@roles_required(*READERS)
def export_posts(slug: str):
    campaign = campaign_or_404(slug)
    filename = f"{campaign.slug}-posts-{utcnow():%Y%m%d}.csv"
    return Response(
        stream_with_context(exports.posts_csv(campaign)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
