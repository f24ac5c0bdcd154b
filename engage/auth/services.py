"""Rules for staff accounts: creation, sign-in, roles and disabling."""

from collections.abc import Callable

from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from engage.auth.models import Role, StaffUser
from engage.auth.password_policy import check_password
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db

# Checked against when the email is unknown, so a failed sign-in takes the same time either way.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


SessionLoader = Callable[[str], UserMixin | None]
# Sessions of another type of user (a community group's 'group:<id>') name their prefix.
_session_loaders: dict[str, SessionLoader] = {}


def register_session_loader(prefix: str, loader: SessionLoader) -> None:
    """Let sessions whose user id starts with `prefix` sign in the user `loader` finds."""
    _session_loaders[prefix] = loader


def load_session_user(user_id: str) -> UserMixin | None:
    """The signed-in user: staff sessions hold a bare id; other types a registered prefix."""
    for prefix, loader in _session_loaders.items():
        if user_id.startswith(prefix):
            return loader(user_id.removeprefix(prefix))
    return db.session.get(StaffUser, int(user_id)) if user_id.isdigit() else None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_staff_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(db.select(StaffUser).filter_by(email=normalise_email(email)))


def create_staff(email: str, name: str, role: Role | str, password: str) -> StaffUser:
    """Create a staff account, refusing duplicates and weak passwords."""
    email = normalise_email(email)
    if not email or "@" not in email:
        raise DomainError("Enter an email address in the correct format, like name@example.org")
    try:
        role = Role(role)
    except ValueError:
        raise DomainError(  # noqa: B904  (the ValueError adds nothing for the user)
            f"Unknown role '{role}'. Choose one of: {', '.join(r.value for r in Role)}"
        )
    check_password(password, email, name)
    if find_staff_by_email(email) is not None:
        raise DomainError(f"A staff account with the email {email} already exists")
    user = StaffUser(
        email=email,
        name=name.strip() or email.split("@")[0],
        role=role,
        password_hash=generate_password_hash(password),
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> StaffUser | None:
    """Return the active account these credentials belong to, or None."""
    user = find_staff_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def record_sign_in(user: StaffUser) -> None:
    """Note a completed sign-in (password and, where on, the second factor)."""
    user.last_login_at = utcnow()


def update_staff(user: StaffUser, role: Role | str, active: bool, acting: StaffUser) -> StaffUser:
    """Change a staff member's role or disable them; admins cannot lock themselves out."""
    role = Role(role)
    if user.id == acting.id and (role != Role.ADMIN or not active):
        raise DomainError("You cannot remove your own administrator access")
    user.role = role
    user.active = active
    db.session.flush()
    return user


def replace_password(account: StaffUser | UserMixin, password: str, name: str) -> None:
    """Give a staff or group account a new password (policy-checked); its sessions all end.

    `name` is what the account is called (a person's, a group's and its contact's), which the
    policy counts as guessable.
    """
    check_password(password, account.email, name)
    account.password_hash = generate_password_hash(password)
    account.session_version += 1
    db.session.flush()


def list_staff() -> list[StaffUser]:
    return list(db.session.scalars(db.select(StaffUser).order_by(StaffUser.email)))
