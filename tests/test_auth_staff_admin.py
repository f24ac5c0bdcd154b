import pytest

from engage.auth.models import Role, StaffUser
from engage.core.extensions import db


@pytest.mark.parametrize("role", [Role.CONSULTATION, Role.COMMS, Role.REVIEWER, Role.PCC])
def test_staff_admin_is_forbidden_to_other_roles(client, login, role):
    login(client, role)
    assert client.get("/staff/users").status_code == 403


def test_admin_adds_staff_member(client, login, app):
    login(client, Role.ADMIN)
    response = client.post(
        "/staff/users",
        data={
            "name": "Asha Patel",
            "email": "Asha@Example.org",
            "role": "comms",
            "password": "a long enough password",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(db.select(StaffUser).filter_by(email="asha@example.org"))
        assert user.role == Role.COMMS
        assert user.password_hash != "a long enough password"


def test_admin_cannot_add_duplicate_email(client, login, make_staff, app):
    login(client, Role.ADMIN)
    existing = make_staff(Role.PCC)
    response = client.post(
        "/staff/users",
        data={
            "name": "X",
            "email": existing,
            "role": "comms",
            "password": "a long enough password",
        },
    )
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(StaffUser)) == 2


def test_admin_changes_role_and_disables(client, login, make_staff, app):
    login(client, Role.ADMIN)
    email = make_staff(Role.COMMS)
    with app.app_context():
        user_id = db.session.scalar(db.select(StaffUser.id).filter_by(email=email))
    response = client.post(f"/staff/users/{user_id}", data={"role": "reviewer"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(StaffUser, user_id)
        assert user.role == Role.REVIEWER
        assert user.active is False


def test_admin_cannot_demote_themselves(client, login, app):
    email = login(client, Role.ADMIN)
    with app.app_context():
        user_id = db.session.scalar(db.select(StaffUser.id).filter_by(email=email))
    response = client.post(f"/staff/users/{user_id}", data={"role": "comms", "active": "y"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(StaffUser, user_id).role == Role.ADMIN


def test_unknown_staff_id_is_404(client, login):
    login(client, Role.ADMIN)
    assert client.get("/staff/users/99999").status_code == 404


def test_cli_creates_user_with_password_from_environment(runner, app, monkeypatch):
    monkeypatch.setenv("ENGAGE_PASSWORD", "password from the environment")
    result = runner.invoke(args=["users", "create", "--email", "ops@example.org", "--role", "pcc"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert (
            db.session.scalar(db.select(StaffUser).filter_by(email="ops@example.org")).role
            == Role.PCC
        )


def test_cli_refuses_short_password(runner, monkeypatch):
    monkeypatch.setenv("ENGAGE_PASSWORD", "short")
    result = runner.invoke(args=["users", "create", "--email", "ops@example.org", "--role", "pcc"])
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
