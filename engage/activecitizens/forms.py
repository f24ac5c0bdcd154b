"""Forms for groups (registering, applying, reporting) and staff (rounds, reviews, decisions)."""

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from engage.activecitizens.models import OrganisationType, Recommendation
from engage.activecitizens.models import groups as group_limits
from engage.activecitizens.models.applications import (
    BUDGET_LINE_MAX,
    BUDGET_LINES_MAX,
    LONG_TEXT_MAX,
    PEOPLE_MAX,
    REASON_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
)
from engage.activecitizens.models.reviews import MAX_SCORE
from engage.activecitizens.models.rounds import ROUND_NAME_MAX, SLUG_MAX
from engage.activecitizens.services.rounds import AREA_CODES, area_name
from engage.auth.password_policy import MIN_PASSWORD_LENGTH, PASSWORD_HINT
from engage.core.money import parse_pounds, pence_to_pounds_text
from engage.web.forms import RealDateField

AREA_CHOICES = [(code, area_name(code)) for code in AREA_CODES]
BUDGET_ROWS = 6


class PoundsField(StringField):
    """An amount typed in pounds ('1,250.50'), held as integer pence; blank is None."""

    data: Any  # as on wtforms' untyped fields; the form's validators decide what it holds

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if text:
            try:
                self.data = parse_pounds(text)
            except ValueError as error:
                self.raw_text = text
                raise ValueError(f"{self.label.text}: {error}") from None

    def _value(self):
        if getattr(self, "raw_text", None):
            return self.raw_text
        return pence_to_pounds_text(self.data)


def _required_pounds(form, field):
    if field.data is None and not field.errors:
        raise ValidationError(f"Enter the {field.label.text.lower()}")


class GroupDetailsForm(FlaskForm):
    name = StringField(
        "Group's name",
        validators=[
            DataRequired("Enter your group's name"),
            Length(max=group_limits.GROUP_NAME_MAX),
        ],
    )
    organisation_type = RadioField(
        "What kind of group are you?",
        choices=[(t.value, t.label) for t in OrganisationType],
        validators=[InputRequired("Choose what kind of group you are")],
    )
    charity_number = StringField(
        "Registered charity number",
        description="Only for registered charities.",
        validators=[Optional(), Length(max=group_limits.REGISTRATION_MAX)],
    )
    company_number = StringField(
        "Companies House number",
        description="Only for companies and CICs.",
        validators=[Optional(), Length(max=group_limits.REGISTRATION_MAX)],
    )
    contact_name = StringField(
        "Contact's full name",
        validators=[DataRequired("Enter a contact's name"), Length(max=group_limits.CONTACT_MAX)],
    )
    phone = StringField("Phone number", validators=[Optional(), Length(max=group_limits.PHONE_MAX)])
    address = TextAreaField(
        "Group's address",
        validators=[
            DataRequired("Enter the group's address"),
            Length(max=group_limits.ADDRESS_MAX),
        ],
    )
    postcode = StringField(
        "Postcode",
        validators=[DataRequired("Enter the postcode"), Length(max=group_limits.POSTCODE_MAX)],
    )
    bank_account_in_group_name = BooleanField(
        "The group has a bank account in its own name, needing two people to sign"
    )
    has_safeguarding_policy = BooleanField("The group has a safeguarding policy")


class RegisterForm(GroupDetailsForm):
    email = EmailField(
        "Email address",
        description="We send updates about your applications here.",
        validators=[
            DataRequired("Enter an email address"),
            Email("Enter an email address in the correct format, like name@example.org"),
            Length(max=254),
        ],
    )
    password = PasswordField(
        "Create a password",
        description=PASSWORD_HINT,
        validators=[
            DataRequired("Create a password"),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=f"Use at least {MIN_PASSWORD_LENGTH} characters",
            ),
        ],
    )


class SignInForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])


class BudgetLineForm(Form):
    # Not "description": a FormField row has its own `description` attribute, which would win.
    purpose = StringField("What it pays for", validators=[Length(max=BUDGET_LINE_MAX)])
    amount = PoundsField("Cost (£)")

    def validate_amount(self, field):
        if (self.purpose.data or "").strip() and field.data is None:
            raise ValidationError("Enter the cost of this line")
        if field.data is not None and not (self.purpose.data or "").strip():
            raise ValidationError("Say what this line pays for")


