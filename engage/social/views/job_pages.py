"""Staff page: a social job's progress and report, refreshing itself until it finishes."""

from flask import abort, render_template

from engage.auth.decorators import roles_required
from engage.core.db_types import utcnow
from engage.core.extensions import db
from engage.jobs.models import BackgroundJob
from engage.social import background, staff_bp
from engage.social.models import Campaign
from engage.social.views.campaigns import READERS

TITLES = {
    background.KIND: "Importing a file of posts",
    background.RESCORE_KIND: "Rescoring posts' sentiment",
}


@staff_bp.get("/jobs/<int:job_id>")
@roles_required(*READERS)
def social_job(job_id: int):
    job = db.get_or_404(BackgroundJob, job_id)
    campaign_id = background.campaign_id_of(job)
    if campaign_id is None:
        abort(404)
    return render_template(
        "social/job.html",
        job=job,
        campaign=db.session.get(Campaign, campaign_id),
        what=TITLES[job.kind],
        now=utcnow(),
    )
