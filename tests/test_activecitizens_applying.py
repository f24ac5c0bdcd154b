"""Groups register, draft, send and track applications; bad input changes nothing."""

import html
import io
from datetime import date, timedelta

import pytest

from engage.activecitizens.models import (
    ApplicationDocument,
    ApplicationState,
    CommunityGroup,
    GrantApplication,
)
from engage.activecitizens.services import audit
from tests.grants import (
    BIRMINGHAM,
    PASSWORD,
    application_in_state,
    forget_signed_in_user,
    make_group,
    make_round,
)

S = ApplicationState
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def sign_in_group(client, email="group@example.org"):
    forget_signed_in_user()
    response = client.post(
        "/active-citizens-fund/sign-in", data={"email": email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def draft(db):
    """A draft in an open round, by a group that can apply; returns (application id, round)."""
    funding_round = make_round()
    application = application_in_state(S.DRAFT, funding_round=funding_round)
    db.session.commit()
    return application.id, funding_round


def form_data(funding_round, **overrides):
    start = funding_round.projects_start_from
    data = {
        "title": "Safer streets after school",
        "summary": "Friday youth sessions.",
        "activities": "Sports and mentoring.",
        "beneficiaries": "Young people on the estate.",
        "beneficiary_count": "120",
        "outcomes": "Less anti-social behaviour.",
        "priority_ids": str(funding_round.priorities[0].id),
        "main_area_code": BIRMINGHAM,
        "amount_requested": "2,500",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=90)).isoformat(),
        "budget_lines-0-purpose": "Coaches",
        "budget_lines-0-amount": "2000",
        "budget_lines-1-purpose": "Equipment",
        "budget_lines-1-amount": "500.00",
    }
    data.update(overrides)
    return data


def test_group_registers_and_lands_on_its_applications(client, db):
    response = client.post(
        "/active-citizens-fund/register",
        data={
            "email": "Friends@Example.org",
            "password": PASSWORD,
            "name": "Friends of Moseley Park",
            "organisation_type": "charity",
            "charity_number": "1123456",
            "contact_name": "Ada Jones",
            "address": "Moseley, Birmingham",
            "postcode": "b13 8aa",
            "bank_account_in_group_name": "y",
            "has_safeguarding_policy": "y",
        },
    )
    assert response.status_code == 303
    group = db.session.scalar(db.select(CommunityGroup))
    assert (group.email, group.charity_number, group.postcode) == (
        "friends@example.org",
        "1123456",
        "B13 8AA",
    )
    assert "Your applications" in client.get("/active-citizens-fund/my").get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"organisation_type": "charity", "charity_number": "12"}, "registered number"),
        ({"organisation_type": "company", "company_number": ""}, "Companies House number"),
        ({"postcode": "NOTAPOST"}, "real postcode"),
        ({"password": "short"}, "at least 12 characters"),
        ({"password": "password123456"}, "harder to guess"),
        ({"password": "group@example.org"}, "harder to guess"),  # the group's own email
        ({"organisation_type": "bank"}, "Not a valid choice"),
        ({"name": "x" * 201}, "200 characters"),
    ],
)
def test_registration_with_bad_details_is_refused(client, db, change, message):
    data = {
        "email": "group@example.org",
        "password": PASSWORD,
        "name": "Group",
        "organisation_type": "unregistered",
        "contact_name": "Ada",
        "address": "Somewhere",
        "postcode": "B1 1AA",
    }
    response = client.post("/active-citizens-fund/register", data={**data, **change})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(CommunityGroup.id))) == 0


def test_duplicate_registration_is_refused(client, db):
    make_group()
    db.session.commit()
    response = client.post(
        "/active-citizens-fund/register",
        data={
            "email": "GROUP@example.org",
            "password": PASSWORD,
            "name": "Copy",
            "organisation_type": "unregistered",
            "contact_name": "Ada",
            "address": "Somewhere",
            "postcode": "B1 1AA",
        },
    )
    assert response.status_code == 422
    assert "already registered" in response.get_data(as_text=True)


