"""Forms for asking for a reset link and choosing a new password."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from engage.auth.password_policy import PASSWORD_HINT


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter your email address"),
            Email("Enter an email address in the correct format, like name@example.org"),
            Length(max=254),
        ],
    )


class _AsksForCurrentPassword:
    # Declared before ResetPasswordForm's fields: WTForms orders fields by when they were
    # made, so "Current password" comes first on the page and in the error summary.
    current = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password"), Length(max=200)],
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        description=PASSWORD_HINT,
        validators=[DataRequired("Enter a new password"), Length(max=200)],
    )
    confirm = PasswordField(
        "Confirm new password",
        validators=[
            DataRequired("Enter the new password again"),
            EqualTo("password", "The two passwords do not match"),
        ],
    )


class ChangePasswordForm(_AsksForCurrentPassword, ResetPasswordForm):
    """The reset form's new password twice, after the one it replaces."""
