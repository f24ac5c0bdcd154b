"""Form classes and fields shared by every capability's forms."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired


class RealDateField(DateField):
    """A date field whose message for an impossible date names the field."""

    data: Any  # as on wtforms' untyped fields; the form's validators decide what it holds

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date, like 2026-11-25") from None


class ActionForm(FlaskForm):
    """A form with only its CSRF token, for buttons that change something."""


class SentimentForm(FlaskForm):
    """Staff's reading of a text's sentiment; the service refuses anything but the three."""

    label = SelectField(
        "What does it say?",
        choices=[("negative", "Negative"), ("neutral", "Neutral"), ("positive", "Positive")],
        validate_choice=False,
        validators=[InputRequired("Choose positive, neutral or negative")],
    )
