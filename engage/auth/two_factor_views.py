"""Two-factor sign-in pages: the code after the password, set-up, and an admin's reset."""

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from engage.auth import bp, lockout, services, two_factor
from engage.auth.decorators import roles_required, staff_required
from engage.auth.forms import CodeForm
from engage.auth.models import Role, StaffUser
from engage.auth.throttling import login_limit
from engage.core.errors import DomainError
from engage.core.extensions import db, limiter

# Between a right password and a right code the session holds only this short-lived marker.
PENDING_KEY = "staff_2fa_pending"
PENDING_SECONDS = 300
SETUP_KEY = "staff_2fa_setup_secret"
# Pages a staff member who must set up two-factor sign-in can still reach.
OPEN_DURING_SETUP = {"auth.two_factor_setup", "auth.logout", "static", "web.favicon"}


def start_pending(user: StaffUser, next_url: str | None) -> None:
    """Remember a right password until the second factor arrives."""
    session[PENDING_KEY] = {
        "user_id": user.id,
        "expires": time.time() + PENDING_SECONDS,
        "next": next_url,
    }


def complete_sign_in(user: StaffUser, next_url: str | None):
    """Sign the staff member in and send them on; their failed attempts are forgotten."""
    lockout.clear("staff", user.email)
    services.record_sign_in(user)
    db.session.commit()
    login_user(user)
    current_app.logger.info("staff %s signed in", user.id)
    return redirect(next_url or url_for("auth.dashboard"))


def _pending_user() -> StaffUser | None:
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        flash("Sign in with your email address and password first.", "info")
        return None
    if pending.get("expires", 0) < time.time():
        session.pop(PENDING_KEY, None)
        flash("Your sign-in took too long. Sign in again.", "info")
        return None
    user = db.session.get(StaffUser, pending.get("user_id"))
    if user is None or not user.active or not two_factor.is_enabled(user):
        session.pop(PENDING_KEY, None)
        return None
    return user


@bp.route("/staff/login/code", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login_code():
    user = _pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    form = CodeForm()
    locked = None
    if form.validate_on_submit():
        # Codes count against the same account as passwords: six digits are quick to guess.
        locked = lockout.check("staff", user.email)
        if locked is not None:
            form.code.errors.append(locked.message)
        else:
            try:
                two_factor.verify(user, form.code.data)
            except DomainError as error:
                lockout.record_failure("staff", user.email)
                form.code.errors.append(error.message)
            else:
                next_url = session.pop(PENDING_KEY).get("next")
                return complete_sign_in(user, next_url)
    page = render_template("auth/login_code.html", form=form)
    return lockout.refusal(page, form, locked)


@bp.route("/staff/2fa", methods=["GET", "POST"])
@staff_required
def two_factor_setup():
    if two_factor.is_enabled(current_user):
        unused = two_factor.unused_recovery_codes(current_user)
        return render_template("auth/two_factor_on.html", unused=unused)
    # Kept with its owner's id: a browser shared after sign-out must not hand on the secret.
    saved = session.get(SETUP_KEY)
    if isinstance(saved, dict) and saved.get("user_id") == current_user.id:
        secret = saved["secret"]
    else:
        secret = two_factor.new_secret()
        session[SETUP_KEY] = {"user_id": current_user.id, "secret": secret}
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.enable(current_user, secret, form.code.data)
        except DomainError as error:
            form.code.errors.append(error.message)
        else:
            db.session.commit()
            session.pop(SETUP_KEY, None)
            # Shown this once only: the database keeps hashes.
            return render_template("auth/recovery_codes.html", codes=codes)
    status = 422 if form.errors else 200
    qr = two_factor.qr_svg(current_user, secret)
    return render_template("auth/two_factor_setup.html", form=form, qr=qr, secret=secret), status


@bp.post("/staff/users/<int:user_id>/2fa/reset")
@roles_required(Role.ADMIN)
def two_factor_reset(user_id: int):
    user = db.get_or_404(StaffUser, user_id)
    two_factor.reset(user)
    db.session.commit()
    current_app.logger.info(
        "staff %s reset two-factor sign-in of staff %s", current_user.id, user.id
    )
    flash(f"Two-factor sign-in is off for {user.email}; they set it up again next time.", "success")
    return redirect(url_for("auth.staff_edit", user_id=user.id))


@bp.before_app_request
def require_two_factor_setup():
    """Send staff who must use two-factor sign-in, and have not set it up, to set it up."""
    if "_user_id" not in session or request.endpoint in OPEN_DURING_SETUP:
        return None
    user = current_user
    if not (user.is_authenticated and user.is_staff) or two_factor.is_enabled(user):
        return None
    if two_factor.required_for(user):
        flash("Set up two-factor sign-in before you carry on.", "info")
        return redirect(url_for("auth.two_factor_setup"))
    return None
