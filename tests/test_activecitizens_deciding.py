"""Review panel, decisions within budget, the fund overview and who may do what."""

import threading

import pytest

from engage.activecitizens.models import (
    ApplicationDocument,
    ApplicationState,
    ConflictDeclaration,
    DocumentKind,
    FundingRound,
    GrantApplication,
    ReviewAssignment,
)
from engage.activecitizens.services import (
    decisions,
    documents,
    overview,
    ranking,
    reviews,
    rounds,
)
from engage.activecitizens.services.audit import Actor
from engage.activecitizens.services.rounds import CriterionDetails
from engage.auth import services as auth_services
from engage.auth.models import Role, StaffUser
from engage.core.errors import DomainError
from engage.core.extensions import db as _db
from tests.grants import (
    BIRMINGHAM,
    COVENTRY,
    PASSWORD,
    application_in_state,
    make_group,
    make_round,
    round_details,
    sign_in_staff,
    staff_actor,
)

S = ApplicationState


def reviewer(email="reviewer@example.org"):
    return auth_services.create_staff(email, email.split("@")[0].title(), Role.REVIEWER, PASSWORD)


def in_review(db, **kwargs):
    application = application_in_state(S.IN_REVIEW, **kwargs)
    db.session.commit()
    return application


def test_recused_reviewer_can_neither_see_nor_score(client, db):
    application = in_review(db)
    assignment = reviews.assign_reviewer(application, reviewer(), staff_actor())
    db.session.commit()
    sign_in_staff(client, "reviewer@example.org")
    page = client.get(f"/staff/grants/reviews/{assignment.id}").get_data(as_text=True)
    assert "Declare any conflict" in page and "Friday" not in page
    response = client.post(
        f"/staff/grants/reviews/{assignment.id}/declaration",
        data={"has_conflict": "yes", "reason": "I coach at the club"},
    )
    assert response.status_code == 303
    page = client.get(f"/staff/grants/reviews/{assignment.id}").get_data(as_text=True)
    assert "recused" in page and "Sports and mentoring" not in page
    criteria = application.funding_round.criteria
    scores = {f"criterion_{c.id}": "5" for c in criteria} | {"recommendation": "fund"}
    response = client.post(f"/staff/grants/reviews/{assignment.id}/scores", data=scores)
    assert response.status_code == 403
    assert "declared a conflict of interest" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ReviewAssignment, assignment.id).scores == []
    with pytest.raises(DomainError, match="cannot score"):
        reviews.submit_review(
            assignment, {c.id: 5 for c in criteria}, reviews.Recommendation.FUND, "", Actor()
        )


def test_reviewer_must_declare_before_scoring_and_cannot_declare_twice(db):
    application = in_review(db)
    assignment = reviews.assign_reviewer(application, reviewer(), staff_actor())
    criteria = application.funding_round.criteria
    with pytest.raises(DomainError, match="Declare any conflict"):
        reviews.submit_review(
            assignment, {c.id: 3 for c in criteria}, reviews.Recommendation.FUND, "", Actor()
        )
    actor = Actor(staff=assignment.reviewer)
    reviews.declare_interest(assignment, False, "", actor)
    with pytest.raises(DomainError, match="already made your declaration"):
        reviews.declare_interest(assignment, True, "Changed my mind", actor)


def test_reviewers_other_than_the_assigned_one_get_404(client, db):
    application = in_review(db)
    assignment = reviews.assign_reviewer(application, reviewer(), staff_actor())
    reviewer("someone-else@example.org")
    db.session.commit()
    sign_in_staff(client, "someone-else@example.org")
    assert client.get(f"/staff/grants/reviews/{assignment.id}").status_code == 404


