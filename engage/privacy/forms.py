"""Forms of the data protection pages."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp, ValidationError

from engage.privacy.schedule import BY_KEY

QUERY_MAX = 254


class RetentionForm(FlaskForm):
    data_class = HiddenField(validators=[DataRequired()])
    days = StringField(
        "Days to keep",
        validators=[
            InputRequired("Enter the number of days, like 365"),
            Regexp(r"^\s*\d{1,6}\s*$", message="Enter a whole number of days, like 365"),
        ],
    )

    def validate_data_class(self, field) -> None:
        if field.data not in BY_KEY:
            raise ValidationError("Choose one of the data classes listed")


class SubjectForm(FlaskForm):
    """Whose data: an email address or a reference (prize-draw entry P…, application ACF-…)."""

    query = StringField(
        "Email address or reference",
        validators=[
            DataRequired("Enter an email address or a reference"),
            Length(max=QUERY_MAX, message=f"Enter {QUERY_MAX} characters or fewer"),
        ],
    )


class ErasureForm(SubjectForm):
    confirm = BooleanField(
        "I have checked this person's identity and their request is for erasure",
        validators=[DataRequired("Confirm you have checked the request before erasing")],
    )
