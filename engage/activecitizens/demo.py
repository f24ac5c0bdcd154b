"""Demo data for the Active Citizens Fund: two rounds, groups, and applications in every state.

The demo groups, people and projects are made up. Every application gets where it is through
the same services a real one would, so the audit log and timelines are real too.
"""

import secrets
from collections.abc import Callable
from datetime import date, timedelta

from engage.activecitizens.models import ApplicationState, FundingRound, OrganisationType
from engage.activecitizens.services import applications, decisions, monitoring, reviews, rounds
from engage.activecitizens.services.audit import Actor
from engage.activecitizens.services.eligibility import ApplicationDetails
from engage.activecitizens.services.groups import GroupDetails, register_group
from engage.activecitizens.services.rounds import AREA_CODES, CriterionDetails, RoundDetails
from engage.auth import services as auth_services
from engage.auth.models import Role, StaffUser
from engage.core.extensions import db

S = ApplicationState
DEMO_GROUP_EMAIL = "demo-group@example.org"
DEMO_REVIEWER_EMAIL = "demo-reviewer@example.org"
# Shares of the £1m by area, roughly in proportion to population.
AREA_SHARES = (40, 13, 11, 11, 7, 9, 9)
PRIORITIES = [
    "Preventing anti-social behaviour",
    "Supporting victims of crime",
    "Young people",
    "Neighbourhood safety",
]
CRITERIA = [
    CriterionDetails("Need", 3, "Is there clear evidence of a crime or ASB problem here?"),
    CriterionDetails("Prevention", 3, "How likely is the project to prevent crime or ASB?"),
    CriterionDetails("Deliverability", 2, "Can the group deliver it on time and safely?"),
    CriterionDetails("Value for money", 2, "Are the costs reasonable for what it achieves?"),
]
# (group, organisation type, registration number, area index, project, state, amount £)
PROJECTS = [
    ("Hillfields Youth Forum", "unregistered", "", 1, "Friday night football", S.DRAFT, 3000),
    ("Lozells Mums Network", "unregistered", "", 0, "Safe routes to school", S.SUBMITTED, 2500),
    (
        "Tipton Allotment Society",
        "charity",
        "1098765",
        3,
        "Lit paths on the allotments",
        S.ELIGIBILITY_CHECK,
        4000,
    ),
    (
        "Walsall Street Pastors",
        "charity",
        "1123456",
        5,
        "Night-time economy patrols",
        S.MORE_INFO_REQUESTED,
        6000,
    ),
    (
        "Kingstanding Boxing Club",
        "cic",
        "09876543",
        0,
        "Boxing and mentoring for 12-16s",
        S.IN_REVIEW,
        8000,
    ),
    (
        "Whitmore Reans Residents",
        "tenants",
        "",
        6,
        "Alley gates and a clean-up day",
        S.PANEL_DECISION,
        5000,
    ),
    (
        "Chelmsley Wood Victims Support Circle",
        "unregistered",
        "",
        4,
        "Peer support for burglary victims",
        S.PANEL_DECISION,
        3500,
    ),
    (
        "Brierley Hill Community Radio",
        "company",
        "08765432",
        2,
        "Scam awareness on air",
        S.APPROVED,
        2000,
    ),
    (
        "Foleshill Faith Partnership",
        "faith_group",
        "",
        1,
        "Knife-crime workshops in mosques",
        S.DECLINED,
        7000,
    ),
    (
        "Smethwick Skate Park Users",
        "unregistered",
        "",
        3,
        "Skate jam instead of street racing",
        S.WITHDRAWN,
        1500,
    ),
]
EARLIER_PROJECTS = [
    (
        "Bilston Boys and Girls Club",
        "charity",
        "1011223",
        6,
        "Holiday activities for 10-15s",
        S.OFFER_ACCEPTED,
        9000,
    ),
    (
        "Acocks Green Neighbourhood Watch",
        "unregistered",
        "",
        0,
        "Bike-marking days",
        S.MONITORING,
        1200,
    ),
    (
        "Solihull Schools Partnership",
        "school",
        "",
        4,
        "Online safety sessions for parents",
        S.CLOSED,
        4500,
    ),
    (
        "Dudley Canal Trust Volunteers",
        "charity",
        "1054321",
        2,
        "Towpath lighting survey",
        S.CLOSED,
        3000,
    ),
]


