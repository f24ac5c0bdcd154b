"""Forgotten password pages for staff and community groups."""

import secrets

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from engage.auth.session_guard import keep_session_current
from engage.auth.throttling import email_key, login_limit
from engage.core.errors import DomainError
from engage.core.extensions import db, limiter
from engage.mail.sending import send_email
from engage.passwords import bp, services
from engage.passwords.forms import ChangePasswordForm, ForgotPasswordForm, ResetPasswordForm

SIGN_IN = {"staff": "auth.login", "group": "activecitizens.sign_in"}
HOME = {"staff": "auth.dashboard", "group": "activecitizens.group_home"}


def reset_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def _reset_body(link: str) -> str:
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"] // 60
    return (
        "Someone asked to reset the password for your engage account.\n\n"
        f"To choose a new password, open this link within {minutes} minutes:\n{link}\n\n"
        "The link works once. If you did not ask, ignore this email: your password stays "
        "as it is.\n"
    )


@bp.route("/forgot/<kind>", methods=["GET", "POST"])
@limiter.limit(reset_limit, methods=["POST"])
@limiter.limit(reset_limit, methods=["POST"], key_func=email_key)
def forgot(kind: str):
    if kind not in services.ACCOUNT_KINDS:
        abort(404)
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        reset = services.request_reset(kind, form.email.data)
        if reset is not None:
            link = url_for(".reset", token=reset.token, _external=True)
            send_email(
                reset.email,
                "Reset your engage password",
                _reset_body(link),
                key=f"reset:{kind}:{reset.account_id}:{secrets.token_hex(8)}",
            )
            current_app.logger.info("password reset asked for %s %s", kind, reset.account_id)
        # The same page whether or not the account exists, so nobody learns who has one.
        return redirect(url_for(".sent", kind=kind), code=303)
    status = 422 if form.errors else 200
    return render_template(
        "passwords/forgot.html", form=form, kind=kind, sign_in=SIGN_IN[kind]
    ), status


@bp.get("/sent/<kind>")
def sent(kind: str):
    if kind not in services.ACCOUNT_KINDS:
        abort(404)
    return render_template("passwords/sent.html", kind=kind, sign_in=SIGN_IN[kind])


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(reset_limit, methods=["POST"])
def reset(token: str):
    try:
        account = services.account_for_token(token)
    except DomainError as error:
        return render_template("passwords/link_problem.html", message=error.message), error.status
    kind = "staff" if getattr(account, "is_staff", False) else "group"
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except DomainError as error:
            form.password.errors.append(error.message)
        else:
            db.session.commit()
            current_app.logger.info("password reset for %s %s", kind, account.id)
            flash("Your password has been changed. Sign in with your new password.", "success")
            return redirect(url_for(SIGN_IN[kind]), code=303)
    status = 422 if form.errors else 200
    return render_template("passwords/reset.html", form=form), status


@bp.route("/change", methods=["GET", "POST"])
@login_required
@limiter.limit(login_limit, methods=["POST"])
def change():
    account = current_user._get_current_object()
    kind = "staff" if account.is_staff else "group"
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(account, form.current.data, form.password.data)
        except DomainError as error:
            getattr(form, error.field or "password").errors.append(error.message)
        else:
            db.session.commit()
            keep_session_current(account)
            current_app.logger.info("password changed for %s %s", kind, account.id)
            flash(
                "Your password has been changed. Anywhere else you were signed in, you are "
                "now signed out.",
                "success",
            )
            return redirect(url_for(HOME[kind]), code=303)
    status = 422 if form.errors else 200
    return render_template("passwords/change.html", form=form, home=HOME[kind]), status
