"""Staff forms for campaigns, daily questions and moderation."""

from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from engage.social.models import (
    HASHTAGS_MAX,
    NAME_MAX,
    NOTE_MAX,
    PLATFORM_LABELS,
    POSITION_LABELS,
)
from engage.social.services.readers import parse_timestamp
from engage.web.forms import RealDateField


class CampaignForm(FlaskForm):
    name = StringField(
        "Name", validators=[DataRequired("Enter the campaign's name"), Length(max=NAME_MAX)]
    )
    slug = StringField(
        "Short name",
        description="Lower-case letters, digits and hyphens, like wmp2020. Used in commands.",
        validators=[DataRequired("Enter a short name"), Length(max=80)],
    )
    hashtags = StringField(
        "Hashtags",
        description="One or more, separated by spaces, like #WMP2020 #WestMidsPolice.",
        validators=[DataRequired("Enter at least one hashtag"), Length(max=HASHTAGS_MAX)],
    )
    starts_on = RealDateField("First day", validators=[InputRequired("Enter the first day")])
    ends_on = RealDateField("Last day", validators=[InputRequired("Enter the last day")])
    consultation_id = SelectField("Consultation", description="Replies count in its results.")
    include_retweets = BooleanField("Collect reposts as well as original posts and replies")
    monthly_read_budget = IntegerField(
        "Monthly read budget (posts)",
        description="X charges for each post read (about $0.005). Collection stops here.",
        validators=[
            InputRequired("Enter the monthly read budget, in posts"),
            NumberRange(min=0, max=2_000_000, message="Enter a budget from 0 to 2,000,000"),
        ],
    )
    retention_days = IntegerField(
        "Keep posts for (days)",
        description="Posts older than this are deleted by 'flask --app engage social purge'.",
        validators=[
            InputRequired("Enter how many days to keep posts"),
            NumberRange(min=1, max=3650, message="Keep posts for 1 to 3,650 days"),
        ],
    )


class DailyQuestionForm(FlaskForm):
    question_id = SelectField("Consultation question it asks")
    platform = SelectField(
        "Platform", choices=[(p.value, label) for p, label in PLATFORM_LABELS.items()]
    )
    post_id = StringField(
        "Post id",
        description="From the post's web address: x.com/WMPolice/status/1860000000000000001.",
        validators=[DataRequired("Enter the post's id"), Length(max=40)],
    )
    posted_at = StringField(
        "Posted at (UTC)",
        description="Like 2026-11-25 09:00.",
        validators=[DataRequired("Enter when it was posted")],
    )
    text = TextAreaField(
        "Text of the post",
        validators=[DataRequired("Enter the post's text"), Length(max=1000)],
    )

    def validate_posted_at(self, field):
        try:
            self.posted_at_value = parse_timestamp(field.data.replace(" ", "T", 1))
        except ValueError:
            raise ValidationError(
                "Posted at must be a date and time, like 2026-11-25 09:00"
            ) from None


class ReasonForm(FlaskForm):
    note = TextAreaField(
        "Reason", validators=[DataRequired("Enter the reason"), Length(max=NOTE_MAX)]
    )


class NoteForm(FlaskForm):
    note = TextAreaField("Note", validators=[DataRequired("Enter a note"), Length(max=NOTE_MAX)])


class PositionForm(FlaskForm):
    position = RadioField(
        "Where does this reply stand on the question?",
        choices=[(p.value, label) for p, label in POSITION_LABELS.items()],
        validators=[InputRequired("Select a position")],
    )


class BulkModerationForm(FlaskForm):
    """What to do with the posts ticked on the dashboard's list."""

    post_ids = SelectMultipleField("Posts", coerce=int, validate_choice=False)
    action = SelectField(
        "With the ticked posts",
        validate_choice=False,  # validate_action says what to do instead
        choices=[
            ("", "Choose…"),
            *[
                (f"position:{p.value}", f"Position: {label.lower()}")
                for p, label in POSITION_LABELS.items()
            ],
            ("needs_reply", "Flag: needs a reply"),
            ("hide", "Hide (give the reason below)"),
        ],
    )
    reason = TextAreaField(
        "Reason for hiding",
        description="Needed to hide, not for the other actions. Kept in each post's record.",
        validators=[Length(max=NOTE_MAX)],
    )
    return_to = HiddenField()

    def validate_action(self, field):
        if field.data not in {value for value, _ in field.choices if value}:
            raise ValidationError("Choose what to do with the ticked posts")

    def validate_reason(self, field):
        if self.action.data == "hide" and not (field.data or "").strip():
            raise ValidationError("Enter the reason for hiding")


class ImportUploadForm(FlaskForm):
    """A file of posts to import: its size is checked here, its rows by the import job."""

    file = FileField("File of posts", validators=[FileRequired("Choose a file to import")])
    file_format = SelectField(
        "Format",
        choices=[("x-jsonl", "X API JSON lines (as twarc2 writes them)"), ("csv", "CSV export")],
    )

    def validate_file(self, field) -> None:
        stream = field.data.stream
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(0)
        if size == 0:
            raise ValidationError("The file is empty")
        limit = current_app.config["SOCIAL_IMPORT_MAX_BYTES"]
        if size > limit:
            raise ValidationError(
                f"The file is larger than {limit / 1048576:.0f} MB: import it with "
                "'flask --app engage social import'"
            )
