"""What the applicant sees: a timeline of their application and what happens next, and when."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from engage.activecitizens.models import ApplicationState, GrantApplication
from engage.activecitizens.services.audit import details_of, entries_for_application
from engage.activecitizens.services.workflow import PUBLIC_NAMES
from engage.core.money import format_pence

S = ApplicationState
CHECK_DAYS = 14  # the fund team's promise: eligibility checked within two weeks of sending
PAYMENT_DAYS = 21  # grants paid within three weeks of the offer being accepted
REPORT_DAYS = 30  # the end-of-project report is due a month after the project ends


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    title: str
    note: str


@dataclass(frozen=True)
class NextStep:
    text: str
    by: date | None


def timeline(application: GrantApplication) -> list[TimelineEvent]:
    """The application's changes of state, newest last, in the applicant's words."""
    events = []
    for entry in entries_for_application(application.id):
        if not entry.state_after:
            continue
        details = details_of(entry)
        note = details.get("message") or details.get("reason") or ""
        if entry.action == "start":
            title = "Application started"
        else:
            title = PUBLIC_NAMES[ApplicationState(entry.state_after)]
        if entry.action == "approve":
            title = f"Grant offered: {format_pence(details['amount'][1])}"
        events.append(TimelineEvent(entry.at, title, note))
    return events


def next_step(application: GrantApplication) -> NextStep:
    """What the group can expect next, with a date where the fund promises one."""
    funding_round = application.funding_round
    state = application.state
    sent = (application.submitted_at or application.updated_at).date()
    if state == S.DRAFT:
        return NextStep(
            "Finish your application and send it before the round closes.", funding_round.closes_on
        )
    if state in (S.SUBMITTED, S.ELIGIBILITY_CHECK):
        return NextStep(
            "We check that every application meets the fund's rules. We will tell you here if "
            "we need anything else.",
            sent + timedelta(days=CHECK_DAYS),
        )
    if state == S.MORE_INFO_REQUESTED:
        return NextStep(
            "Read our message, change your application and send it again. We cannot go on "
            "until you do.",
            None,
        )
    if state in (S.IN_REVIEW, S.PANEL_DECISION):
        return NextStep(
            "An independent panel scores each application against the fund's criteria, then "
            "the Police and Crime Commissioner's office decides.",
            funding_round.decisions_by,
        )
    if state == S.APPROVED:
        return NextStep("Accept the grant offer so that we can pay it.", None)
    if state == S.OFFER_ACCEPTED:
        decided = (application.decided_at or application.updated_at).date()
        return NextStep(
            "We pay the grant into your group's bank account.",
            max(decided, date.today()) + timedelta(days=PAYMENT_DAYS),
        )
    if state == S.MONITORING:
        due = application.ends_on + timedelta(days=REPORT_DAYS) if application.ends_on else None
        if application.monitoring_report is not None:
            return NextStep("Thank you for your report. We will close the grant soon.", None)
        return NextStep(
            "Run your project. When it ends, send us a short report on what you did, who you "
            "reached and what you spent.",
            due,
        )
    if state == S.DECLINED:
        return NextStep(
            "This application was not funded. You are welcome to apply to a future round.", None
        )
    if state == S.WITHDRAWN:
        return NextStep("This application was withdrawn.", None)
    return NextStep("This grant is complete. Thank you for helping to prevent crime.", None)
