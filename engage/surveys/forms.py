"""Staff forms: consultation details, questions, status changes, events and paper responses."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from engage.core.areas import AREA_NAMES
from engage.surveys.models import (
    EVENT_KIND_LABELS,
    FREE_TEXT_HARD_MAX,
    HELP_MAX,
    OPTION_MAX,
    PROMPT_MAX,
    QUESTION_KIND_LABELS,
    SUMMARY_MAX,
    TITLE_MAX,
)
from engage.surveys.population_models import MAX_POPULATION
from engage.surveys.services.builder import SLUG_MAX
from engage.surveys.services.representation import SURVEY_AGE_BAND_LABELS
from engage.web.forms import RealDateField


class ConsultationForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[DataRequired("Enter a title"), Length(max=TITLE_MAX)],
    )
    slug = StringField(
        "Web address",
        description="Lower-case letters, numbers and hyphens, like policing-plan. "
        "Leave blank to make one from the title.",
        validators=[Optional(), Length(max=SLUG_MAX)],
    )
    summary = TextAreaField(
        "Summary",
        description="Shown to the public above the questions: why you are asking, and what "
        "happens to the answers.",
        validators=[Length(max=SUMMARY_MAX)],
    )
    opens_on = RealDateField(
        "Opening date",
        validators=[InputRequired("Enter the opening date")],
    )
    closes_on = RealDateField(
        "Closing date",
        validators=[InputRequired("Enter the closing date")],
    )
    outcome = TextAreaField(
        "What we did",
        description="What the force and the PCC decided because of the answers. "
        "Shown with the published results; needed before publishing.",
        validators=[Length(max=SUMMARY_MAX)],
    )


class QuestionForm(FlaskForm):
    kind = RadioField(
        "Type of question",
        choices=[(kind.value, label) for kind, label in QUESTION_KIND_LABELS.items()],
        validators=[InputRequired("Select the type of question")],
    )
    prompt = StringField(
        "Question",
        validators=[DataRequired("Enter the question"), Length(max=PROMPT_MAX)],
    )
    help_text = StringField(
        "Help text",
        description="A hint shown under the question.",
        validators=[Length(max=HELP_MAX)],
    )
    required = BooleanField("People must answer this question")
    options = TextAreaField(
        "Options",
        description="For single and multiple choice: one option per line. Agreement, "
        "yes/no and rating questions have fixed options.",
        validators=[Length(max=8000)],
    )
    exclusive_option = StringField(
        "Option chosen on its own",
        description="For multiple choice: an option, such as ‘None of these’, that cannot be "
        "ticked with the others. Type it exactly as in the options.",
        validators=[Length(max=OPTION_MAX)],
    )
    max_length = IntegerField(
        "Longest answer allowed, in characters",
        description=f"For free text only: up to {FREE_TEXT_HARD_MAX:,}.",
        validators=[
            Optional(),
            NumberRange(1, FREE_TEXT_HARD_MAX, f"Enter a number from 1 to {FREE_TEXT_HARD_MAX:,}"),
        ],
    )


class EventForm(FlaskForm):
    kind = SelectField(
        "Kind of event",
        choices=[(kind.value, label) for kind, label in EVENT_KIND_LABELS.items()],
    )
    name = StringField("Name", validators=[DataRequired("Enter the event's name"), Length(max=200)])
    held_on = RealDateField("Date", validators=[InputRequired("Enter the date it was held")])
    venue = StringField("Venue", validators=[Length(max=200)])
    area = SelectField(
        "Area",
        choices=[("", "Choose the area")] + list(AREA_NAMES.items()),
        validators=[DataRequired("Choose the area it was held in")],
    )
    attendees = IntegerField(
        "People who attended",
        validators=[Optional(), NumberRange(0, 1_000_000, "Enter a number of people, 0 or more")],
    )


class PeopleField(IntegerField):
    """A count of people: commas and spaces allowed, a clear message for anything else."""

    data: Any  # as on wtforms' untyped fields; the form's validators decide what it holds

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [valuelist[0].replace(",", "").replace(" ", "")]
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(f"{self.label.text} must be a whole number, like 345300") from None


def _people_range(label: str) -> NumberRange:
    return NumberRange(1, MAX_POPULATION, f"{label} must be between 1 and {MAX_POPULATION:,}")


class PopulationForm(FlaskForm):
    population = PeopleField(
        "Population, all ages",
        validators=[InputRequired("Enter the population"), _people_range("The population")],
    )
    source = StringField(
        "Source",
        description="Where the figures come from, such as ONS, Census 2021.",
        validators=[Length(max=200)],
    )

    def age_fields(self):
        return [self[f"age_{band}"] for band in SURVEY_AGE_BAND_LABELS]

    def age_bands(self) -> dict[str, int | None]:
        return {band: self[f"age_{band}"].data for band in SURVEY_AGE_BAND_LABELS}


def _aged(label: str) -> str:
    return f"Aged {label[0].lower()}{label[1:]}"


for _band, _label in SURVEY_AGE_BAND_LABELS.items():
    setattr(
        PopulationForm,
        f"age_{_band}",
        PeopleField(_aged(_label), validators=[Optional(), _people_range(_aged(_label))]),
    )
