"""Staff forms: a commitment, the grant that serves it, a quote to publish."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from engage.outcomes.models import (
    COMMITMENT_DETAIL_MAX,
    COMMITMENT_STATUS_LABELS,
    COMMITMENT_TITLE_MAX,
    OWNER_MAX,
    PROGRESS_NOTE_MAX,
    QUOTE_MAX,
)


class ButtonForm(FlaskForm):
    """Only a CSRF token, for buttons that change something."""


class CommitmentForm(FlaskForm):
    title = StringField(
        "What the force or PCC will do",
        validators=[
            DataRequired("Enter what the force or PCC will do"),
            Length(max=COMMITMENT_TITLE_MAX),
        ],
    )
    detail = TextAreaField(
        "Detail",
        description="Why, and what people said that led to it.",
        validators=[Length(max=COMMITMENT_DETAIL_MAX)],
    )
    owner = StringField(
        "Owner",
        description="The team or office answerable for it, like Neighbourhood Policing.",
        validators=[DataRequired("Enter who owns the commitment"), Length(max=OWNER_MAX)],
    )
    status = RadioField(
        "Status",
        choices=[(status.value, label) for status, label in COMMITMENT_STATUS_LABELS.items()],
        default="planned",
        validators=[DataRequired("Choose a status")],
    )
    progress_percent = IntegerField(
        "Progress (%)",
        description="0 to 100. Done sets it to 100.",
        validators=[
            Optional(),
            NumberRange(0, 100, "Progress must be between 0 and 100%%"),
        ],
    )
    progress_note = TextAreaField(
        "Progress so far",
        description="Shown to the public beside the status.",
        validators=[Length(max=PROGRESS_NOTE_MAX)],
    )


class LinkGrantForm(FlaskForm):
    application_id = SelectField("Grant", coerce=int, validate_choice=False)


class QuoteForm(FlaskForm):
    text = TextAreaField(
        "Words to quote",
        description="Shorten it if you like; take out names, places and anything personal.",
        validators=[DataRequired("Enter the words to quote"), Length(max=QUOTE_MAX)],
    )
    checked = BooleanField(
        "I have checked this quote for personal data and taken out anything that could "
        "identify someone"
    )
