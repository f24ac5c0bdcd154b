"""Whether an application can be sent: every rule, each failure with its reason and field."""

from dataclasses import dataclass, field
from datetime import date

from engage.activecitizens.models import (
    ApplicationState,
    FundingRound,
    GrantApplication,
)
from engage.activecitizens.models.applications import (
    BUDGET_LINE_MAX,
    BUDGET_LINES_MAX,
    LONG_TEXT_MAX,
    PEOPLE_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
)
from engage.activecitizens.services.rounds import AREA_CODES
from engage.core.errors import DomainError
from engage.core.money import format_pence


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


class ApplicationProblems(DomainError):
    """Several broken rules at once, each tied to the form field it is about."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].message, problems[0].field)
        self.problems = problems


@dataclass
class ApplicationDetails:
    """What the group wrote; None or empty for what it has not filled in yet."""

    title: str = ""
    summary: str = ""
    activities: str = ""
    beneficiaries: str = ""
    beneficiary_count: int | None = None
    outcomes: str = ""
    priority_ids: list[int] = field(default_factory=list)
    main_area_code: str | None = None
    other_area_codes: list[str] = field(default_factory=list)
    amount_requested_pence: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    budget_lines: list[tuple[str, int]] = field(default_factory=list)


_TEXT_LIMITS = {
    "title": TITLE_MAX,
    "summary": SUMMARY_MAX,
    "activities": LONG_TEXT_MAX,
    "beneficiaries": LONG_TEXT_MAX,
    "outcomes": LONG_TEXT_MAX,
}


def problems_in_details(details: ApplicationDetails, funding_round: FundingRound) -> list[Problem]:
    """Rules on what is filled in: limits, sums and dates. Blank fields are not problems here."""
    problems = []
    for name, limit in _TEXT_LIMITS.items():
        if len(getattr(details, name)) > limit:
            problems.append(Problem(name, f"Keep this to {limit:,} characters or fewer"))
    if details.beneficiary_count is not None and not 0 < details.beneficiary_count <= PEOPLE_MAX:
        problems.append(
            Problem("beneficiary_count", f"Enter a number of people from 1 to {PEOPLE_MAX:,}")
        )
    known_priorities = {p.id for p in funding_round.priorities}
    if set(details.priority_ids) - known_priorities:
        problems.append(Problem("priority_ids", "Choose priorities from the list"))
    areas = [details.main_area_code, *details.other_area_codes]
    if any(code not in AREA_CODES for code in areas if code):
        problems.append(Problem("main_area_code", "Choose areas from the list"))
    problems += _amount_problems(details, funding_round)
    problems += _date_problems(details, funding_round)
    return problems


def _amount_problems(details: ApplicationDetails, funding_round: FundingRound) -> list[Problem]:
    problems = []
    amount = details.amount_requested_pence
    if amount is not None:
        if amount <= 0:
            problems.append(Problem("amount_requested", "Enter an amount of more than £0"))
        elif amount < funding_round.min_grant_pence:
            problems.append(
                Problem(
                    "amount_requested",
                    f"The smallest grant is {format_pence(funding_round.min_grant_pence)}",
                )
            )
        elif amount > funding_round.max_grant_pence:
            problems.append(
                Problem(
                    "amount_requested",
                    f"The largest grant is {format_pence(funding_round.max_grant_pence)}",
                )
            )
    if len(details.budget_lines) > BUDGET_LINES_MAX:
        problems.append(Problem("budget_lines", f"Use {BUDGET_LINES_MAX} budget lines or fewer"))
    for description, pence in details.budget_lines:
        if not description.strip():
            problems.append(Problem("budget_lines", "Say what each budget line is for"))
            break
        if len(description) > BUDGET_LINE_MAX:
            problems.append(
                Problem("budget_lines", f"Keep each budget line to {BUDGET_LINE_MAX} characters")
            )
            break
        if pence <= 0:
            problems.append(Problem("budget_lines", "Each budget line must be more than £0"))
            break
    total = sum(pence for _, pence in details.budget_lines)
    if amount and details.budget_lines and total != amount:
        problems.append(
            Problem(
                "budget_lines",
                f"Your budget lines add up to {format_pence(total)} but you are asking for "
                f"{format_pence(amount)}: they must be the same",
            )
        )
    return problems


def _date_problems(details: ApplicationDetails, funding_round: FundingRound) -> list[Problem]:
    problems = []
    first, last = funding_round.projects_start_from, funding_round.projects_end_by
    if details.starts_on and not first <= details.starts_on <= last:
        problems.append(
            Problem(
                "starts_on",
                f"The project must start between {first:%-d %B %Y} and {last:%-d %B %Y}",
            )
        )
    if details.ends_on and not first <= details.ends_on <= last:
        problems.append(Problem("ends_on", f"The project must end by {last:%-d %B %Y}"))
    if details.starts_on and details.ends_on and details.ends_on < details.starts_on:
        problems.append(Problem("ends_on", "The end date must be on or after the start date"))
    return problems


_REQUIRED = (
    ("title", "Give your project a title"),
    ("summary", "Write a short summary of the project"),
    ("activities", "Say what the project will do"),
    ("beneficiaries", "Say who will benefit"),
    ("beneficiary_count", "Say how many people you expect to reach"),
    ("outcomes", "Say what difference the project will make"),
    ("priority_ids", "Choose at least one of the fund's priorities"),
    ("main_area_code", "Choose the area where most of the work will happen"),
    ("amount_requested_pence", "Say how much you are asking for"),
    ("starts_on", "Give the project's start date"),
    ("ends_on", "Give the project's end date"),
    ("budget_lines", "Add at least one budget line"),
)
_FIELD_NAMES = {"amount_requested_pence": "amount_requested"}


def details_of(application: GrantApplication) -> ApplicationDetails:
    main = application.main_area_code
    return ApplicationDetails(
        title=application.title,
        summary=application.summary,
        activities=application.activities,
        beneficiaries=application.beneficiaries,
        beneficiary_count=application.beneficiary_count,
        outcomes=application.outcomes,
        priority_ids=[p.id for p in application.priorities],
        main_area_code=main,
        other_area_codes=[code for code in application.area_codes if code != main],
        amount_requested_pence=application.amount_requested_pence or None,
        starts_on=application.starts_on,
        ends_on=application.ends_on,
        budget_lines=[(line.description, line.amount_pence) for line in application.budget_lines],
    )


def check_eligibility(application: GrantApplication, today: date) -> list[Problem]:
    """Every reason the application cannot be sent yet; an empty list means it can."""
    funding_round = application.funding_round
    details = details_of(application)
    problems = []
    if application.state == ApplicationState.DRAFT and not funding_round.is_open(today):
        problems.append(
            Problem("round", f"{funding_round.name} closed on {funding_round.closes_on:%-d %B %Y}")
        )
    for name, message in _REQUIRED:
        value = getattr(details, name)
        if value is None or (isinstance(value, str | list) and not value):
            problems.append(Problem(_FIELD_NAMES.get(name, name), message))
    problems += problems_in_details(details, funding_round)
    group = application.group
    if not group.bank_account_in_group_name:
        problems.append(
            Problem(
                "group",
                "The fund pays only into a bank account in the group's own name: update your "
                "group's details when you have one",
            )
        )
    if not group.has_safeguarding_policy:
        problems.append(
            Problem(
                "group",
                "Groups need a safeguarding policy to be funded: update your group's details "
                "when you have one",
            )
        )
    return problems
