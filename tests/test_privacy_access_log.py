"""The trail of staff viewing personal data: recorded by the views that show it, read by the
data protection officer on a filterable, paginated page and as CSV."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engage.core.extensions import db as _db
from engage.privacy.access_log import PER_PAGE
from engage.privacy.models import PersonalDataAccess
from engage.social.models import SocialPost
from tests.access_seed import seed
from tests.grants import PASSWORD, forget_signed_in_user


def trail() -> list[tuple[str, int]]:
    _db.session.expire_all()
    return [
        (a.kind, a.record_id)
        for a in _db.session.scalars(select(PersonalDataAccess).order_by(PersonalDataAccess.id))
    ]


@pytest.fixture
def seeded(app, db, make_consultation, make_event, make_response, make_campaign):
    return seed(make_consultation, make_event, make_response, make_campaign)


def sign_in(client, seeded, who: str):
    forget_signed_in_user()
    response = client.post("/staff/login", data={"email": seeded.emails[who], "password": PASSWORD})
    assert response.status_code == 302


def test_views_that_show_personal_data_record_who_what_and_which(client, seeded):
    consultation_id = seeded.args["surveys_staff"]["consultation_id"]
    application_id = seeded.args["grants_staff"]["application_id"]
    document_id = seeded.args["activecitizens"]["document_id"]
    post_id = seeded.args["social_staff"]["post_id"]
    _db.session.get(SocialPost, post_id).author_handle = "resident_1"
    _db.session.commit()
    sign_in(client, seeded, "admin")
    for path in (
        f"/staff/consultations/{consultation_id}/export/contacts.csv",
        f"/staff/grants/applications/{application_id}",
        f"/active-citizens-fund/documents/{document_id}",
        "/staff/social/wmp2020",
        f"/staff/social/wmp2020/posts/{post_id}",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()
    recorded = trail()
    kinds = [kind for kind, _ in recorded]
    assert kinds == [
        "contact_export",
        "group_details",
        "grant_document",
        "social_handles",
        "social_post",
    ]
    assert recorded[0][1] == consultation_id and recorded[2][1] == document_id
    staff = {a.staff.email for a in _db.session.scalars(select(PersonalDataAccess))}
    assert staff == {seeded.emails["admin"]}


def test_a_group_reading_its_own_document_is_not_recorded(app, seeded):
    client = app.test_client()
    forget_signed_in_user()
    client.post(
        "/active-citizens-fund/sign-in",
        data={"email": seeded.emails["group"], "password": PASSWORD},
    )
    document_id = seeded.args["activecitizens"]["document_id"]
    response = client.get(f"/active-citizens-fund/documents/{document_id}")
    assert response.status_code == 200
    response.close()
    assert trail() == []


def _fill(staff_id: int, n: int, kind: str = "contact_export", at=None):
    at = at or datetime.now(UTC)
    for i in range(n):
        _db.session.add(PersonalDataAccess(staff_id=staff_id, kind=kind, record_id=i, at=at))
    _db.session.commit()


def test_the_dpo_page_filters_paginates_and_exports(client, seeded, login):
    from engage.auth.services import find_staff_by_email

    admin = find_staff_by_email(seeded.emails["admin"])
    comms = find_staff_by_email(seeded.emails["comms"])
    _fill(comms.id, PER_PAGE + 5)
    _fill(admin.id, 3, "grant_document", datetime.now(UTC) - timedelta(days=40))
    sign_in(client, seeded, "admin")
    page = client.get("/staff/privacy/access-log").get_data(as_text=True)
    assert f"{PER_PAGE + 8} entries" in page and 'rel="next"' in page
    second = client.get("/staff/privacy/access-log?page=2").get_data(as_text=True)
    assert second.count("<tr><td>") == 8
    only = client.get(
        "/staff/privacy/access-log", query_string={"kind": "grant_document", "staff": admin.email}
    ).get_data(as_text=True)
    assert "3 entries" in only
    recent = client.get(
        "/staff/privacy/access-log",
        query_string={"since": (datetime.now(UTC) - timedelta(days=1)).date().isoformat()},
    ).get_data(as_text=True)
    assert f"{PER_PAGE + 5} entries" in recent
    csv = client.get("/staff/privacy/access-log.csv", query_string={"kind": "grant_document"})
    lines = csv.get_data(as_text=True).strip().splitlines()
    assert lines[0] == "at_utc,staff,kind,record_id"
    assert len(lines) == 4 and all(admin.email in line for line in lines[1:])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"kind": "everything"}, "Choose a kind of access from the list"),
        ({"since": "31/12/2026"}, "Enter the from date like 2026-12-31"),
        ({"until": "yesterday"}, "Enter the to date like 2026-12-31"),
        ({"since": "2026-12-02", "until": "2026-12-01"}, "must be on or before"),
        ({"staff": "x" * 300}, "Enter 254 characters or fewer"),
    ],
)
def test_malformed_filters_are_refused_with_a_message(client, seeded, args, message):
    sign_in(client, seeded, "admin")
    for path in ("/staff/privacy/access-log", "/staff/privacy/access-log.csv"):
        response = client.get(path, query_string=args)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert _db.session.scalar(select(func.count()).select_from(PersonalDataAccess)) == 0
