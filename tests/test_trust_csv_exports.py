"""Every CSV export defuses text a spreadsheet would run as a formula."""

import csv
import io
from datetime import UTC, datetime

from engage.activecitizens.services import decisions, rounds
from engage.activecitizens.services.audit import Actor
from engage.auth import services as auth_services
from engage.auth.models import Role
from engage.social.models import Platform, SocialPost
from engage.surveys.models import Consultation, QuestionKind
from engage.surveys.services.contacts import ContactChoice, record_contact_request
from tests.conftest import PASSWORD
from tests.grants import S, application_in_state, make_group, make_round, sign_in_staff

FORMULA = '=HYPERLINK("http://evil.example","click")'


def assert_guarded(response) -> None:
    assert response.status_code == 200
    cells = [
        cell for row in csv.reader(io.StringIO(response.get_data(as_text=True))) for cell in row
    ]
    assert any(cell.startswith("'" + FORMULA) for cell in cells)
    for cell in cells:
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
        if cell.startswith("-"):
            float(cell)  # a negative number is the only cell that may start with a minus


def test_contacts_export_is_guarded(db, client, login, make_consultation):
    consultation = db.session.get(Consultation, make_consultation())
    record_contact_request(
        consultation, ContactChoice(prize_draw=True, name=FORMULA, email="a@example.org")
    )
    db.session.commit()
    login(client, Role.CONSULTATION)
    assert_guarded(client.get(f"/staff/consultations/{consultation.id}/export/contacts.csv"))


def test_summary_export_is_guarded(db, client, login, make_consultation, make_response):
    consultation_id = make_consultation(kinds=(QuestionKind.YES_NO,))
    db.session.get(Consultation, consultation_id).questions[0].options[0].label = FORMULA
    db.session.commit()
    make_response(consultation_id, {QuestionKind.YES_NO: [0]})
    login(client, Role.PCC)
    assert_guarded(client.get(f"/staff/consultations/{consultation_id}/export/summary.csv"))


def test_social_posts_export_is_guarded(db, client, login, make_campaign):
    campaign_id = make_campaign()
    db.session.add(
        SocialPost(
            campaign_id=campaign_id,
            platform=Platform.X,
            external_id="9",
            text=FORMULA,
            created_at=datetime.now(UTC),
        )
    )
    db.session.commit()
    login(client, Role.COMMS)
    assert_guarded(client.get("/staff/social/wmp2020/posts.csv"))


def office_member(db):
    auth_services.create_staff("office@example.org", FORMULA, Role.PCC, PASSWORD)
    db.session.commit()


def office_actor() -> Actor:
    return Actor(staff=auth_services.find_staff_by_email("office@example.org"))


def test_round_audit_export_is_guarded(db, client):
    office_member(db)
    funding_round = make_round()
    application = application_in_state(S.SUBMITTED, funding_round=funding_round)
    # the audit log names the staff member who acted: here one whose name is a formula
    decisions.start_check(application, office_actor())
    db.session.commit()
    sign_in_staff(client, "office@example.org")
    assert_guarded(client.get(f"/staff/grants/rounds/{funding_round.slug}/audit.csv"))


def test_360giving_csv_is_guarded(db, client):
    office_member(db)
    funding_round = make_round()
    application_in_state(
        S.OFFER_ACCEPTED, funding_round=funding_round, group=make_group(name=FORMULA)
    )
    rounds.publish_awards(funding_round, office_actor())
    db.session.commit()
    sign_in_staff(client, "office@example.org")
    assert_guarded(client.get(f"/staff/grants/rounds/{funding_round.slug}/360giving.csv"))
