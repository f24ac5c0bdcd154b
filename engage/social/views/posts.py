"""One post: what it says, its flags, its position, and who did what to it."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from engage.analysis.sentiment import polarity_label, suggested_position
from engage.auth.decorators import roles_required
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.privacy.access_log import AccessKind, record_access
from engage.sentiment import corrections as sentiment_corrections
from engage.social import jobs, staff_bp
from engage.social.forms import NoteForm, PositionForm, ReasonForm
from engage.social.models import POSITION_LABELS, SocialPost
from engage.social.services import moderation
from engage.social.services.bulk_moderation import next_reply_to_classify, original_url
from engage.social.views.campaigns import EDITORS, READERS, campaign_or_404
from engage.web.form_saving import field_error
from engage.web.forms import ActionForm, SentimentForm

SIGNPOST = (
    "Thank you for telling us. Please don't report crime here: call 101, or report it online "
    "at west-midlands.police.uk. In an emergency always call 999."
)


def _post_or_404(slug: str, post_id: int) -> SocialPost:
    campaign = campaign_or_404(slug)
    post = db.get_or_404(SocialPost, post_id)
    if post.campaign_id != campaign.id:
        abort(404)
    return post


def _render(post: SocialPost, status: int = 200, **forms):
    forms.setdefault("reason_form", ReasonForm(formdata=None, prefix="hide"))
    forms.setdefault("note_form", NoteForm(formdata=None, prefix="add"))
    current = post.position.value if post.position else None
    forms.setdefault("position_form", PositionForm(formdata=None, position=current))
    correction = sentiment_corrections.correction_of_post(post.id)
    forms.setdefault(
        "sentiment_form",
        SentimentForm(
            formdata=None,
            prefix="sentiment",
            label=correction.label if correction else polarity_label(post.polarity),
        ),
    )
    return render_template(
        "social/post.html",
        post=post,
        campaign=post.campaign,
        action_form=ActionForm(),
        position_labels=POSITION_LABELS,
        sentiment=polarity_label(post.polarity),
        correction=correction,
        suggestion=suggested_position(post.polarity),
        signpost=SIGNPOST,
        may_moderate=current_user.has_role(*EDITORS),
        original_url=original_url(post),
        **forms,
    ), status


@staff_bp.get("/<slug>/posts/<int:post_id>")
@roles_required(*READERS)
def post_detail(slug: str, post_id: int):
    post = _post_or_404(slug, post_id)
    if post.author_handle:
        record_access(current_user, AccessKind.SOCIAL_POST, post.id)
        db.session.commit()
    return _render(post)


def _act(post: SocialPost, form, action, done: str, form_name: str | None = None, then=None):
    """Run a moderation action: commit and go back to the post, or show why it was refused.

    A refusal about a field shows on that form (422); any other refusal, such as a published
    consultation (409), goes to the error page with its own status.
    """
    forms = {form_name: form} if form_name else {}
    if not form.validate_on_submit():
        return _render(post, 422, **forms)
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        if not (form_name and error.field and hasattr(form, error.field)):
            raise
        field_error(form, error)
        return _render(post, error.status, **forms)
    db.session.commit()
    jobs.fold_after_response()
    flash(done, "success")
    target = then() if then else None
    return redirect(
        target or url_for(".post_detail", slug=post.campaign.slug, post_id=post.id), code=303
    )


@staff_bp.post("/<slug>/posts/<int:post_id>/hide")
@roles_required(*EDITORS)
def hide_post(slug: str, post_id: int):
    post = _post_or_404(slug, post_id)
    form = ReasonForm(prefix="hide")
    return _act(
        post,
        form,
        lambda: moderation.hide_post(post, current_user, form.note.data),
        "Post hidden from every public view and export. It is kept for audit.",
        "reason_form",
    )


@staff_bp.post("/<slug>/posts/<int:post_id>/unhide")
@roles_required(*EDITORS)
def unhide_post(slug: str, post_id: int):
    post = _post_or_404(slug, post_id)
    action = lambda: moderation.unhide_post(post, current_user, "")  # noqa: E731
    return _act(post, ActionForm(), action, "Post shown again.")


@staff_bp.post("/<slug>/posts/<int:post_id>/flags/<flag>/<any(on, off):state>")
@roles_required(*EDITORS)
def flag_post(slug: str, post_id: int, flag: str, state: str):
    post = _post_or_404(slug, post_id)
    action = lambda: moderation.set_flag(post, current_user, flag, state == "on")  # noqa: E731
    return _act(post, ActionForm(), action, "Flag updated.")


@staff_bp.post("/<slug>/posts/<int:post_id>/notes")
@roles_required(*EDITORS)
def note_post(slug: str, post_id: int):
    post = _post_or_404(slug, post_id)
    form = NoteForm(prefix="add")
    action = lambda: moderation.add_note(post, current_user, form.note.data)  # noqa: E731
    return _act(post, form, action, "Note added.", "note_form")


@staff_bp.post("/<slug>/posts/<int:post_id>/position")
@roles_required(*EDITORS)
def position_post(slug: str, post_id: int):
    post = _post_or_404(slug, post_id)
    form = PositionForm()
    action = lambda: moderation.set_position(post, current_user, form.position.data)  # noqa: E731
    return _act(
        post,
        form,
        action,
        "Position saved; it counts in the consultation's results.",
        "position_form",
        then=(lambda: _next_reply_url(post)) if request.form.get("then") == "next" else None,
    )


@staff_bp.post("/<slug>/posts/<int:post_id>/sentiment")
@roles_required(*EDITORS)
def correct_post_sentiment(slug: str, post_id: int):
    post = _post_or_404(slug, post_id)
    form = SentimentForm(prefix="sentiment")
    action = lambda: sentiment_corrections.correct_post(post, form.label.data, current_user)  # noqa: E731
    return _act(
        post,
        form,
        action,
        "Correction saved. The model's polarity is kept; the correction is counted apart.",
        "sentiment_form",
    )


def _next_reply_url(post: SocialPost) -> str:
    """The next reply waiting for a position, or the queue (empty now) when there is none."""
    following = next_reply_to_classify(post.campaign, post)
    if following is None:
        flash("No more replies are waiting for a position.", "success")
        return url_for(".campaign_dashboard", slug=post.campaign.slug, show="unclassified")
    return url_for(".post_detail", slug=post.campaign.slug, post_id=following.id)
