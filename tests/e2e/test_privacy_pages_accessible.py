"""The data protection pages pass WCAG 2.2 A and AA checks, in their normal and error states,
and do not scroll sideways on a phone."""

import pytest

from tests.e2e.conftest import ADMIN_EMAIL, assert_accessible, sign_in_staff

pytestmark = pytest.mark.e2e


def _no_sideways_scroll(page, state: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{state} scrolls sideways by {overflow}px"


def test_privacy_pages_have_no_wcag_violations(new_page):
    page = new_page()
    sign_in_staff(page, ADMIN_EMAIL)
    page.get_by_role("link", name="Data protection").click()
    assert_accessible(page, "record of processing")
    for link in ("retention schedule", "subject access and erasure", "access to personal data"):
        page.goto("/staff/privacy/records")
        page.get_by_role("link", name=link).first.click()
        assert_accessible(page, link)

    page.goto("/staff/privacy/retention")
    page.get_by_label("Days to keep grant applications and documents").fill("30")
    page.get_by_role("button", name="Save grant applications and documents").click()
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_text("Nothing was changed").first.is_visible()
    assert_accessible(page, "retention schedule refusing a period below the minimum")

    page.goto("/staff/privacy/subject-access")
    page.get_by_label("Email address or reference").fill("nobody@example.org")
    page.get_by_role("button", name="Find").click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, "subject access finding nothing")

    page.goto("/staff/privacy/access-log?since=yesterday")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, "access log with a malformed filter")


def test_privacy_pages_pass_on_a_phone(new_page):
    page = new_page(390, 844)
    sign_in_staff(page, ADMIN_EMAIL)
    for path in (
        "/staff/privacy/records",
        "/staff/privacy/retention",
        "/staff/privacy/subject-access",
        "/staff/privacy/access-log",
    ):
        assert page.goto(path).status == 200
        assert_accessible(page, f"{path} on a phone")
        _no_sideways_scroll(page, path)
