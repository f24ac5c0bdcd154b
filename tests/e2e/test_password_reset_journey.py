"""A forgotten password at phone size: ask, read the email, choose a new one; axe-core on each."""

import pytest

from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD, assert_accessible
from tests.e2e.keyboard import links_mailed_to

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
# The same password again (a fresh hash): the link is used up, and later tests still sign in.
NEW_PASSWORD = STAFF_PASSWORD


def _reset_link(outbox) -> str:
    links = links_mailed_to(outbox, STAFF_EMAIL, "/password/reset/")
    assert len(links) == 1, links
    return links[0]


def test_staff_member_resets_a_forgotten_password_on_a_phone(new_page, e2e_outbox):
    page = new_page(**PHONE)
    page.goto("/staff/login")
    page.click("text=Forgotten your password?")
    assert_accessible(page, "forgot password")
    page.click("button[type=submit]")
    assert_accessible(page, "forgot password, no email")
    page.fill("#email", STAFF_EMAIL)
    page.click("button[type=submit]")
    page.wait_for_url("**/password/sent/staff")
    assert_accessible(page, "check your email")
    link = _reset_link(e2e_outbox)
    page.goto(link)
    assert_accessible(page, "choose a new password")
    page.fill("#password", NEW_PASSWORD)
    page.fill("#confirm", "something else entirely")
    page.click("button[type=submit]")
    assert "do not match" in page.content()
    assert_accessible(page, "choose a new password, mismatch")
    page.fill("#password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/staff/login")
    page.goto(link)
    assert "already been used" in page.content()
    assert_accessible(page, "used reset link")
