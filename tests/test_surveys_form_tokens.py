import pytest

from engage.core.errors import DomainError
from engage.surveys.services.form_tokens import issue_form_token, read_form_token


def test_issued_token_reads_back_and_is_unique(app):
    with app.test_request_context():
        first, second = issue_form_token(), issue_form_token()
        assert first != second
        assert len(read_form_token(first)) == 32


@pytest.mark.parametrize("bad", [None, "", "made-up-token", "abc.def.ghi"])
def test_missing_or_forged_token_is_a_bad_request(app, bad):
    with app.test_request_context(), pytest.raises(DomainError) as raised:
        read_form_token(bad)
    assert raised.value.status == 400


def test_token_signed_with_another_key_is_refused(app, make_app):
    other = make_app(SECRET_KEY="another key")
    with other.test_request_context():
        foreign = issue_form_token()
    with app.test_request_context(), pytest.raises(DomainError):
        read_form_token(foreign)
