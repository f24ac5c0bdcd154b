"""Forms for building a code frame and coding texts with it."""

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from engage.analysis.themes import MAX_THEMES_LIMIT
from engage.coding.models import CODE_NAME_MAX, DESCRIPTION_MAX, NOTE_MAX
from engage.coding.texts import SAMPLE_MAX


class ButtonForm(FlaskForm):
    """Only a CSRF token, for buttons that change something."""


class SuggestThemesForm(FlaskForm):
    themes = IntegerField(
        "Themes to suggest",
        validators=[
            InputRequired("Enter how many themes to suggest"),
            NumberRange(1, MAX_THEMES_LIMIT, f"Enter a number between 1 and {MAX_THEMES_LIMIT}"),
        ],
    )


class AcceptThemeForm(FlaskForm):
    name = StringField(
        "Name of the code",
        description="Keep the suggested name or give it a clearer one.",
        validators=[DataRequired("Enter a name for the code"), Length(max=CODE_NAME_MAX)],
    )
    terms = HiddenField(validators=[Length(max=NOTE_MAX)])


class RejectThemeForm(FlaskForm):
    label = HiddenField(validators=[DataRequired("The theme has no label"), Length(max=200)])
    terms = HiddenField(validators=[Length(max=NOTE_MAX)])


class RenameCodeForm(FlaskForm):
    name = StringField(
        "New name",
        validators=[DataRequired("Enter a new name for the code"), Length(max=CODE_NAME_MAX)],
    )


class DescribeCodeForm(FlaskForm):
    description = TextAreaField(
        "What the code is for",
        description="Coders read this when deciding whether the code applies.",
        validators=[Optional(), Length(max=DESCRIPTION_MAX)],
    )


class MergeCodesForm(FlaskForm):
    # The service says why a code cannot be merged: one merged a moment ago, say.
    sources = SelectMultipleField("Codes to merge", coerce=int, validate_choice=False)
    target = SelectField("Merge them into", coerce=int, validate_choice=False)

    def validate_sources(self, field) -> None:
        if not field.data:
            raise ValidationError("Choose the codes to merge")


class CodingForm(FlaskForm):
    text = HiddenField(validators=[DataRequired("The text to code is missing")])
    # Every code id is accepted here; the service refuses one merged, rejected or not in the
    # frame with a message saying which.
    codes = SelectMultipleField("Codes that apply", coerce=int, validate_choice=False)


class SampleForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only chooses what to show

    size = IntegerField(
        "How many texts to code again",
        validators=[
            InputRequired("Enter how many texts to code again"),
            NumberRange(1, SAMPLE_MAX, f"Enter a number between 1 and {SAMPLE_MAX:,}"),
        ],
    )
