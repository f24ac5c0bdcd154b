"""Rotating SECRET_KEY: with the old key in SECRET_KEY_FALLBACKS, open forms and emailed links
still work; without it they are refused, as a forged one would be."""

import pytest

from engage.core.errors import DomainError
from engage.passwords import services as passwords
from engage.surveys.services import form_tokens

OLD, NEW = "old key " * 4, "new key " * 4


def _issued_under_old_key(make_app, issue):
    with make_app(SECRET_KEY=OLD).app_context():
        return issue()


def test_a_form_rendered_before_the_rotation_is_still_accepted_after_it(make_app):
    signed = _issued_under_old_key(make_app, form_tokens.issue_form_token)
    with make_app(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[OLD]).app_context():
        assert len(form_tokens.read_form_token(signed)) == 32
    with (
        make_app(SECRET_KEY=NEW).app_context(),
        pytest.raises(DomainError, match="not sent from this site"),
    ):
        form_tokens.read_form_token(signed)


def test_a_reset_link_sent_before_the_rotation_still_opens_after_it(make_app, make_staff):
    email = make_staff(email="rotate@example.org")

    def reset_token():
        return passwords.request_reset("staff", email).token

    token = _issued_under_old_key(make_app, reset_token)
    with make_app(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[OLD]).app_context():
        assert passwords.account_for_token(token).email == email
    with make_app(SECRET_KEY=NEW).app_context(), pytest.raises(DomainError):
        passwords.account_for_token(token)
