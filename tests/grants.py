"""Builders for Active Citizens Fund tests: rounds, groups and applications in any state.

Every builder goes through the real services, so an application "in review" got there the way
a real one would: drafted, sent, checked and passed.
"""

from datetime import date, timedelta

from flask import g

from engage.activecitizens.models import ApplicationState, CommunityGroup, OrganisationType
from engage.activecitizens.services import applications, decisions, monitoring, rounds
from engage.activecitizens.services.audit import Actor
from engage.activecitizens.services.eligibility import ApplicationDetails
from engage.activecitizens.services.groups import GroupDetails, register_group
from engage.activecitizens.services.rounds import CriterionDetails, RoundDetails
from engage.auth import services as auth_services
from engage.auth.models import Role
from engage.core.extensions import db

PASSWORD = "correct horse battery staple"
BIRMINGHAM, COVENTRY = "E08000025", "E08000026"
S = ApplicationState


def forget_signed_in_user() -> None:
    """Drop Flask-Login's cached user before a different client signs in.

    The `db` fixture keeps one app context open for the whole test, and requests reuse it, so
    the user Flask-Login caches on `g` would otherwise carry over from one test client to another.
    """
    g.pop("_login_user", None)


def sign_in_staff(client, email: str) -> None:
    forget_signed_in_user()
    response = client.post("/staff/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


def staff_actor(role: Role = Role.PCC, email: str | None = None) -> Actor:
    email = email or f"{role.value}-actor@example.org"
    user = auth_services.find_staff_by_email(email) or auth_services.create_staff(
        email, f"Test {role.label}", role, PASSWORD
    )
    return Actor(staff=user)


def round_details(**overrides) -> RoundDetails:
    today = date.today()
    details = RoundDetails(
        slug="acf-test",
        name="Active Citizens Fund test round",
        description="Small grants for projects that prevent crime.",
        opens_on=today - timedelta(days=10),
        closes_on=today + timedelta(days=20),
        decisions_by=today + timedelta(days=50),
        projects_start_from=today + timedelta(days=60),
        projects_end_by=today + timedelta(days=400),
        budget_pence=1_000_000,  # £10,000
        min_grant_pence=50_000,  # £500
        max_grant_pence=500_000,  # £5,000
        allocations={BIRMINGHAM: 600_000, COVENTRY: 400_000},
        priorities=["Preventing anti-social behaviour", "Young people"],
        criteria=[
            CriterionDetails("Need", 3, "How strong is the evidence of need?"),
            CriterionDetails("Value for money", 2, "Are the costs reasonable?"),
        ],
    )
    for name, value in overrides.items():
        setattr(details, name, value)
    return details


def make_round(**overrides):
    funding_round = rounds.create_round(round_details(**overrides), staff_actor())
    db.session.flush()
    return funding_round


def group_details(**overrides) -> GroupDetails:
    details = GroupDetails(
        name="Hillfields Youth Club",
        organisation_type=OrganisationType.UNREGISTERED,
        charity_number="",
        company_number="",
        contact_name="Sam Patel",
        phone="",
        address="1 Example Street, Coventry",
        postcode="CV1 5AA",
        bank_account_in_group_name=True,
        has_safeguarding_policy=True,
    )
    for name, value in overrides.items():
        setattr(details, name, value)
    return details


def make_group(email: str = "group@example.org", **overrides) -> CommunityGroup:
    return register_group(email, PASSWORD, group_details(**overrides))


def complete_details(funding_round, amount: int = 250_000, area: str = BIRMINGHAM):
    start = funding_round.projects_start_from
    return ApplicationDetails(
        title="Safer streets after school",
        summary="Youth sessions on Friday evenings, when anti-social behaviour peaks.",
        activities="Sports and mentoring sessions every Friday.",
        beneficiaries="Young people aged 11 to 17 on the estate.",
        beneficiary_count=120,
        outcomes="Fewer reports of anti-social behaviour on Friday evenings.",
        priority_ids=[funding_round.priorities[0].id],
        main_area_code=area,
        other_area_codes=[],
        amount_requested_pence=amount,
        starts_on=start,
        ends_on=start + timedelta(days=180),
        budget_lines=[("Coaches", amount - 50_000), ("Equipment", 50_000)],
    )


PATH = {
    S.SUBMITTED: [],
    S.ELIGIBILITY_CHECK: [decisions.start_check],
    S.MORE_INFO_REQUESTED: [
        lambda a, actor: decisions.request_information(a, actor, "Send a quote")
    ],
    S.IN_REVIEW: [decisions.start_check, decisions.pass_check],
    S.PANEL_DECISION: [decisions.start_check, decisions.pass_check, decisions.send_to_panel],
}


def application_in_state(
    state: ApplicationState,
    group: CommunityGroup | None = None,
    funding_round=None,
    amount: int = 250_000,
    area: str = BIRMINGHAM,
):
    """Build an application and drive it to `state` through the services."""
    funding_round = funding_round or make_round()
    group = group or make_group()
    today = date.today()
    application = applications.start_application(group, funding_round, today)
    if state == S.DRAFT:
        return application
    as_group = Actor(group=group)
    applications.save_application(
        application, complete_details(funding_round, amount, area), as_group, today
    )
    if state == S.WITHDRAWN:
        applications.withdraw_application(application, as_group, "")
        return application
    applications.submit_application(application, as_group, today)
    office = staff_actor()
    for step in PATH.get(state, PATH[S.PANEL_DECISION]):
        step(application, office)
    if state in PATH:
        return application
    if state == S.DECLINED:
        decisions.decline(application, office, "Other projects scored higher")
        return application
    decisions.approve(application, office)
    if state == S.APPROVED:
        return application
    applications.accept_offer(application, as_group)
    if state == S.OFFER_ACCEPTED:
        return application
    decisions.record_payment(application, office)
    if state == S.MONITORING:
        return application
    monitoring.submit_monitoring_report(
        application,
        as_group,
        "Ran 24 sessions.",
        140,
        {line.id: line.amount_pence for line in application.budget_lines},
    )
    decisions.close_grant(application, office)
    return application
