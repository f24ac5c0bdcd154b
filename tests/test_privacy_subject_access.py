"""Subject access and erasure: find by email or reference, export a ZIP, erase; refused for
someone unknown, for bad input and while a grant is open, with nothing changed."""

import io
import json
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from engage.activecitizens.models import CommunityGroup, GrantApplication
from engage.core.extensions import db as _db
from engage.privacy.models import DeletionLog
from engage.surveys.models import ContactRequest
from tests.grants import S, application_in_state, make_group, make_round

EMAIL = "jo.bloggs@example.org"


@pytest.fixture
def admin(client, login):
    login(client, "admin")
    return client


def count(model) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


def _contact(consultation_id: int, email: str = EMAIL, reference: str = "P-ABCD2345"):
    _db.session.add(
        ContactRequest(
            consultation_id=consultation_id,
            entry_reference=reference,
            name="Jo Bloggs",
            email=email,
            wants_updates=True,
            prize_draw=True,
            created_on=date.today(),
        )
    )
    _db.session.commit()


def test_finds_contact_details_by_email_and_by_reference(admin, db, make_consultation):
    _contact(make_consultation())
    for query in (EMAIL.upper(), "p-abcd2345"):
        page = admin.get("/staff/privacy/subject-access", query_string={"query": query})
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "P-ABCD2345" in html and "updates and prize draw" in html


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("nobody@example.org", 404, "Nothing is held under that email address or reference"),
        ("P-ZZZZZZZZ", 404, "Nothing is held"),
        ("ACF-99999", 404, "Nothing is held"),
        ("", 422, "Enter an email address or a reference"),
        ("robert'); DROP TABLE", 422, "Enter an email address like name@example.com"),
        ("x" * 300 + "@example.org", 422, "Enter 254 characters or fewer"),
    ],
)
def test_someone_unknown_or_a_malformed_query_gets_a_clear_message(
    admin, db, query, status, message
):
    page = admin.get("/staff/privacy/subject-access", query_string={"query": query})
    assert page.status_code == status
    assert message in page.get_data(as_text=True)
    refused = admin.post(
        "/staff/privacy/subject-access/erase", data={"query": query, "confirm": "y"}
    )
    assert refused.status_code == status
    assert count(DeletionLog) == 0


def test_export_is_a_zip_of_everything_held_and_the_log_holds_no_data(admin, db, make_consultation):
    _contact(make_consultation())
    group = make_group(EMAIL)
    application = application_in_state(S.CLOSED, group, make_round())
    _db.session.commit()
    response = admin.post("/staff/privacy/subject-access/export", data={"query": EMAIL})
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("data.json"))
    assert data["contact_requests"][0]["email"] == EMAIL
    assert data["group_account"]["contact_name"] == group.contact_name
    assert data["grant_applications"][0]["reference"] == application.reference
    log = list(_db.session.scalars(select(DeletionLog)))
    assert {e.data_class for e in log} == {
        "contact_requests",
        "group_account",
        "grant_applications",
    }
    assert all(
        e.action == "exported" and e.request_reference == data["request_reference"] for e in log
    )
    assert not any(EMAIL in f"{e.rule}{e.data_class}" for e in log)


def test_erasure_removes_contact_details_and_anonymises_the_group(admin, db, make_consultation):
    _contact(make_consultation())
    group = make_group(EMAIL)
    application = application_in_state(S.DECLINED, group, make_round())
    _db.session.commit()
    response = admin.post(
        "/staff/privacy/subject-access/erase", data={"query": application.reference, "confirm": "y"}
    )
    assert response.status_code == 303
    _db.session.expire_all()
    assert count(ContactRequest) == 0
    group = _db.session.get(CommunityGroup, group.id)
    assert group.email.endswith("@erased.invalid") and not group.active
    assert group.contact_name == group.phone == group.address == ""
    assert _db.session.get(GrantApplication, application.id).activities == ""
    actions = {(e.data_class, e.action, e.count) for e in _db.session.scalars(select(DeletionLog))}
    assert ("contact_requests", "erased", 1) in actions
    page = admin.get("/staff/privacy/subject-access", query_string={"query": EMAIL})
    assert page.status_code == 404  # nothing is held any more


def test_erasure_is_refused_with_the_reason_while_a_grant_is_open(admin, db, make_consultation):
    _contact(make_consultation())
    group = make_group(EMAIL)
    application_in_state(S.MONITORING, group, make_round())
    _db.session.commit()
    response = admin.post(
        "/staff/privacy/subject-access/erase", data={"query": EMAIL, "confirm": "y"}
    )
    assert response.status_code == 409
    assert "legal hold" in response.get_data(as_text=True)
    _db.session.expire_all()
    assert count(ContactRequest) == 1
    assert _db.session.get(CommunityGroup, group.id).email == EMAIL
    assert count(DeletionLog) == 0


def test_erasure_needs_the_check_confirmed(admin, db, make_consultation):
    _contact(make_consultation())
    response = admin.post("/staff/privacy/subject-access/erase", data={"query": EMAIL})
    assert response.status_code == 422
    assert "Confirm you have checked the request" in response.get_data(as_text=True)
    assert count(ContactRequest) == 1