def _round_details(slug: str, name: str, opens_on: date, budget_pounds: int) -> RoundDetails:
    budget = budget_pounds * 100
    return RoundDetails(
        slug=slug,
        name=name,
        description="Grants of £500 to £10,000 for community groups whose projects help prevent "
        "crime and anti-social behaviour.",
        opens_on=opens_on,
        closes_on=opens_on + timedelta(days=60),
        decisions_by=opens_on + timedelta(days=100),
        projects_start_from=opens_on + timedelta(days=60),
        projects_end_by=opens_on + timedelta(days=480),
        budget_pence=budget,
        min_grant_pence=50_000,
        max_grant_pence=1_000_000,
        allocations={
            code: budget * share // 100 for code, share in zip(AREA_CODES, AREA_SHARES, strict=True)
        },
        priorities=PRIORITIES,
        criteria=CRITERIA,
    )


def _group(index: int, name: str, kind: str, number: str, email: str | None = None):
    organisation_type = OrganisationType(kind)
    details = GroupDetails(
        name=name,
        organisation_type=organisation_type,
        charity_number=number if organisation_type.needs_charity_number else "",
        company_number=number if organisation_type.needs_company_number else "",
        contact_name=f"Demo contact {index + 1}",
        phone="",
        address=f"{index + 1} Demo Street",
        postcode="B4 6NQ",
        bank_account_in_group_name=True,
        has_safeguarding_policy=True,
    )
    password = secrets.token_urlsafe(12)
    return register_group(
        email or f"demo-group-{index + 1}@example.org", password, details
    ), password


