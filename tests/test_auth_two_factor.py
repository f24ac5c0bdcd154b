"""Staff two-factor sign-in: set-up, the code after the password, recovery codes, resets."""

import re
import time

import pyotp
import pytest

from engage.auth import two_factor
from engage.auth.models import RecoveryCode, Role, StaffUser
from engage.auth.two_factor_views import PENDING_KEY
from engage.core.extensions import db
from tests.conftest import PASSWORD


def _user(email: str) -> StaffUser:
    return db.session.scalar(db.select(StaffUser).filter_by(email=email))


@pytest.fixture
def with_2fa(app, make_staff):
    """A staff member with two-factor sign-in on; returns (email, secret, recovery codes)."""

    def _make(role: Role = Role.ADMIN):
        email = make_staff(role)
        secret = pyotp.random_base32()
        with app.app_context():
            user = _user(email)
            # Confirmed with the previous step's code, so the current one is still unused.
            earlier = time.time() - 30
            codes = two_factor.enable(user, secret, pyotp.TOTP(secret).at(earlier), now=earlier)
            db.session.commit()
        return email, secret, codes

    return _make


def _password(client, email):
    return client.post("/staff/login", data={"email": email, "password": PASSWORD})


def test_sign_in_asks_for_the_code_after_the_password(client, with_2fa, app):
    email, secret, _ = with_2fa()
    response = _password(client, email)
    assert response.headers["Location"].endswith("/staff/login/code")
    # Only a pending marker so far: staff pages still send them to sign in.
    assert client.get("/staff/").status_code == 302
    with app.app_context():
        assert _user(email).last_login_at is None
    response = client.post("/staff/login/code", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200
    with client.session_transaction() as session:
        assert PENDING_KEY not in session
    with app.app_context():
        assert _user(email).last_login_at is not None


def test_wrong_code_is_refused_with_a_message(client, with_2fa):
    email, _, _ = with_2fa()
    _password(client, email)
    response = client.post("/staff/login/code", data={"code": "12345x"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "The code is wrong or has expired" in page
    assert client.get("/staff/").status_code == 302


def test_expired_code_is_refused(client, with_2fa):
    email, secret, _ = with_2fa()
    _password(client, email)
    old = pyotp.TOTP(secret).at(time.time() - 120)
    response = client.post("/staff/login/code", data={"code": old})
    assert response.status_code == 422
    assert "The code is wrong or has expired" in response.get_data(as_text=True)


def test_the_same_code_cannot_be_used_twice(client, with_2fa):
    email, secret, _ = with_2fa()
    code = pyotp.TOTP(secret).now()
    _password(client, email)
    assert client.post("/staff/login/code", data={"code": code}).status_code == 302
    client.post("/staff/logout")
    _password(client, email)
    response = client.post("/staff/login/code", data={"code": code})
    assert response.status_code == 422
    assert "already been used" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_a_slow_sign_in_must_start_again(client, with_2fa):
    email, secret, _ = with_2fa()
    _password(client, email)
    with client.session_transaction() as session:
        session[PENDING_KEY] = session[PENDING_KEY] | {"expires": time.time() - 1}
    response = client.post("/staff/login/code", data={"code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"].endswith("/staff/login")
    assert client.get("/staff/").status_code == 302
    assert "took too long" in client.get("/staff/login").get_data(as_text=True)


def test_code_page_without_a_password_sends_to_sign_in(client):
    response = client.post("/staff/login/code", data={"code": "123456"})
    assert response.headers["Location"].endswith("/staff/login")


def test_recovery_code_works_once(client, with_2fa, app):
    email, _, codes = with_2fa()
    assert len(codes) == 10 and len(set(codes)) == 10
    _password(client, email)
    assert client.post("/staff/login/code", data={"code": codes[3]}).status_code == 302
    assert client.get("/staff/").status_code == 200
    client.post("/staff/logout")
    _password(client, email)
    response = client.post("/staff/login/code", data={"code": codes[3]})
    assert response.status_code == 422
    assert "recovery code has already been used" in response.get_data(as_text=True)
    response = client.post("/staff/login/code", data={"code": "abcdef-123456"})
    assert "recovery code is not right" in response.get_data(as_text=True)
    with app.app_context():
        assert two_factor.unused_recovery_codes(_user(email)) == 9


def test_set_up_needs_a_right_code_and_shows_recovery_codes_once(client, login, app):
    email = login(client, Role.CONSULTATION)
    assert 'href="/staff/2fa"' in client.get("/staff/").get_data(as_text=True)
    page = client.get("/staff/2fa").get_data(as_text=True)
    assert "<svg" in page and "<img" not in page
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page).group(1)
    response = client.post("/staff/2fa", data={"code": "000000"})
    assert response.status_code == 422
    assert "The code is wrong or has expired" in response.get_data(as_text=True)
    with app.app_context():
        assert _user(email).totp_secret is None
    response = client.post("/staff/2fa", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    shown = re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", response.text)
    assert len(shown) == 10
    with app.app_context():
        user = _user(email)
        assert user.totp_secret == secret
        hashes = db.session.scalars(db.select(RecoveryCode.code_hash).filter_by(user_id=user.id))
        assert not set(hashes) & set(shown)
    # Shown once: the page now says it is on and lists no codes.
    page = client.get("/staff/2fa").get_data(as_text=True)
    assert "10 unused recovery codes" in page and shown[0] not in page


def test_required_roles_are_sent_to_set_up_before_anything_else(client, login, monkeypatch, app):
    monkeypatch.setitem(app.config, "STAFF_2FA_REQUIRED_ROLES", ("admin", "pcc"))
    login(client, Role.PCC)
    response = client.get("/staff/users")
    assert response.headers["Location"].endswith("/staff/2fa")
    assert client.get("/staff/2fa").status_code == 200
    other = app.test_client()
    login(other, Role.CONSULTATION)
    assert other.get("/staff/").status_code == 200


def test_setting_requires_it_of_every_role(client, login, monkeypatch, app):
    monkeypatch.setitem(app.config, "STAFF_2FA_REQUIRED_FOR_ALL", True)
    login(client, Role.CONSULTATION)
    assert client.get("/staff/").headers["Location"].endswith("/staff/2fa")


def test_admin_sees_2fa_state_and_can_reset_it(client, login, with_2fa, make_staff, app):
    email, _, _ = with_2fa(Role.COMMS)
    plain = make_staff(Role.CONSULTATION)
    login(client, Role.ADMIN)
    page = client.get("/staff/users").get_data(as_text=True)
    assert re.search(re.escape(email) + r".*?<td>On</td>", page, re.S)
    assert re.search(re.escape(plain) + r".*?<td>Off</td>", page, re.S)
    with app.app_context():
        user_id = _user(email).id
    response = client.post(f"/staff/users/{user_id}/2fa/reset")
    assert response.status_code == 302
    with app.app_context():
        user = _user(email)
        assert user.totp_secret is None
        assert two_factor.unused_recovery_codes(user) == 0
    # They now sign in with their password alone (the role does not require it).
    other = app.test_client()
    assert _password(other, email).headers["Location"].endswith("/staff/")


def test_reset_of_an_unknown_account_is_404(client, login):
    login(client, Role.ADMIN)
    assert client.post("/staff/users/999999/2fa/reset").status_code == 404


def test_set_up_key_is_not_handed_to_the_next_person_on_the_browser(client, login):
    def secret_shown() -> str:
        page = client.get("/staff/2fa").get_data(as_text=True)
        return re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page).group(1)

    login(client, Role.CONSULTATION)
    first = secret_shown()
    assert secret_shown() == first  # the same key on reload
    client.post("/staff/logout")
    login(client, Role.COMMS)
    assert secret_shown() != first