def test_group_saves_a_draft_comes_back_and_sends_it(client, db, draft):
    application_id, funding_round = draft
    sign_in_group(client)
    edit = f"/active-citizens-fund/my/applications/{application_id}/edit"
    assert client.post(edit, data=form_data(funding_round)).status_code == 303
    page = client.get(edit).get_data(as_text=True)
    assert "Safer streets after school" in page and 'value="2500"' in page
    check = client.get(f"/active-citizens-fund/my/applications/{application_id}/check")
    page = check.get_data(as_text=True)
    assert "Check your application before sending it" in page
    assert "Sports and mentoring" in page or "Safer streets after school" in page
    assert f"/my/applications/{application_id}/edit#amount_requested_pence" in page
    submit = f"/active-citizens-fund/my/applications/{application_id}/submit"
    undeclared = client.post(submit)
    assert undeclared.status_code == 422
    assert "Confirm the declaration to send the application" in undeclared.get_data(as_text=True)
    assert db.session.get(GrantApplication, application_id).state == S.DRAFT
    response = client.post(submit, data={"declaration": "y"})
    assert response.status_code == 303
    application = db.session.get(GrantApplication, application_id)
    assert application.state == S.SUBMITTED
    [sent] = [e for e in audit.entries_for_application(application_id) if e.action == "submit"]
    assert "authorised by the group" in audit.details_of(sent)["declaration"]
    assert application.amount_requested_pence == 250_000
    assert [(line.description, line.amount_pence) for line in application.budget_lines] == [
        ("Coaches", 200_000),
        ("Equipment", 50_000),
    ]
    tracking = client.get(f"/active-citizens-fund/my/applications/{application_id}")
    text = tracking.get_data(as_text=True)
    assert "Received" in text and "What happens next" in text
    assert "Checking eligibility" not in text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount_requested": "-5"}, "more than £0"),
        ({"amount_requested": "0"}, "more than £0"),
        ({"amount_requested": "12.345"}, "whole pence"),
        ({"amount_requested": "twelve"}, "amount in pounds"),
        ({"amount_requested": "6000", "budget_lines-0-amount": "5500"}, "largest grant is £5,000"),
        ({"amount_requested": "100", "budget_lines-0-amount": "-400"}, "more than £0"),
        ({"amount_requested": "3000"}, "add up to £2,500 but you are asking for £3,000"),
        ({"budget_lines-1-purpose": ""}, "Say what this line pays for"),
        ({"starts_on": "2001-01-01"}, "must start between"),
        ({"ends_on": "2099-01-01"}, "must end by"),
        ({"starts_on": "2026-02-30"}, "must be a real date"),
        ({"main_area_code": "E08999999"}, "Not a valid choice"),
        ({"priority_ids": "99999"}, "not a valid choice"),
        ({"title": "x" * 201}, "200 characters"),
        ({"beneficiary_count": "many"}, "Not a valid integer"),
    ],
)
def test_bad_application_input_is_refused_and_changes_nothing(
    client, db, draft, overrides, message
):
    application_id, funding_round = draft
    sign_in_group(client)
    response = client.post(
        f"/active-citizens-fund/my/applications/{application_id}/edit",
        data=form_data(funding_round, **overrides),
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert message in text, text
    assert "There is a problem" in text
    db.session.expire_all()
    application = db.session.get(GrantApplication, application_id)
    assert (application.title, application.amount_requested_pence) == ("", 0)
    assert application.budget_lines == []


def test_sending_an_incomplete_application_lists_every_reason(client, db, draft):
    application_id, _ = draft
    sign_in_group(client)
    response = client.post(f"/active-citizens-fund/my/applications/{application_id}/submit")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    for reason in ("Give your project a title", "Add at least one budget line", "start date"):
        assert reason in text
    assert db.session.get(GrantApplication, application_id).state == S.DRAFT


def test_group_without_a_safeguarding_policy_cannot_send(client, db):
    funding_round = make_round()
    group = make_group(has_safeguarding_policy=False)
    application = application_in_state(S.DRAFT, group=group, funding_round=funding_round)
    db.session.commit()
    sign_in_group(client)
    client.post(
        f"/active-citizens-fund/my/applications/{application.id}/edit",
        data=form_data(funding_round),
    )
    response = client.post(f"/active-citizens-fund/my/applications/{application.id}/submit")
    assert response.status_code == 422
    assert "safeguarding policy" in response.get_data(as_text=True)
    assert db.session.get(GrantApplication, application.id).state == S.DRAFT


def test_closed_round_refuses_new_applications_and_drafts(client, db):
    today = date.today()
    funding_round = make_round()
    draft = application_in_state(S.DRAFT, funding_round=funding_round)
    funding_round.closes_on = today - timedelta(days=1)
    funding_round.opens_on = today - timedelta(days=30)
    db.session.commit()
    sign_in_group(client)
    response = client.post(f"/active-citizens-fund/rounds/{funding_round.slug}/start")
    assert response.status_code == 409
    assert "not open for applications" in response.get_data(as_text=True)
    response = client.post(
        f"/active-citizens-fund/my/applications/{draft.id}/edit", data=form_data(funding_round)
    )
    assert response.status_code == 422 and "closed on" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(GrantApplication.id))) == 1


