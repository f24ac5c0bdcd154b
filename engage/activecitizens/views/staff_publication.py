"""Staff pages: publishing a round's awards after confirming what becomes public, and undoing it."""

from flask import flash, redirect, render_template, url_for

from engage.activecitizens import staff_bp
from engage.activecitizens.forms import PublishAwardsForm, WithdrawPublicationForm
from engage.activecitizens.services import publication, rounds
from engage.activecitizens.services.rounds import area_name
from engage.activecitizens.views.access import acting, today
from engage.activecitizens.views.staff_rounds import OFFICE, round_or_404
from engage.auth.decorators import roles_required
from engage.web.form_saving import save_form


def _to_round(slug: str):
    return redirect(url_for(".round_page", slug=slug), code=303)


@staff_bp.route("/rounds/<slug>/publish", methods=["GET", "POST"])
@roles_required(*OFFICE)
def publish_round(slug: str):
    funding_round = round_or_404(slug)
    if funding_round.awards_published_at is not None:
        flash("This round's awards are already published.", "success")
        return _to_round(slug)
    form = PublishAwardsForm()
    if save_form(form, lambda: rounds.publish_awards(funding_round, acting())):
        flash("The round's awards are published on the public funded projects page.", "success")
        return _to_round(slug)
    return render_template(
        "activecitizens/staff/publish_confirm.html",
        funding_round=funding_round,
        preview=publication.publication_preview(funding_round, today()),
        area_name=area_name,
        form=form,
    ), 422 if form.errors else 200


@staff_bp.route("/rounds/<slug>/unpublish", methods=["GET", "POST"])
@roles_required(*OFFICE)
def withdraw_publication(slug: str):
    funding_round = round_or_404(slug)
    if funding_round.awards_published_at is None:
        flash("This round's awards are not published.", "success")
        return _to_round(slug)
    form = WithdrawPublicationForm()
    if save_form(
        form,
        lambda: rounds.withdraw_publication(funding_round, acting(), form.reason.data or ""),
    ):
        flash("The round's awards are no longer public.", "success")
        return _to_round(slug)
    return render_template(
        "activecitizens/staff/unpublish.html", funding_round=funding_round, form=form
    ), 422 if form.errors else 200
