"""Sign-in, sign-out and the administrator's staff pages."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user

from engage.auth import bp, lockout, services, session_guard, two_factor
from engage.auth.decorators import roles_required, staff_required
from engage.auth.forms import EditStaffForm, LoginForm, NewStaffForm
from engage.auth.models import Role, StaffUser
from engage.auth.throttling import email_key, login_limit
from engage.auth.two_factor_views import complete_sign_in, start_pending
from engage.auth.worklist import work_for
from engage.core.errors import DomainError
from engage.core.extensions import db, limiter, login_manager
from engage.web.catalogues import every_catalogue
from engage.web.urls import safe_next_url

login_manager.login_view = "auth.login"
login_manager.login_message = "Sign in to see that page."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str):
    return session_guard.still_valid(services.load_session_user(user_id))


@bp.route("/staff/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
@limiter.limit(login_limit, methods=["POST"], key_func=email_key)
def login():
    if current_user.is_authenticated and current_user.is_staff:
        return redirect(url_for("auth.dashboard"))
    form = LoginForm()
    locked = None
    if form.validate_on_submit():
        # A locked-out account's password is not even checked, so guessing learns nothing.
        locked = lockout.check("staff", form.email.data)
        if locked is not None:
            form.email.errors.append(locked.message)
        else:
            user = services.authenticate(form.email.data, form.password.data)
            if user is not None:
                next_url = safe_next_url(request.args.get("next"))
                if two_factor.is_enabled(user):
                    start_pending(user, next_url)
                    return redirect(url_for("auth.login_code"))
                return complete_sign_in(user, next_url)
            lockout.record_failure("staff", form.email.data)
            form.email.errors.append(
                "Email address or password is not right, or the account is disabled"
            )
    page = render_template("auth/login.html", form=form)
    return lockout.refusal(page, form, locked)


@bp.post("/staff/logout")
@login_required
def logout():
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("web.home"))


@bp.get("/staff/")
@staff_required
def dashboard():
    items = work_for(current_user)
    sections: dict[str, list] = {}
    for item in items:
        sections.setdefault(item.section, []).append(item)
    return render_template("auth/dashboard.html", sections=sections)


@bp.get("/staff/languages")
@staff_required
def languages():
    """The public pages' languages: how complete, and whether a fluent reader checked them."""
    return render_template("auth/languages.html", catalogues=every_catalogue())


@bp.route("/staff/users", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def staff_list():
    form = NewStaffForm()
    if form.validate_on_submit():
        try:
            user = services.create_staff(
                form.email.data, form.name.data, form.role.data, form.password.data
            )
        except DomainError as error:
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            db.session.commit()
            flash(f"Account created for {user.email}.", "success")
            return redirect(url_for("auth.staff_list"))
    status = 422 if form.errors else 200
    staff = services.list_staff()
    page = render_template("auth/staff_list.html", staff=staff, form=form, two_factor=two_factor)
    return page, status


@bp.route("/staff/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def staff_edit(user_id: int):
    user = db.get_or_404(StaffUser, user_id)
    form = EditStaffForm(obj=user, role=user.role.value)
    if form.validate_on_submit():
        try:
            services.update_staff(user, form.role.data, form.active.data, current_user)
        except DomainError as error:
            form.role.errors.append(error.message)
        else:
            db.session.commit()
            flash(f"Saved changes to {user.email}.", "success")
            return redirect(url_for("auth.staff_list"))
    status = 422 if form.errors else 200
    page = render_template("auth/staff_edit.html", user=user, form=form, two_factor=two_factor)
    return page, status
