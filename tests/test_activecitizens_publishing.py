"""Publishing a round's awards: confirmed first, accepted grants only, and withdrawable."""

import csv
import io

from engage.activecitizens.models import ApplicationState, AuditEntry
from engage.activecitizens.models.reviews import Recommendation
from engage.activecitizens.services import reviews
from engage.activecitizens.services.audit import Actor
from engage.auth.models import Role
from tests.grants import application_in_state, make_group, make_round, staff_actor

S = ApplicationState
FUNDED_PAGE = "/active-citizens-fund/funded-projects"


def _round_with_offers(db):
    funding_round = make_round()
    application_in_state(S.OFFER_ACCEPTED, funding_round=funding_round)
    application_in_state(
        S.APPROVED,
        funding_round=funding_round,
        group=make_group("offer@example.org", name="Offered Not Accepted"),
    )
    db.session.commit()
    return funding_round


def test_publishing_asks_first_and_shows_what_becomes_public(client, db, login):
    funding_round = _round_with_offers(db)
    login(client, Role.PCC)
    url = f"/staff/grants/rounds/{funding_round.slug}/publish"

    page = client.get(url).get_data(as_text=True)
    assert "The round is still open" in page
    assert "This puts 1 grant worth £2,500" in page
    assert "Hillfields Youth Club" in page and "Offered Not Accepted" not in page
    assert "1 offer is not accepted yet" in page

    refused = client.post(url, data={})
    assert refused.status_code == 422
    assert "Confirm that these grants can be made public" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert funding_round.awards_published_at is None

    assert client.post(url, data={"confirm": "y"}).status_code == 303
    public = client.get(FUNDED_PAGE).get_data(as_text=True)
    assert "Hillfields Youth Club" in public
    assert "Offered Not Accepted" not in public  # an offer is not an award until accepted


def test_a_publication_can_be_withdrawn_with_a_reason_in_the_audit_log(client, db, login):
    funding_round = _round_with_offers(db)
    login(client, Role.PCC)
    slug = funding_round.slug
    client.post(f"/staff/grants/rounds/{slug}/publish", data={"confirm": "y"})
    url = f"/staff/grants/rounds/{slug}/unpublish"

    refused = client.post(url, data={"reason": "  "})
    assert refused.status_code == 422
    assert "Say why the publication is withdrawn" in refused.get_data(as_text=True)
    assert "Hillfields Youth Club" in client.get(FUNDED_PAGE).get_data(as_text=True)

    assert client.post(url, data={"reason": "Published before the panel met"}).status_code == 303
    assert "Hillfields Youth Club" not in client.get(FUNDED_PAGE).get_data(as_text=True)
    log = client.get(f"/staff/grants/rounds/{slug}/audit").get_data(as_text=True)
    assert "Withdrew the publication of the awards" in log
    assert "Reason: Published before the panel met" in log
    again = client.get(url, follow_redirects=True).get_data(as_text=True)
    assert "not published" in again

    exported = client.get(f"/staff/grants/rounds/{slug}/audit.csv")
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert [row["action"] for row in rows][:2] == ["withdraw_publication", "publish_awards"]
    assert '"reason": "Published before the panel met"' in rows[0]["details"]


def test_only_the_pcc_office_publishes(client, db, login):
    funding_round = _round_with_offers(db)
    login(client, Role.CONSULTATION)
    url = f"/staff/grants/rounds/{funding_round.slug}/publish"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"confirm": "y"}).status_code == 403


def test_the_audit_trail_names_criteria_and_statuses(client, db, login):
    application = application_in_state(S.IN_REVIEW)
    reviewer = staff_actor(Role.REVIEWER, "reviewer@example.org")
    assignment = reviews.assign_reviewer(application, reviewer.staff, staff_actor())
    reviews.declare_interest(assignment, False, "", Actor(staff=reviewer.staff))
    criteria = application.funding_round.criteria
    reviews.submit_review(
        assignment,
        {criteria[0].id: 4, criteria[1].id: 2},
        Recommendation.FUND,
        "",
        Actor(staff=reviewer.staff),
    )
    db.session.commit()
    login(client, Role.PCC)
    page = client.get(f"/staff/grants/applications/{application.id}").get_data(as_text=True)
    assert "Scores: Need 4, Value for money 2" in page
    assert "Checking eligibility → With the review panel" in page
    assert "eligibility_check →" not in page and "None, {" not in page
    assert db.session.query(AuditEntry).count() > 0
