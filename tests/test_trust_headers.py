"""Headers every response carries, TLS behind a configured proxy only, and how documents go out."""

import io
import json
from datetime import date

import pytest

from engage.activecitizens.models import ApplicationDocument
from engage.core.config import ACCESSIBILITY_AUDIT_RECORD
from tests.conftest import PASSWORD
from tests.grants import S, application_in_state, forget_signed_in_user, make_round

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_every_page_refuses_referrers_powerful_features_and_framing(client):
    response = client.get("/")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    permissions = response.headers["Permissions-Policy"]
    assert "camera=()" in permissions and "geolocation=()" in permissions
    assert response.headers["X-Frame-Options"] == "DENY"
    policy = dict(
        d.strip().split(" ", 1) for d in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"


def test_plain_http_gets_no_hsts_and_a_forged_forwarded_proto_is_ignored(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    forged = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in forged.headers


def test_behind_a_configured_proxy_tls_brings_hsts(make_app):
    client = make_app(PROXY_FIX_HOPS=1).test_client()
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_session_cookie_is_httponly_lax_and_secure_when_told(make_app, make_staff):
    email = make_staff()
    client = make_app(SESSION_COOKIE_SECURE=True).test_client()
    response = client.post("/staff/login", data={"email": email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_secure_cookies_follow_a_configured_proxy(monkeypatch):
    from engage.core.config import settings_from_environment

    monkeypatch.setenv("PROXY_FIX_HOPS", "1")
    assert settings_from_environment("/tmp", "k")["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("PROXY_FIX_HOPS", "0")
    assert settings_from_environment("/tmp", "k")["SESSION_COOKIE_SECURE"] is False


@pytest.fixture
def signed_in_draft(db, client):
    application = application_in_state(S.DRAFT, funding_round=make_round())
    db.session.commit()
    forget_signed_in_user()
    client.post(
        "/active-citizens-fund/sign-in", data={"email": "group@example.org", "password": PASSWORD}
    )
    return application.id


def upload(client, application_id, name, content):
    return client.post(
        f"/active-citizens-fund/my/applications/{application_id}/documents",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("budget.html", b"<!doctype html><script>alert(document.cookie)</script>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("budget.pdf", b"<html><body onload=alert(1)>%PDF-1.4</body></html>"),
        ("photo.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>"),
    ],
)
def test_html_and_svg_uploads_are_refused_and_nothing_kept(
    client, db, signed_in_draft, name, content
):
    response = upload(client, signed_in_draft, name, content)
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(ApplicationDocument.id))) == 0


def test_a_photo_is_served_as_a_download_of_its_checked_type(client, db, signed_in_draft):
    assert upload(client, signed_in_draft, "hall.png", PNG).status_code == 303
    document = db.session.scalar(db.select(ApplicationDocument))
    response = client.get(f"/active-citizens-fund/documents/{document.id}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    response.close()


def test_accessibility_statement_follows_the_model_and_gives_the_last_audit(make_app):
    client = make_app(ACCESSIBILITY_CONTACT="access@example.org").test_client()
    page = client.get("/accessibility").get_data(as_text=True)
    for section in (
        "Compliance status",
        "Non-accessible content",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Equality and Human Rights Commission",
        "Preparation of this accessibility statement",
    ):
        assert section in page, section
    assert "partially compliant" in page and "access@example.org" in page
    # The date the browser tests last recorded a clean audit (audit/accessibility.json).
    last_audit = json.loads(ACCESSIBILITY_AUDIT_RECORD.read_text())["last_audit"]
    assert f"last tested on {date.fromisoformat(last_audit):%-d %B %Y}" in page
    home = client.get("/").get_data(as_text=True)
    assert 'href="/accessibility"' in home