def test_scores_give_spread_weighted_total_and_ranking(client, db):
    funding_round = make_round()
    strong = in_review(db, funding_round=funding_round)
    weak = in_review(
        db,
        funding_round=funding_round,
        group=make_group("weak@example.org", name="Weak"),
        amount=400_000,  # with the strong one's £2,500, more than Birmingham's £6,000
    )
    need, value = funding_round.criteria  # weights 3 and 2
    for email, strong_scores in (("r1@example.org", (5, 4)), ("r2@example.org", (3, 4))):
        user = reviewer(email)
        actor = Actor(staff=user)
        for application, marks in ((strong, strong_scores), (weak, (1, 1))):
            assignment = reviews.assign_reviewer(application, user, staff_actor())
            reviews.declare_interest(assignment, False, "", actor)
            scores = {need.id: marks[0], value.id: marks[1]}
            reviews.submit_review(assignment, scores, reviews.Recommendation.FUND, "", actor)
    db.session.commit()
    summary = reviews.summarise_reviews(strong)
    # (5*3 + 4*2) / 25 = 92%, (3*3 + 4*2) / 25 = 68%: mean 80%.
    assert summary.weighted_percent == pytest.approx(80.0)
    assert summary.criteria[0][:4] == ("Need", 3, 3, 5)
    ranked = next(r for r in ranking.rank_by_area(funding_round) if r.area_code == BIRMINGHAM)
    assert [r.application.id for r in ranked.applications] == [strong.id, weak.id]
    assert [r.fits_if_higher_approved for r in ranked.applications] == [True, False]
    sign_in_staff(client, staff_actor().staff.email)
    page = client.get(f"/staff/grants/rounds/{funding_round.slug}").get_data(as_text=True)
    assert "80.0%" in page and "Ranking per area" in page


def test_partial_approval_commits_the_amount_against_round_and_area(db):
    application = application_in_state(S.PANEL_DECISION)
    decisions.approve(application, staff_actor(), 150_000)
    db.session.commit()
    funding_round = application.funding_round
    assert (application.state, application.amount_awarded_pence) == (S.APPROVED, 150_000)
    assert funding_round.committed_pence == 150_000
    assert funding_round.allocation_for(BIRMINGHAM).committed_pence == 150_000


@pytest.mark.parametrize(
    ("amount", "message"),
    [(0, "more than £0"), (-100, "more than £0"), (250_001, "cannot be more than that")],
)
def test_approval_of_a_bad_amount_is_refused(db, amount, message):
    application = application_in_state(S.PANEL_DECISION)
    db.session.commit()
    with pytest.raises(DomainError, match=message):
        decisions.approve(application, staff_actor(), amount)
    db.session.rollback()
    assert db.session.get(GrantApplication, application.id).state == S.PANEL_DECISION


def test_approval_beyond_the_area_allocation_is_refused_and_changes_nothing(client, db):
    funding_round = make_round()  # Coventry has £4,000
    first = application_in_state(
        S.APPROVED, funding_round=funding_round, amount=300_000, area=COVENTRY
    )
    second = application_in_state(
        S.PANEL_DECISION,
        funding_round=funding_round,
        group=make_group("second@example.org", name="Second"),
        amount=200_000,
        area=COVENTRY,
    )
    db.session.commit()
    sign_in_staff(client, staff_actor().staff.email)
    response = client.post(
        f"/staff/grants/applications/{second.id}/decision", data={"decision": "approve"}
    )
    assert response.status_code == 422
    assert "would overspend Coventry" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(GrantApplication, second.id).state == S.PANEL_DECISION
    assert db.session.get(FundingRound, funding_round.id).committed_pence == 300_000
    assert first.state == S.APPROVED


def test_decline_needs_a_reason_the_group_can_read(client, db):
    application = application_in_state(S.PANEL_DECISION)
    db.session.commit()
    sign_in_staff(client, staff_actor().staff.email)
    url = f"/staff/grants/applications/{application.id}/decision"
    page = client.get(f"/staff/grants/applications/{application.id}").get_data(as_text=True)
    assert "Needed to decline or to ask for information, not to approve." in page
    assert "information is needed (optional)" not in page
    response = client.post(url, data={"decision": "decline", "message": " "})
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "Enter the reason for declining" in text
    asked = client.post(url, data={"decision": "request_info", "message": ""})
    assert "Say what information the group needs to send" in asked.get_data(as_text=True)
    assert client.post(url, data={"decision": "approve", "message": ""}).status_code == 303
    db.session.expire_all()
    assert db.session.get(GrantApplication, application.id).state == S.APPROVED


