"""Changing a password, the policy every new password meets, and sessions ending everywhere."""

import re

import pytest
from werkzeug.security import check_password_hash

from engage.activecitizens.models import CommunityGroup
from engage.auth.models import Role, StaffUser
from engage.auth.password_policy import check_password
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.passwords.services import request_reset
from tests.conftest import PASSWORD
from tests.grants import make_group

NEW_PASSWORD = "lantern orchard velvet sixty"
GUESSABLE = "Choose a password that is harder to guess"


def _staff(email: str) -> StaffUser:
    return db.session.scalar(db.select(StaffUser).filter_by(email=email))


def _signed_in_staff(app, email: str):
    client = app.test_client()
    response = client.post("/staff/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _change(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    data = {"current": current, "password": new, "confirm": new if confirm is None else confirm}
    return client.post("/password/change", data=data)


@pytest.mark.parametrize(
    ("password", "email", "name"),
    [
        ("password1234", "", ""),  # among the most common passwords
        ("qwertyuiop123", "", ""),  # a keyboard row
        ("aaaaaaaaaaaaaaaa", "", ""),  # a repeat
        ("jane.smith@example.org", "jane.smith@example.org", ""),  # the account's email
        ("janesmithsmith", "", "Jane Smith"),  # the account holder's name
        ("engagepolice1", "", ""),  # the service's own words
    ],
)
def test_guessable_passwords_are_refused_with_zxcvbn_advice(password, email, name):
    with pytest.raises(DomainError) as refused:
        check_password(password, email, name)
    assert GUESSABLE in refused.value.message
    assert refused.value.field == "password"


def test_short_password_is_refused_before_it_is_scored():
    with pytest.raises(DomainError, match="at least 12 characters"):
        check_password("Xq7#mLp2!")


@pytest.mark.parametrize("password", [PASSWORD, NEW_PASSWORD, "e2e keyboard journey password"])
def test_long_unrelated_passphrases_pass(password):
    check_password(password, "someone@example.org", "Some One")


def test_staff_changes_password_and_other_sessions_end(app, make_staff):
    email = make_staff()
    here, elsewhere = _signed_in_staff(app, email), _signed_in_staff(app, email)

    response = _change(here)

    assert response.status_code == 303 and response.location.endswith("/staff/")
    # This browser stays signed in; the other one is signed out and told why.
    assert here.get("/staff/").status_code == 200
    other = elsewhere.get("/staff/", follow_redirects=True).get_data(as_text=True)
    assert "Your password was changed, so you have been signed out" in other
    assert elsewhere.get("/staff/").status_code == 302
    with app.app_context():
        user = _staff(email)
        assert check_password_hash(user.password_hash, NEW_PASSWORD)
        assert user.session_version == 1


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("not my password at all", NEW_PASSWORD, None, "Your current password is not right"),
        (PASSWORD, "password1234", None, GUESSABLE),
        (PASSWORD, "short", None, "at least 12 characters"),
        (PASSWORD, NEW_PASSWORD, "something else entirely", "do not match"),
        (PASSWORD, PASSWORD, None, "not the one you have now"),
        (PASSWORD, "", None, "Enter a new password"),
    ],
)
def test_bad_password_change_is_refused_and_changes_nothing(
    app, make_staff, current, new, confirm, message
):
    email = make_staff()
    client = _signed_in_staff(app, email)

    response = _change(client, current, new, confirm)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        user = _staff(email)
        assert check_password_hash(user.password_hash, PASSWORD)
        assert user.session_version == 0


def test_group_changes_its_password(app):
    with app.app_context():
        make_group("change@example.org")
        db.session.commit()
    client = app.test_client()
    client.post(
        "/active-citizens-fund/sign-in", data={"email": "change@example.org", "password": PASSWORD}
    )
    weak = _change(client, new="change@example.org")
    assert weak.status_code == 422 and GUESSABLE in weak.get_data(as_text=True)

    response = _change(client)

    assert response.status_code == 303 and response.location.endswith("/active-citizens-fund/my")
    with app.app_context():
        group = db.session.scalar(db.select(CommunityGroup))
        assert check_password_hash(group.password_hash, NEW_PASSWORD)


def test_change_password_page_needs_sign_in(client):
    assert "/staff/login" in client.get("/password/change").location


def test_a_reset_signs_out_every_session(app, make_staff):
    email = make_staff()
    signed_in = _signed_in_staff(app, email)
    with app.test_request_context():
        token = request_reset("staff", email).token

    weak = app.test_client().post(
        f"/password/reset/{token}", data={"password": "password1234", "confirm": "password1234"}
    )
    assert weak.status_code == 422 and GUESSABLE in weak.get_data(as_text=True)
    assert signed_in.get("/staff/").status_code == 200  # a refused reset ends nothing

    done = app.test_client().post(
        f"/password/reset/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )

    assert done.status_code == 303
    assert signed_in.get("/staff/").status_code == 302


def test_admin_cannot_create_staff_with_a_guessable_password(app, client, login):
    login(client, Role.ADMIN)
    response = client.post(
        "/staff/users",
        data={
            "name": "Jane Smith",
            "email": "jane@example.org",
            "role": "consultation",
            "password": "janesmith123",
        },
    )
    assert response.status_code == 422
    assert GUESSABLE in response.get_data(as_text=True)
    with app.app_context():
        assert _staff("jane@example.org") is None


def test_cli_refuses_a_guessable_password(runner, app, monkeypatch):
    monkeypatch.setenv("ENGAGE_PASSWORD", "password123456")
    result = runner.invoke(args=["users", "create", "--email", "weak@example.org", "--role", "pcc"])
    assert result.exit_code != 0
    assert GUESSABLE in result.output
    with app.app_context():
        assert _staff("weak@example.org") is None


def test_demo_passwords_meet_the_policy_and_sign_in(app, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    accounts = re.findall(r"^  (\S+@example\.org)  (\S+)$", result.output, re.MULTILINE)
    assert len(accounts) == 3  # the administrator, a reviewer and a group
    for email, password in accounts:
        check_password(password, email)
    admin_email, admin_password = accounts[0]
    signed_in = _sign_in_as(app, admin_email, admin_password)
    assert signed_in.status_code == 302


def _sign_in_as(app, email, password):
    return app.test_client().post("/staff/login", data={"email": email, "password": password})