def test_sent_application_cannot_be_edited(client, db):
    application = application_in_state(S.SUBMITTED)
    db.session.commit()
    sign_in_group(client)
    funding_round = application.funding_round
    response = client.post(
        f"/active-citizens-fund/my/applications/{application.id}/edit",
        data=form_data(funding_round, title="Changed after sending"),
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(GrantApplication, application.id).title == "Safer streets after school"


def test_more_information_reopens_it_for_the_group_to_change_and_resend(client, db):
    application = application_in_state(S.MORE_INFO_REQUESTED)
    db.session.commit()
    sign_in_group(client)
    page = client.get(f"/active-citizens-fund/my/applications/{application.id}")
    assert "Send a quote" in page.get_data(as_text=True)
    edit = f"/active-citizens-fund/my/applications/{application.id}/edit"
    data = form_data(application.funding_round, title="With the quote")
    assert client.post(edit, data=data).status_code == 303
    client.post(
        f"/active-citizens-fund/my/applications/{application.id}/submit",
        data={"declaration": "y"},
    )
    db.session.expire_all()
    reopened = db.session.get(GrantApplication, application.id)
    assert (reopened.title, reopened.state) == ("With the quote", S.SUBMITTED)


@pytest.mark.parametrize("suffix", ["", "/edit", "/offer", "/report", "/withdraw"])
def test_another_groups_application_is_not_found(client, db, suffix):
    theirs = application_in_state(S.APPROVED)
    make_group("other@example.org", name="Another group")
    db.session.commit()
    sign_in_group(client, "other@example.org")
    response = client.get(f"/active-citizens-fund/my/applications/{theirs.id}{suffix}")
    assert response.status_code == 404
    response = client.post(f"/active-citizens-fund/my/applications/{theirs.id}/submit")
    assert response.status_code == 404


def test_group_pages_need_a_group_sign_in(client, db, login):
    response = client.get("/active-citizens-fund/my")
    assert response.status_code == 302 and "/active-citizens-fund/sign-in" in response.location
    login(client, "pcc")
    assert client.get("/active-citizens-fund/my").status_code == 403


def test_signed_in_group_cannot_reach_staff_pages(client, db):
    make_group()
    db.session.commit()
    sign_in_group(client)
    for path in ("/staff/", "/staff/grants/", "/staff/grants/reviews", "/staff/surveys/"):
        assert client.get(path).status_code in (403, 404), path


def upload(client, application_id, name, content):
    return client.post(
        f"/active-citizens-fund/my/applications/{application_id}/documents",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_document_is_kept_outside_the_web_root_and_served_only_to_its_group(
    client, db, draft, app, make_app
):
    application_id, _ = draft
    sign_in_group(client)
    assert upload(client, application_id, "constitution.pdf", PDF).status_code == 303
    document = db.session.scalar(db.select(ApplicationDocument))
    stored = app.config["GRANT_DOCUMENTS_DIR"]
    assert "static" not in stored and document.content_type == "application/pdf"
    response = client.get(f"/active-citizens-fund/documents/{document.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Cache-Control"] == "private, no-store"
    response.close()
    make_group("other@example.org", name="Other")
    db.session.commit()
    other = app.test_client()
    sign_in_group(other, "other@example.org")
    assert other.get(f"/active-citizens-fund/documents/{document.id}").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("budget.pdf", b"MZ\x90\x00 not a pdf", "not a file type we accept"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "content is a PNG image"),
        ("report.docx", PDF, "content is a PDF"),
        ("script.exe", PDF, "named as a .exe"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_document_that_is_not_what_its_name_says_is_refused(
    client, db, draft, name, content, message
):
    application_id, _ = draft
    sign_in_group(client)
    response = upload(client, application_id, name, content)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ApplicationDocument.id))) == 0


