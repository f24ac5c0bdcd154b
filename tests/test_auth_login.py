from engage.auth.models import Role, StaffUser
from engage.core.extensions import db
from tests.conftest import PASSWORD


def test_staff_page_redirects_anonymous_visitor_to_login(client):
    response = client.get("/staff/users")
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]


def test_staff_signs_in_and_out(client, make_staff):
    email = make_staff(Role.CONSULTATION)
    response = client.post("/staff/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200
    client.post("/staff/logout")
    assert client.get("/staff/").status_code == 302


def test_wrong_password_is_refused_with_error_summary(client, make_staff):
    email = make_staff(Role.CONSULTATION)
    response = client.post("/staff/login", data={"email": email, "password": "wrong password!"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert "Email address or password is not right" in page
    assert client.get("/staff/").status_code == 302


def test_disabled_account_cannot_sign_in(client, make_staff, app):
    email = make_staff(Role.PCC)
    with app.app_context():
        user = db.session.scalar(db.select(StaffUser).filter_by(email=email))
        user.active = False
        db.session.commit()
    response = client.post("/staff/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 422


def test_sign_in_ignores_offsite_next_url(client, make_staff):
    email = make_staff(Role.CONSULTATION)
    response = client.post(
        "/staff/login?next=https://evil.example/", data={"email": email, "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/staff/")


def test_login_is_throttled_after_repeated_failures(make_app, make_staff):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    email = make_staff(Role.CONSULTATION)
    statuses = [
        client.post("/staff/login", data={"email": email, "password": "nope nope nope"}).status_code
        for _ in range(4)
    ]
    assert statuses == [422, 422, 422, 429]
    # Even the right password is refused until the window passes.
    right = client.post("/staff/login", data={"email": email, "password": PASSWORD})
    assert right.status_code == 429


def test_login_form_without_csrf_token_is_rejected(make_app, make_staff):
    app = make_app(WTF_CSRF_ENABLED=True)
    email = make_staff(Role.CONSULTATION)
    response = app.test_client().post("/staff/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 400
    assert "form has expired" in response.get_data(as_text=True)