def test_a_declined_application_keeps_the_reason_the_group_can_read(client, db):
    application = application_in_state(S.PANEL_DECISION)
    db.session.commit()
    sign_in_staff(client, staff_actor().staff.email)
    url = f"/staff/grants/applications/{application.id}/decision"
    response = client.post(url, data={"decision": "decline", "message": "Outside the priorities"})
    assert response.status_code == 303
    db.session.expire_all()
    declined = db.session.get(GrantApplication, application.id)
    assert (declined.state, declined.staff_message) == (S.DECLINED, "Outside the priorities")


def test_batch_approval_is_all_or_nothing(client, db):
    funding_round = make_round()  # £6,000 in Birmingham
    waiting = [
        application_in_state(
            S.PANEL_DECISION,
            funding_round=funding_round,
            group=make_group(f"g{n}@example.org", name=f"Group {n}"),
            amount=250_000,
        )
        for n in range(3)
    ]
    db.session.commit()
    sign_in_staff(client, staff_actor().staff.email)
    url = f"/staff/grants/rounds/{funding_round.slug}/decisions"
    ids = [str(a.id) for a in waiting]
    response = client.post(url, data={"application_ids": ids, "choice": "approve"})
    assert response.status_code == 422
    assert "would overspend" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(FundingRound, funding_round.id).committed_pence == 0
    response = client.post(url, data={"application_ids": ids[:2], "choice": "approve"})
    assert response.status_code == 303
    db.session.expire_all()
    states = [db.session.get(GrantApplication, a.id).state for a in waiting]
    assert states == [S.APPROVED, S.APPROVED, S.PANEL_DECISION]
    assert db.session.get(FundingRound, funding_round.id).committed_pence == 500_000

    unexplained = client.post(url, data={"application_ids": ids[2:], "choice": "decline"})
    assert unexplained.status_code == 422
    assert "Enter the reason for declining" in unexplained.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(GrantApplication, waiting[2].id).state == S.PANEL_DECISION


def test_fund_overview_shows_committed_paid_and_remaining_per_area(client, db):
    funding_round = make_round()
    application_in_state(S.MONITORING, funding_round=funding_round, amount=200_000)
    application_in_state(
        S.APPROVED,
        funding_round=funding_round,
        group=make_group("b@example.org", name="B"),
        amount=100_000,
        area=COVENTRY,
    )
    db.session.commit()
    summary = overview.fund_overview(funding_round)
    by_area = {a.area_code: a for a in summary.areas}
    assert (summary.committed_pence, summary.paid_pence, summary.remaining_pence) == (
        300_000,
        200_000,
        700_000,
    )
    assert (by_area[BIRMINGHAM].paid_pence, by_area[COVENTRY].remaining_pence) == (200_000, 300_000)
    sign_in_staff(client, staff_actor().staff.email)
    page = client.get(f"/staff/grants/rounds/{funding_round.slug}/overview")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "£3,000" in text and "fund-by-area" in text


