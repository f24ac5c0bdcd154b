"""The end-of-project report: what was done, who was reached, and spend against the budget."""

from engage.activecitizens.models import ApplicationState, GrantApplication, MonitoringReport
from engage.activecitizens.models.applications import LONG_TEXT_MAX, PEOPLE_MAX
from engage.activecitizens.services.audit import Actor, record_entry
from engage.activecitizens.services.workflow import require_own
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.core.money import format_pence


def submit_monitoring_report(
    application: GrantApplication,
    actor: Actor,
    what_was_done: str,
    people_reached: int,
    spent: dict[int, int],
) -> MonitoringReport:
    """Keep the group's report; `spent` maps each budget line's id to pence spent on it."""
    require_own(application, actor)
    if application.state != ApplicationState.MONITORING:
        raise DomainError("The report is sent once the grant has been paid", status=409)
    if application.monitoring_report is not None:
        raise DomainError("You have already sent the report for this grant", status=409)
    text = what_was_done.strip()
    if not text:
        raise DomainError("Say what the project did", "what_was_done")
    if len(text) > LONG_TEXT_MAX:
        raise DomainError(f"Keep this to {LONG_TEXT_MAX:,} characters or fewer", "what_was_done")
    if not 0 <= people_reached <= PEOPLE_MAX:
        raise DomainError(f"Enter a number from 0 to {PEOPLE_MAX:,}", "people_reached")
    lines = {line.id: line for line in application.budget_lines}
    if set(spent) != set(lines):
        raise DomainError("Say what was spent on every budget line", "spent")
    if any(pence < 0 for pence in spent.values()):
        raise DomainError("Spending cannot be negative", "spent")
    for line_id, pence in spent.items():
        lines[line_id].spent_pence = pence
    report = MonitoringReport(
        application_id=application.id, what_was_done=text, people_reached=people_reached
    )
    application.monitoring_report = report
    db.session.flush()
    total = sum(spent.values())
    record_entry(
        actor,
        "monitoring_report",
        application,
        people_reached=people_reached,
        spent=format_pence(total),
        awarded=format_pence(application.amount_awarded_pence),
    )
    return report
