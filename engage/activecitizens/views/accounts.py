"""Community groups register, sign in and out, and keep their details up to date."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from engage.activecitizens import bp
from engage.activecitizens.forms import GroupDetailsForm, RegisterForm, SignInForm
from engage.activecitizens.models import OrganisationType
from engage.activecitizens.services import groups, status_emails
from engage.activecitizens.services.groups import GroupDetails
from engage.activecitizens.views.access import group_required
from engage.auth import lockout
from engage.auth.throttling import email_key, login_limit
from engage.core.extensions import db, limiter
from engage.web.form_saving import save_form
from engage.web.forms import ActionForm
from engage.web.urls import safe_next_url


def _details(form: GroupDetailsForm) -> GroupDetails:
    return GroupDetails(
        name=form.name.data,
        organisation_type=OrganisationType(form.organisation_type.data),
        charity_number=form.charity_number.data or "",
        company_number=form.company_number.data or "",
        contact_name=form.contact_name.data,
        phone=form.phone.data or "",
        address=form.address.data,
        postcode=form.postcode.data,
        bank_account_in_group_name=form.bank_account_in_group_name.data,
        has_safeguarding_policy=form.has_safeguarding_policy.data,
    )


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def register():
    form = RegisterForm()
    saved = save_form(
        form, lambda: groups.register_group(form.email.data, form.password.data, _details(form))
    )
    if saved:
        login_user(saved.value)
        current_app.logger.info("community group %s registered", saved.value.id)
        flash("Your group is registered. You can now start an application.", "success")
        return redirect(url_for(".group_home"), code=303)
    status = 422 if form.errors else 200
    return render_template("activecitizens/group/register.html", form=form), status


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
@limiter.limit(login_limit, methods=["POST"], key_func=email_key)
def sign_in():
    if current_user.is_authenticated and not current_user.is_staff:
        return redirect(url_for(".group_home"))
    form = SignInForm()
    locked = None
    if form.validate_on_submit():
        locked = lockout.check("group", form.email.data)
        if locked is not None:
            form.email.errors.append(locked.message)
        else:
            group = groups.authenticate_group(form.email.data, form.password.data)
            if group is not None:
                db.session.commit()
                lockout.clear("group", group.email)
                login_user(group)
                return redirect(safe_next_url(request.args.get("next")) or url_for(".group_home"))
            lockout.record_failure("group", form.email.data)
            form.email.errors.append("Email address or password is not right")
    page = render_template("activecitizens/group/sign_in.html", form=form)
    return lockout.refusal(page, form, locked)


@bp.post("/sign-out")
@group_required
def sign_out():
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for(".fund_home"))


@bp.route("/my/details", methods=["GET", "POST"])
@group_required
def group_details():
    group = current_user._get_current_object()
    form = GroupDetailsForm(obj=group)
    if not form.is_submitted():
        form.organisation_type.data = group.organisation_type.value
    if save_form(form, lambda: groups.update_group(group, _details(form))):
        flash("Your group's details are saved.", "success")
        return redirect(url_for(".group_home"), code=303)
    status = 422 if form.errors else 200
    page = render_template(
        "activecitizens/group/details.html", form=form, group=group, resume_form=ActionForm()
    )
    return page, status


@bp.post("/my/emails/resume")
@group_required
def resume_status_emails():
    """Start the emails about the group's applications' progress again, after a stop link."""
    form = ActionForm()
    if form.validate_on_submit() and status_emails.resume_status_emails(
        current_user._get_current_object()
    ):
        db.session.commit()
        flash("We will email you again when an application moves on.", "success")
    return redirect(url_for(".group_details"), code=303)