def test_round_budget_cannot_fall_below_what_is_committed(client, db):
    funding_round = make_round()
    application_in_state(S.APPROVED, funding_round=funding_round, amount=400_000)
    db.session.commit()
    sign_in_staff(client, staff_actor().staff.email)
    page = client.get(f"/staff/grants/rounds/{funding_round.slug}/edit").get_data(as_text=True)
    assert 'value="10000"' in page
    form = {
        "name": funding_round.name,
        "slug": funding_round.slug,
        "opens_on": funding_round.opens_on.isoformat(),
        "closes_on": funding_round.closes_on.isoformat(),
        "decisions_by": funding_round.decisions_by.isoformat(),
        "projects_start_from": funding_round.projects_start_from.isoformat(),
        "projects_end_by": funding_round.projects_end_by.isoformat(),
        "budget": "10000",
        "min_grant": "500",
        "max_grant": "5000",
        f"allocation_{BIRMINGHAM}": "3000",
        "priorities": "Young people",
        "criteria": "Need | 3 | Evidence",
    }
    response = client.post(f"/staff/grants/rounds/{funding_round.slug}/edit", data=form)
    assert response.status_code == 422
    assert "Birmingham already has £4,000 committed" in response.get_data(as_text=True)
    response = client.post(
        f"/staff/grants/rounds/{funding_round.slug}/edit",
        data={**form, f"allocation_{BIRMINGHAM}": "4000", "criteria": "Need | eleven"},
    )
    assert response.status_code == 422 and "needs a name and a weight" in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert (
        db.session.get(FundingRound, funding_round.id).allocation_for(BIRMINGHAM).allocation_pence
        == 600_000
    )


def test_office_creates_a_round_from_the_form(client, db, login):
    login(client, "pcc")
    form = {
        "name": "Active Citizens Fund 2027",
        "slug": "acf-2027",
        "opens_on": "2027-01-04",
        "closes_on": "2027-02-28",
        "decisions_by": "2027-04-30",
        "projects_start_from": "2027-05-01",
        "projects_end_by": "2028-03-31",
        "budget": "1,000,000",
        "min_grant": "250",
        "max_grant": "5000",
        f"allocation_{BIRMINGHAM}": "1000001",
        "priorities": "Young people\nSupporting victims",
        "criteria": "Need | 3 | Evidence of need\nValue for money | 2 |",
    }
    response = client.post("/staff/grants/rounds/new", data=form)
    assert response.status_code == 422 and "more than the budget" in response.get_data(as_text=True)
    form[f"allocation_{BIRMINGHAM}"] = "400000"
    assert client.post("/staff/grants/rounds/new", data=form).status_code == 303
    created = db.session.scalar(db.select(FundingRound))
    assert (created.budget_pence, [c.weight for c in created.criteria]) == (100_000_000, [3, 2])


@pytest.mark.parametrize("role", ["consultation", "comms", "reviewer"])
def test_only_the_pccs_office_manages_the_fund(client, db, login, role):
    application = application_in_state(S.PANEL_DECISION)
    db.session.commit()
    login(client, role)
    assert client.get("/staff/grants/").status_code == 403
    assert client.get(f"/staff/grants/applications/{application.id}").status_code == 403
    response = client.post(
        f"/staff/grants/applications/{application.id}/decision", data={"decision": "approve"}
    )
    assert response.status_code == 403
    assert db.session.get(GrantApplication, application.id).state == S.PANEL_DECISION


def test_staff_case_page_takes_an_application_through_its_steps(client, db):
    application = application_in_state(S.SUBMITTED)
    user = reviewer()
    db.session.commit()
    sign_in_staff(client, staff_actor().staff.email)
    base = f"/staff/grants/applications/{application.id}"
    assert client.post(f"{base}/steps/start_check").status_code == 303
    assert client.post(f"{base}/steps/close").status_code == 303  # refused, with a message
    assert client.post(f"{base}/steps/pass_check").status_code == 303
    assert client.post(f"{base}/reviewers", data={"reviewer_id": user.id}).status_code == 303
    again = client.post(f"{base}/reviewers", data={"reviewer_id": user.id})
    assert again.status_code == 422
    assert client.post(f"{base}/steps/unknown").status_code == 404
    db.session.expire_all()
    application = db.session.get(GrantApplication, application.id)
    assert application.state == S.IN_REVIEW
    assignment = db.session.scalar(db.select(ReviewAssignment))
    assert assignment.declaration == ConflictDeclaration.PENDING
    page = client.get(base).get_data(as_text=True)
    assert "Started the eligibility check" in page and "not declared yet" in page