class ApplicationForm(FlaskForm):
    title = StringField("Project title", validators=[Length(max=TITLE_MAX)])
    summary = TextAreaField(
        "Summary",
        description="Two or three sentences. If funded, this is published on our website.",
        validators=[Length(max=SUMMARY_MAX)],
    )
    activities = TextAreaField("What will the project do?", validators=[Length(max=LONG_TEXT_MAX)])
    beneficiaries = TextAreaField(
        "Who will benefit?",
        description="For example young people on an estate, older residents, victims of crime.",
        validators=[Length(max=LONG_TEXT_MAX)],
    )
    beneficiary_count = IntegerField(
        "About how many people will it reach?",
        validators=[
            Optional(),
            NumberRange(min=1, max=PEOPLE_MAX, message=f"Enter a number from 1 to {PEOPLE_MAX:,}"),
        ],
    )
    outcomes = TextAreaField(
        "What difference will it make?",
        description="How it will help prevent crime or anti-social behaviour; how you will know.",
        validators=[Length(max=LONG_TEXT_MAX)],
    )
    priority_ids = SelectMultipleField("Which of the fund's priorities does it meet?", coerce=int)
    main_area_code = SelectField(
        "Where will most of the work happen?", choices=[("", "Choose an area"), *AREA_CHOICES]
    )
    other_area_codes = SelectMultipleField("Other areas it will serve", choices=AREA_CHOICES)
    amount_requested = PoundsField("How much are you asking for? (£)")
    starts_on = RealDateField("Start date", validators=[Optional()])
    ends_on = RealDateField("End date", validators=[Optional()])
    budget_lines = FieldList(
        FormField(BudgetLineForm), min_entries=BUDGET_ROWS, max_entries=BUDGET_LINES_MAX
    )


class DocumentForm(FlaskForm):
    file = FileField("Upload a file", validators=[FileRequired("Choose a file to upload")])


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        "Why are you withdrawing? (optional)", validators=[Optional(), Length(max=REASON_MAX)]
    )


class SendApplicationForm(FlaskForm):
    declaration = BooleanField(
        "I confirm that the information in this application is correct, that I am authorised "
        "by the group to apply, and that the group will spend any grant only on this project "
        "and report on it",
        validators=[DataRequired("Confirm the declaration to send the application")],
    )


class PublishAwardsForm(FlaskForm):
    confirm = BooleanField(
        "Publish these grants on the public funded-projects page and in the 360Giving export",
        validators=[DataRequired("Confirm that these grants can be made public")],
    )


class WithdrawPublicationForm(FlaskForm):
    reason = TextAreaField(
        "Why are you withdrawing the publication?",
        description="Kept in the round's audit log.",
        validators=[DataRequired("Say why the publication is withdrawn"), Length(max=500)],
    )


class AcceptOfferForm(FlaskForm):
    confirm = BooleanField(
        "We accept the grant and its conditions: we will spend it on the project as set out, "
        "and send an end-of-project report",
        validators=[DataRequired("Confirm that you accept the grant's conditions")],
    )


def monitoring_form_class(budget_lines):
    class MonitoringForm(FlaskForm):
        what_was_done = TextAreaField(
            "What did the project do?",
            validators=[DataRequired("Say what the project did"), Length(max=LONG_TEXT_MAX)],
        )
        people_reached = IntegerField(
            "How many people did it reach?",
            validators=[
                InputRequired("Enter how many people the project reached"),
                NumberRange(
                    min=0, max=PEOPLE_MAX, message=f"Enter a number from 0 to {PEOPLE_MAX:,}"
                ),
            ],
        )
        photo = FileField("A photo of the project (optional)")

    for line in budget_lines:
        setattr(
            MonitoringForm,
            f"spent_{line.id}",
            PoundsField(f"Spent on {line.description}", validators=[_required_spent]),
        )
    return MonitoringForm


def _required_spent(form, field):
    if field.data is None and not field.errors:
        raise ValidationError(f"Enter what was spent ({field.label.text.lower()}); £0 if nothing")


