"""Rules for password resets: signed, expiring links that stop working once used."""

import hashlib
from dataclasses import dataclass
from typing import cast

from itsdangerous import BadSignature, SignatureExpired
from werkzeug.security import check_password_hash

from engage.activecitizens.models import CommunityGroup
from engage.activecitizens.services.groups import find_group_by_email
from engage.auth.models import StaffUser
from engage.auth.services import find_staff_by_email, replace_password
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.core.settings import settings
from engage.core.signing import timed_serializer

SALT = "password-reset"
ACCOUNT_KINDS = ("staff", "group")
LINK_BROKEN = (
    "This password reset link is not valid. Check you copied the whole link, or ask for a new one."
)
LINK_EXPIRED = "This password reset link has expired. Ask for a new one."
WRONG_CURRENT = "Your current password is not right"
SAME_AS_BEFORE = "Choose a new password, not the one you have now"
LINK_USED = "This password reset link has already been used. Ask for a new one if you need to."


@dataclass(frozen=True)
class ResetMail:
    """Who to send a reset link to, and the token the link carries."""

    email: str
    token: str
    account_id: int


def _fingerprint(password_hash: str) -> str:
    """A digest of the current hash: a new password makes every older link unusable."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:20]


def _find(kind: str, email: str) -> StaffUser | CommunityGroup | None:
    if kind == "staff":
        return find_staff_by_email(email)
    return find_group_by_email(email)


def request_reset(kind: str, email: str) -> ResetMail | None:
    """Return the reset to send if an active account has this email, else None (told to nobody)."""
    if kind not in ACCOUNT_KINDS:
        raise DomainError("Unknown kind of account", status=404)
    account = _find(kind, email)
    if account is None or not account.active:
        return None
    payload = {"k": kind, "i": account.id, "f": _fingerprint(account.password_hash)}
    return ResetMail(account.email, timed_serializer(SALT).dumps(payload), account.id)


def account_for_token(token: str) -> StaffUser | CommunityGroup:
    """Return the account a link is for, refusing forged, expired and used links."""
    max_age = settings.PASSWORD_RESET_MAX_AGE_SECONDS
    try:
        payload = timed_serializer(SALT).loads(token, max_age=max_age)
    except SignatureExpired:
        raise DomainError(LINK_EXPIRED, status=410) from None
    except BadSignature:
        raise DomainError(LINK_BROKEN, status=404) from None
    if not isinstance(payload, dict) or payload.get("k") not in ACCOUNT_KINDS:
        raise DomainError(LINK_BROKEN, status=404)
    model = StaffUser if payload["k"] == "staff" else CommunityGroup
    found = db.session.get(model, payload.get("i")) if isinstance(payload.get("i"), int) else None
    account = cast(StaffUser | CommunityGroup | None, found)  # mypy joins the two models to Base
    if account is None or not account.active:
        raise DomainError(LINK_BROKEN, status=404)
    if _fingerprint(account.password_hash) != payload.get("f"):
        raise DomainError(LINK_USED, status=410)
    return account


def reset_password(token: str, password: str) -> StaffUser | CommunityGroup:
    """Set a new password through a valid link, which then stops working."""
    account = account_for_token(token)
    replace_password(account, password, _names(account))
    return account


def change_password(account: StaffUser | CommunityGroup, current: str, new: str) -> None:
    """Change a signed-in account's password, given the current one; other sessions end."""
    if not check_password_hash(account.password_hash, current):
        raise DomainError(WRONG_CURRENT, "current")
    if check_password_hash(account.password_hash, new):
        raise DomainError(SAME_AS_BEFORE, "password")
    replace_password(account, new, _names(account))


def _names(account: StaffUser | CommunityGroup) -> str:
    """What the account is called, which a password should not be built from."""
    if isinstance(account, StaffUser):
        return account.name
    return f"{account.name} {account.contact_name}"
