"""The staff home shows each role what is waiting for it, with links to deal with it."""

import re

from engage.activecitizens.models import ApplicationState
from engage.activecitizens.services import reviews
from engage.auth.models import Role
from engage.surveys.models import QuestionKind
from tests.grants import application_in_state, make_group, make_round, sign_in_staff, staff_actor

S = ApplicationState


def test_the_pcc_office_sees_applications_waiting_for_it(client, db):
    funding_round = make_round()
    application_in_state(S.SUBMITTED, funding_round=funding_round)
    application_in_state(
        S.PANEL_DECISION,
        funding_round=funding_round,
        group=make_group("two@example.org", name="Two"),
    )
    db.session.commit()
    sign_in_staff(client, staff_actor().staff.email)
    home = client.get("/staff/").get_data(as_text=True)
    assert re.search(r"<strong>1</strong> applications wait for an eligibility check", home)
    assert re.search(r"<strong>1</strong> applications wait for a decision", home)
    assert "0 eligibility checks are under way" in home
    assert 'href="/staff/grants/rounds"' in home or "/staff/grants/" in home


def test_a_reviewer_sees_the_reviews_still_to_do(client, db):
    application = application_in_state(S.IN_REVIEW)
    reviewer = staff_actor(Role.REVIEWER, "reviewer@example.org").staff
    reviews.assign_reviewer(application, reviewer, staff_actor())
    db.session.commit()
    sign_in_staff(client, reviewer.email)
    home = client.get("/staff/").get_data(as_text=True)
    assert re.search(r"<strong>1</strong> reviews to do", home)
    assert "applications wait" not in home  # the office's queues are not a reviewer's


def test_consultation_staff_see_open_consultations_with_their_responses(
    client, login, make_consultation, make_response
):
    consultation_id = make_consultation()
    make_response(consultation_id, {QuestionKind.YES_NO: [0]})
    make_response(consultation_id, {QuestionKind.YES_NO: [1]})
    login(client, Role.CONSULTATION)
    home = client.get("/staff/").get_data(as_text=True)
    assert re.search(r"<strong>2</strong> responses to “Your police, your say”", home)
    assert f"/staff/consultations/{consultation_id}/results" in home
    assert "Campaign:" not in home and "Active Citizens Fund</h3>" not in home