def approve_at_once(app, application_id, officer_id, barrier, outcomes):
    """One officer's approval, in its own thread, app context, session and connection."""
    with app.app_context():
        application = _db.session.get(GrantApplication, application_id)
        officer = _db.session.get(StaffUser, officer_id)
        barrier.wait()
        try:
            decisions.approve(application, Actor(staff=officer))
            _db.session.commit()
            outcomes.append("approved")
        except DomainError:
            _db.session.rollback()
            outcomes.append("refused")
        finally:
            _db.session.remove()


def test_concurrent_approvals_never_overspend(app, db):
    """Officers approving at once, each fitting alone but not together: one wins, one is refused."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite has a single writer")
    rounds_to_try = 5
    for attempt in range(rounds_to_try):
        funding_round = make_round(slug=f"race-{attempt}")  # £6,000 in Birmingham
        contenders = [
            application_in_state(
                S.PANEL_DECISION,
                funding_round=funding_round,
                group=make_group(f"race{attempt}-{n}@example.org", name=f"Group {n}"),
                amount=400_000,
            ).id
            for n in range(2)
        ]
        officer_ids = [
            auth_services.create_staff(
                f"officer{attempt}-{n}@example.org", f"Officer {n}", Role.PCC, PASSWORD
            ).id
            for n in range(2)
        ]
        db.session.commit()
        barrier = threading.Barrier(2)
        outcomes = []

        threads = [
            threading.Thread(target=approve_at_once, args=(app, *pair, barrier, outcomes))
            for pair in zip(contenders, officer_ids, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        db.session.expire_all()
        funding_round = db.session.get(FundingRound, funding_round.id)
        assert sorted(outcomes) == ["approved", "refused"]
        assert funding_round.allocation_for(BIRMINGHAM).committed_pence == 400_000
        assert funding_round.committed_pence == 400_000


def test_only_reviewers_without_a_conflict_can_open_the_documents(app, client, db):
    application = in_review(db)
    office = staff_actor()
    recused, clear = reviewer("recused@example.org"), reviewer("clear@example.org")
    for user, conflict in ((recused, True), (clear, False)):
        assignment = reviews.assign_reviewer(application, user, office)
        reviews.declare_interest(assignment, conflict, "My sister runs it", Actor(staff=user))
    document = ApplicationDocument(
        application=application,
        kind=DocumentKind.SUPPORTING,
        original_name="quote.pdf",
        storage_key="e2e0000000000000000000000000quote",
        content_type="application/pdf",
        size_bytes=15,
    )
    db.session.add(document)
    db.session.commit()
    (documents.storage_dir() / document.storage_key).write_bytes(b"%PDF-1.7\n%%EOF\n")
    url = f"/active-citizens-fund/documents/{document.id}"
    sign_in_staff(client, "recused@example.org")
    assert client.get(url).status_code == 404
    other_client = app.test_client()
    sign_in_staff(other_client, "clear@example.org")
    response = other_client.get(url)
    assert response.status_code == 200
    response.close()


def test_a_scored_criterion_cannot_be_removed_from_the_round(db):
    application = in_review(db)
    user = reviewer()
    assignment = reviews.assign_reviewer(application, user, staff_actor())
    reviews.declare_interest(assignment, False, "", Actor(staff=user))
    criteria = application.funding_round.criteria
    reviews.submit_review(
        assignment, {c.id: 3 for c in criteria}, reviews.Recommendation.FUND, "", Actor(staff=user)
    )
    db.session.commit()
    details = round_details(criteria=[CriterionDetails("Need", 3, "")])
    with pytest.raises(DomainError, match="scored against 'Value for money'"):
        rounds.update_round(application.funding_round, details, staff_actor())
    db.session.rollback()
    assert len(db.session.get(ReviewAssignment, assignment.id).scores) == 2
