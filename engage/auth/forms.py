"""Forms for signing in and managing staff."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from engage.auth.models import ROLE_LABELS
from engage.auth.password_policy import MIN_PASSWORD_LENGTH, PASSWORD_HINT

ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]


class LoginForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password"), Length(max=200)]
    )


class NewStaffForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired("Enter their name"), Length(max=120)])
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter their email address"),
            Email("Enter an email address in the correct format, like name@example.org"),
            Length(max=254),
        ],
    )
    role = SelectField("Role", choices=ROLE_CHOICES)
    password = PasswordField(
        "Temporary password",
        description=f"{PASSWORD_HINT} Give it to them in person or by phone.",
        validators=[
            DataRequired("Enter a temporary password"),
            Length(min=MIN_PASSWORD_LENGTH, max=200),
        ],
    )


class EditStaffForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
    active = BooleanField("Account is active (can sign in)")


class CodeForm(FlaskForm):
    code = StringField(
        "Code",
        description="The 6-digit code from your authenticator app, or one of your recovery codes.",
        validators=[DataRequired("Enter the code from your authenticator app"), Length(max=20)],
    )
