"""One-time form tokens: each rendered survey form carries one, and a response stores it.

`Response.form_token` is unique, so a double-click or a replayed form cannot store twice.
The token is signed with a timestamp, so a client cannot invent one and an old one expires.
"""

import secrets

from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired

from engage.core.errors import DomainError
from engage.core.signing import timed_serializer

MAX_AGE_SECONDS = 24 * 60 * 60
_SALT = "engage.form-token"


def issue_form_token() -> str:
    """Return a new signed token to put in a form's hidden field."""
    return timed_serializer(_SALT).dumps(secrets.token_hex(16))


def read_form_token(signed: str | None) -> str:
    """Return the raw token inside a signed one, or raise a 400 DomainError saying why."""
    if not signed:
        raise DomainError(_("The form was incomplete. Reload the page and try again."), status=400)
    try:
        return timed_serializer(_SALT).loads(signed, max_age=MAX_AGE_SECONDS)
    except SignatureExpired:
        raise DomainError(
            _("This form has expired. Reload the page to start again."), status=400
        ) from None
    except BadSignature:
        raise DomainError(
            _("The form was not sent from this site. Reload the page and try again."), status=400
        ) from None