class RoundForm(FlaskForm):
    name = StringField(
        "Name", validators=[DataRequired("Enter the round's name"), Length(max=ROUND_NAME_MAX)]
    )
    slug = StringField(
        "Short name",
        description="Lower-case letters, digits and hyphens, like acf-2027. Used in web addresses.",
        validators=[DataRequired("Enter a short name"), Length(max=SLUG_MAX)],
    )
    description = TextAreaField(
        "What the round funds", validators=[Optional(), Length(max=LONG_TEXT_MAX)]
    )
    opens_on = RealDateField("Opens", validators=[InputRequired("Enter the opening date")])
    closes_on = RealDateField("Closes", validators=[InputRequired("Enter the closing date")])
    decisions_by = RealDateField(
        "Decisions expected by", validators=[InputRequired("Enter when decisions are expected")]
    )
    projects_start_from = RealDateField(
        "Projects start no earlier than", validators=[InputRequired("Enter the earliest start")]
    )
    projects_end_by = RealDateField(
        "Projects end no later than", validators=[InputRequired("Enter the latest end")]
    )
    budget = PoundsField("Total budget (£)", validators=[_required_pounds])
    min_grant = PoundsField("Smallest grant (£)", validators=[_required_pounds])
    max_grant = PoundsField("Largest grant (£)", validators=[_required_pounds])
    priorities = TextAreaField(
        "Priorities",
        description="One per line, like: Preventing anti-social behaviour",
        validators=[DataRequired("Give at least one priority"), Length(max=2000)],
    )
    criteria = TextAreaField(
        "Scoring criteria",
        description="One per line: name | weight from 1 to 10 | guidance for reviewers.",
        validators=[DataRequired("Give at least one scoring criterion"), Length(max=5000)],
    )


for _code in AREA_CODES:
    setattr(RoundForm, f"allocation_{_code}", PoundsField(f"{area_name(_code)} (£)"))


class AssignReviewerForm(FlaskForm):
    reviewer_id = SelectField("Reviewer", coerce=int)


class DeclarationForm(FlaskForm):
    has_conflict = RadioField(
        "Do you have a conflict of interest with this group or project?",
        description="For example you are a member, trustee, employee, relative or close friend "
        "of someone in the group, or you would gain from the project.",
        choices=[("no", "No"), ("yes", "Yes")],
        validators=[InputRequired("Say whether you have a conflict of interest")],
    )
    reason = TextAreaField("If yes, what is it?", validators=[Optional(), Length(max=REASON_MAX)])


def score_form_class(criteria):
    class ScoreForm(FlaskForm):
        recommendation = RadioField(
            "Your recommendation",
            choices=[(r.value, r.label) for r in Recommendation],
            validators=[InputRequired("Choose a recommendation")],
        )
        comment = TextAreaField(
            "Comments for the panel", validators=[Optional(), Length(max=REASON_MAX)]
        )

    for criterion in criteria:
        setattr(
            ScoreForm,
            f"criterion_{criterion.id}",
            RadioField(
                criterion.name,
                description=criterion.guidance,
                choices=[(str(n), str(n)) for n in range(MAX_SCORE + 1)],
                validators=[InputRequired(f"Score '{criterion.name}' from 0 to {MAX_SCORE}")],
            ),
        )
    return ScoreForm


class DecisionForm(FlaskForm):
    decision = RadioField(
        "Decision",
        choices=[
            ("approve", "Approve a grant"),
            ("decline", "Decline"),
            ("request_info", "Ask the group for more information"),
        ],
        validators=[InputRequired("Choose a decision")],
    )
    amount = PoundsField(
        "Amount to approve (£)",
        description="Leave blank to approve the full amount asked for.",
    )
    message = TextAreaField(
        "Reason, or what information is needed",
        description="Needed to decline or to ask for information, not to approve. "
        "The group sees it.",
        validators=[Length(max=REASON_MAX)],
    )

    def validate_message(self, field):
        needed = {
            "decline": "Enter the reason for declining",
            "request_info": "Say what information the group needs to send",
        }.get(self.decision.data)
        if needed and not (field.data or "").strip():
            raise ValidationError(needed)


class BatchDecisionForm(FlaskForm):
    application_ids = SelectMultipleField("Applications", coerce=int)
    choice = RadioField(
        "Decision for the ticked applications",
        choices=[("approve", "Approve each in full"), ("decline", "Decline each")],
        validators=[InputRequired("Choose a decision")],
    )
    reason = TextAreaField(
        "Reason",
        description="Needed to decline, not to approve. Each group sees it.",
        validators=[Length(max=REASON_MAX)],
    )

    def validate_reason(self, field):
        if self.choice.data == "decline" and not (field.data or "").strip():
            raise ValidationError("Enter the reason for declining")