def _details(funding_round: FundingRound, title: str, area: int, pounds: int, index: int):
    amount = pounds * 100
    start = funding_round.projects_start_from + timedelta(days=7 * index)
    priorities = funding_round.priorities
    return ApplicationDetails(
        title=title,
        summary=f"{title}: a local project to prevent crime and anti-social behaviour.",
        activities=f"{title}, run by volunteers every week for six months.",
        beneficiaries="Residents of the neighbourhood, especially young people.",
        beneficiary_count=40 + 15 * index,
        outcomes="Fewer reports of anti-social behaviour; residents feel safer.",
        priority_ids=[priorities[index % len(priorities)].id, priorities[2].id],
        main_area_code=AREA_CODES[area],
        amount_requested_pence=amount,
        starts_on=start,
        ends_on=start + timedelta(days=180),
        budget_lines=[
            ("Sessional staff", amount * 6 // 10),
            ("Equipment and venue", amount - amount * 6 // 10),
        ],
    )


def _score(application, reviewer_users: list[StaffUser], office: Actor, index: int) -> None:
    criteria = application.funding_round.criteria
    for offset, user in enumerate(reviewer_users):
        assignment = reviews.assign_reviewer(application, user, office)
        actor = Actor(staff=user)
        if index % 3 == 0 and offset == 1:
            reviews.declare_interest(assignment, True, "I volunteer with this group", actor)
            continue
        reviews.declare_interest(assignment, False, "", actor)
        marks = {c.id: 2 + (index + offset + position) % 4 for position, c in enumerate(criteria)}
        reviews.submit_review(assignment, marks, reviews.Recommendation.FUND, "", actor)


def _drive(application, target: ApplicationState, group, office, reviewer_users, index, today):
    as_group = Actor(group=group)
    if target == S.DRAFT:
        return
    if target == S.WITHDRAWN:
        applications.withdraw_application(application, as_group, "Our venue is no longer free")
        return
    applications.submit_application(application, as_group, today)
    if target == S.SUBMITTED:
        return
    decisions.start_check(application, office)
    if target == S.ELIGIBILITY_CHECK:
        return
    if target == S.MORE_INFO_REQUESTED:
        decisions.request_information(
            application, office, "Please upload a quote for the high-visibility jackets."
        )
        return
    decisions.pass_check(application, office)
    _score(application, reviewer_users, office, index)
    if target == S.IN_REVIEW:
        return
    decisions.send_to_panel(application, office)
    if target == S.PANEL_DECISION:
        return
    if target == S.DECLINED:
        decisions.decline(application, office, "Other projects in Coventry scored higher.")
        return
    decisions.approve(application, office)
    if target == S.APPROVED:
        return
    applications.accept_offer(application, as_group)
    if target == S.OFFER_ACCEPTED:
        return
    decisions.record_payment(application, office)
    if target == S.MONITORING:
        return
    monitoring.submit_monitoring_report(
        application,
        as_group,
        "We ran every session we planned; local police attended three.",
        60 + index * 10,
        {line.id: line.amount_pence for line in application.budget_lines},
    )
    decisions.close_grant(application, office)


def _load_round(details, projects, office, reviewer_users, today, first_index, demo_group=None):
    funding_round = rounds.create_round(details, office)
    for offset, (name, kind, number, area, title, state, pounds) in enumerate(projects):
        index = first_index + offset
        group = demo_group if demo_group and offset == 0 else _group(index, name, kind, number)[0]
        application = applications.start_application(group, funding_round, today)
        if state != S.DRAFT or offset % 2 == 0:
            applications.save_application(
                application,
                _details(funding_round, title, area, pounds, index),
                Actor(group=group),
                today,
            )
        _drive(application, state, group, office, reviewer_users, index, today)
    return funding_round


def load_grants_demo(echo: Callable[[str], None], admin: StaffUser) -> dict[str, str]:
    """Load the fund's demo; returns the demo group's and reviewer's one-time passwords."""
    today = date.today()
    office = Actor(staff=admin)
    passwords = {}
    reviewer_users = []
    for n, email in enumerate((DEMO_REVIEWER_EMAIL, "demo-reviewer-2@example.org")):
        password = secrets.token_urlsafe(12)
        reviewer_users.append(
            auth_services.create_staff(email, f"Demo reviewer {n + 1}", Role.REVIEWER, password)
        )
        if n == 0:
            passwords[DEMO_REVIEWER_EMAIL] = password
    demo_group, passwords[DEMO_GROUP_EMAIL] = _group(
        0, PROJECTS[0][0], PROJECTS[0][1], PROJECTS[0][2], DEMO_GROUP_EMAIL
    )
    earlier = _load_round(
        _round_details(
            "acf-2025", "Active Citizens Fund 2025", today - timedelta(days=30), 500_000
        ),
        EARLIER_PROJECTS,
        office,
        reviewer_users,
        today,
        first_index=len(PROJECTS),
    )
    # The earlier round has since closed and its awards are public.
    earlier.opens_on, earlier.closes_on = today - timedelta(days=420), today - timedelta(days=360)
    earlier.decisions_by = today - timedelta(days=320)
    rounds.publish_awards(earlier, office)
    current = _load_round(
        _round_details(
            "acf-2026", "Active Citizens Fund 2026", today - timedelta(days=20), 1_000_000
        ),
        PROJECTS,
        office,
        reviewer_users,
        today,
        first_index=0,
        demo_group=demo_group,
    )
    db.session.flush()
    echo(
        f"Active Citizens Fund: rounds {earlier.slug} (published) and {current.slug} (open), "
        f"{len(PROJECTS) + len(EARLIER_PROJECTS)} applications in every state."
    )
    return passwords