def test_document_over_the_size_limit_is_refused(db, draft, make_app):
    # A small limit keeps the upload in memory: werkzeug's test client leaks the temporary
    # file it spools a multi-megabyte body into.
    client = make_app(GRANT_DOCUMENT_MAX_BYTES=20 * 1024).test_client()
    application_id, _ = draft
    sign_in_group(client)
    response = upload(client, application_id, "big.pdf", PDF + b"0" * 30 * 1024)
    assert response.status_code == 422
    text = html.unescape(response.get_data(as_text=True))
    assert "'big.pdf' is 30 KB: the largest file we accept is 20 KB" in text
    assert db.session.scalar(db.select(db.func.count(ApplicationDocument.id))) == 0


def test_offer_is_accepted_only_with_the_conditions_confirmed(client, db):
    application = application_in_state(S.APPROVED)
    db.session.commit()
    sign_in_group(client)
    url = f"/active-citizens-fund/my/applications/{application.id}/offer"
    assert client.post(url, data={}).status_code == 422
    assert db.session.get(GrantApplication, application.id).state == S.APPROVED
    assert client.post(url, data={"confirm": "y"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(GrantApplication, application.id).state == S.OFFER_ACCEPTED
    again = client.post(url, data={"confirm": "y"})
    assert again.status_code == 422 and "cannot be done while" in again.get_data(as_text=True)


def test_monitoring_report_records_spend_per_line_once(client, db):
    application = application_in_state(S.MONITORING)
    db.session.commit()
    lines = application.budget_lines
    sign_in_group(client)
    url = f"/active-citizens-fund/my/applications/{application.id}/report"
    data = {"what_was_done": "Ran 20 sessions.", "people_reached": "95"}
    data |= {f"spent_{line.id}": "100" for line in lines}
    assert client.post(url, data={**data, "people_reached": "-3"}).status_code == 422
    photo = (io.BytesIO(PDF), "photo.pdf")
    response = client.post(url, data={**data, "photo": photo}, content_type="multipart/form-data")
    assert response.status_code == 422 and "not a photo" in response.get_data(as_text=True)
    assert client.post(url, data=data).status_code == 303
    db.session.expire_all()
    application = db.session.get(GrantApplication, application.id)
    assert application.monitoring_report.people_reached == 95
    assert [line.spent_pence for line in application.budget_lines] == [10_000, 10_000]
    assert client.post(url, data=data).status_code == 422


def test_withdrawing_an_offered_grant_returns_the_money(client, db):
    application = application_in_state(S.APPROVED)
    db.session.commit()
    funding_round = application.funding_round
    assert funding_round.committed_pence == 250_000
    sign_in_group(client)
    url = f"/active-citizens-fund/my/applications/{application.id}/withdraw"
    assert client.post(url, data={"reason": "Venue closed"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(GrantApplication, application.id).state == S.WITHDRAWN
    assert funding_round.committed_pence == 0
    assert funding_round.allocation_for(BIRMINGHAM).committed_pence == 0
