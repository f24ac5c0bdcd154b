"""Rules for staff two-factor sign-in: TOTP set-up, codes, recovery codes and resets."""

import secrets
import time

import pyotp
import segno
from flask import current_app
from markupsafe import Markup
from werkzeug.security import check_password_hash, generate_password_hash

from engage.auth.models import RecoveryCode, StaffUser
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db

RECOVERY_CODE_COUNT = 10
STEP_SECONDS = 30
ISSUER = "engage"
WRONG_CODE = "The code is wrong or has expired. Enter the code your app shows now"
REUSED_CODE = "That code has already been used. Wait for your app to show a new code"
USED_RECOVERY_CODE = "That recovery code has already been used. Each one works only once"


def required_for(user: StaffUser) -> bool:
    """Say whether this staff member must use two-factor sign-in."""
    if current_app.config.get("STAFF_2FA_REQUIRED_FOR_ALL"):
        return True
    return user.role.value in current_app.config.get("STAFF_2FA_REQUIRED_ROLES", ())


def is_enabled(user: StaffUser) -> bool:
    return user.totp_secret is not None


def new_secret() -> str:
    return pyotp.random_base32()


def qr_svg(user: StaffUser, secret: str) -> Markup:
    """Return the authenticator app's set-up QR code as inline SVG."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(scale=5, title="QR code for your authenticator")
    return Markup(svg)  # noqa: S704  (segno builds the SVG; the URI inside is escaped by it)


def _matching_step(secret: str, code: str, now: float) -> int | None:
    """Return the 30-second step `code` belongs to (allowing one step of clock drift)."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in (current, current - 1, current + 1):
        if secrets.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def enable(user: StaffUser, secret: str, code: str, now: float | None = None) -> list[str]:
    """Turn two-factor sign-in on once `code` proves the app holds `secret`; return new codes."""
    step = _matching_step(secret, code, time.time() if now is None else now)
    if step is None:
        raise DomainError(WRONG_CODE)
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    return _replace_recovery_codes(user)


def _replace_recovery_codes(user: StaffUser) -> list[str]:
    db.session.execute(db.delete(RecoveryCode).filter_by(user_id=user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=generate_password_hash(code)) for code in codes
    )
    db.session.flush()
    return codes


def verify(user: StaffUser, code: str, now: float | None = None) -> None:
    """Accept a TOTP code or an unused recovery code, each once; raise DomainError otherwise."""
    code = (code or "").strip().lower()
    if "-" in code:
        _use_recovery_code(user, code)
        return
    step = _matching_step(user.totp_secret or "", code, time.time() if now is None else now)
    if step is None:
        raise DomainError(WRONG_CODE)
    if user.totp_last_step is not None and step <= user.totp_last_step:
        raise DomainError(REUSED_CODE)
    user.totp_last_step = step
    db.session.flush()


def _use_recovery_code(user: StaffUser, code: str) -> None:
    rows = db.session.scalars(db.select(RecoveryCode).filter_by(user_id=user.id))
    for row in rows:
        if check_password_hash(row.code_hash, code):
            if row.used_at is not None:
                raise DomainError(USED_RECOVERY_CODE)
            row.used_at = utcnow()
            db.session.flush()
            return
    raise DomainError("That recovery code is not right. Check it and try again")


def unused_recovery_codes(user: StaffUser) -> int:
    query = db.select(db.func.count()).select_from(RecoveryCode)
    return db.session.scalar(query.filter_by(user_id=user.id, used_at=None))


def reset(user: StaffUser) -> None:
    """Turn a staff member's two-factor sign-in off, so they set it up again next time."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(db.delete(RecoveryCode).filter_by(user_id=user.id))
    db.session.flush()
