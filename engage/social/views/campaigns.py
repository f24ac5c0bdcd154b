"""Staff pages: the campaigns, their settings, daily questions and collection history."""

from flask import flash, redirect, render_template, url_for

from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.core.db_types import utcnow
from engage.core.extensions import db
from engage.social import background, staff_bp
from engage.social.forms import CampaignForm, DailyQuestionForm, ImportUploadForm
from engage.social.models import Campaign
from engage.social.services import campaigns
from engage.social.services.campaigns import CampaignDetails, DailyQuestionDetails
from engage.social.services.collection import reach_warning, search_query
from engage.surveys.models import Consultation
from engage.web.form_saving import save_form

READERS = (Role.COMMS, Role.PCC)
EDITORS = (Role.COMMS,)


def campaign_or_404(slug: str) -> Campaign:
    return db.first_or_404(db.select(Campaign).where(Campaign.slug == slug))


def _consultation_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        db.select(Consultation.id, Consultation.title).order_by(Consultation.created_at.desc())
    )
    return [("", "None")] + [(str(cid), title) for cid, title in rows]


def _details(form: CampaignForm) -> CampaignDetails:
    return CampaignDetails(
        slug=form.slug.data.strip().lower(),
        name=form.name.data.strip(),
        hashtags=form.hashtags.data,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        consultation_id=int(form.consultation_id.data) if form.consultation_id.data else None,
        include_retweets=form.include_retweets.data,
        monthly_read_budget=form.monthly_read_budget.data,
        retention_days=form.retention_days.data,
    )


@staff_bp.get("/")
@roles_required(*READERS)
def campaign_list():
    return render_template(
        "social/campaign_list.html",
        campaigns=campaigns.list_campaigns(),
        counts=campaigns.post_counts(),
    )


@staff_bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_campaign():
    form = CampaignForm(monthly_read_budget=10_000, retention_days=365)
    form.consultation_id.choices = _consultation_choices()
    if saved := save_form(form, lambda: campaigns.create_campaign(_details(form))):
        flash("Campaign created. Now add its daily questions.", "success")
        return redirect(url_for(".campaign_setup", slug=saved.value.slug), code=303)
    status = 422 if form.errors else 200
    return render_template("social/campaign_form.html", form=form, campaign=None), status


@staff_bp.route("/<slug>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_campaign(slug: str):
    campaign = campaign_or_404(slug)
    form = CampaignForm(obj=campaign)
    form.consultation_id.choices = _consultation_choices()
    if not form.is_submitted():
        form.consultation_id.data = str(campaign.consultation_id or "")
        form.hashtags.data = " ".join(f"#{tag}" for tag in campaign.hashtag_list)
    if saved := save_form(form, lambda: campaigns.update_campaign(campaign, _details(form))):
        flash("Campaign saved.", "success")
        return redirect(url_for(".campaign_setup", slug=saved.value.slug), code=303)
    status = 422 if form.errors else 200
    return render_template("social/campaign_form.html", form=form, campaign=campaign), status


def _question_choices(campaign: Campaign) -> list[tuple[str, str]]:
    if campaign.consultation is None:
        return []
    return [
        (str(question.id), f"{number}. {question.prompt}")
        for number, question in enumerate(campaign.consultation.questions, start=1)
        if question.has_options
    ]


def _render_setup(
    campaign: Campaign, form: DailyQuestionForm, import_form: ImportUploadForm | None = None
):
    import_form = import_form or ImportUploadForm(formdata=None)
    status = 422 if form.errors or import_form.errors else 200
    return render_template(
        "social/campaign_setup.html",
        campaign=campaign,
        form=form,
        import_form=import_form,
        runs=campaigns.last_runs(campaign),
        reads_this_month=campaigns.reads_this_month(campaign, utcnow()),
        query=search_query(campaign),
        warning=reach_warning(campaign, utcnow()),
    ), status


@staff_bp.get("/<slug>/setup")
@roles_required(*READERS)
def campaign_setup(slug: str):
    campaign = campaign_or_404(slug)
    form = DailyQuestionForm()
    form.question_id.choices = _question_choices(campaign)
    return _render_setup(campaign, form)


@staff_bp.post("/<slug>/daily-questions")
@roles_required(*EDITORS)
def add_daily_question(slug: str):
    campaign = campaign_or_404(slug)
    form = DailyQuestionForm()
    form.question_id.choices = _question_choices(campaign)

    def add():
        return campaigns.add_daily_question(
            campaign,
            DailyQuestionDetails(
                question_id=int(form.question_id.data),
                platform=form.platform.data,
                post_id=form.post_id.data,
                posted_at=form.posted_at_value,
                text=form.text.data,
            ),
        )

    if save_form(form, add):
        flash("Daily question added; replies already stored are linked to it.", "success")
        return redirect(url_for(".campaign_setup", slug=slug), code=303)
    return _render_setup(campaign, form)


@staff_bp.post("/<slug>/imports")
@roles_required(*EDITORS)
def upload_import(slug: str):
    """Keep the uploaded file and start its import job; show the job's page."""
    campaign = campaign_or_404(slug)
    import_form = ImportUploadForm()
    if not import_form.validate_on_submit():
        form = DailyQuestionForm(formdata=None)
        form.question_id.choices = _question_choices(campaign)
        return _render_setup(campaign, form, import_form)
    job, started = background.start_import(
        campaign, import_form.file.data.stream, import_form.file_format.data
    )
    if not started:
        flash("This file was uploaded for this campaign before: here is its import.", "success")
    return redirect(url_for(".social_job", job_id=job.id), code=303)


@staff_bp.post("/<slug>/rescore")
@roles_required(*EDITORS)
def rescore_campaign(slug: str):
    """Start recomputing the campaign's posts' sentiment; show the job's page."""
    job = background.start_rescore(campaign_or_404(slug))
    return redirect(url_for(".social_job", job_id=job.id), code=303)
