"""Staff pages pass the same WCAG 2.2 A and AA checks as public ones: public-sector rules cover
the tools staff use too."""

import re

import pytest

from tests.e2e.conftest import PCC_EMAIL, assert_accessible, sign_in_staff

pytestmark = pytest.mark.e2e


def test_staff_pages_have_no_wcag_violations(new_page):
    page = new_page()
    sign_in_staff(page)
    page.goto("/staff/consultations/")
    assert_accessible(page, "consultation list")
    page.get_by_role("link", name=re.compile("^WMP2020")).click()
    assert_accessible(page, "consultation overview")
    overview = page.url

    for link in ("Results", "Events and paper responses", "Add a question", "Change the details"):
        page.goto(overview)
        page.get_by_role("link", name=link, exact=True).click()
        assert_accessible(page, link)

    page.goto(overview)
    page.get_by_role("link", name="Events and paper responses").click()
    page.get_by_role("link", name=re.compile("^Key in responses")).first.click()
    assert_accessible(page, "paper entry")
    page.get_by_role("button", name="Save and key in the next").click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, "paper entry with errors")


def test_commitment_pages_have_no_wcag_violations(new_page):
    page = new_page()
    sign_in_staff(page)
    page.goto("/staff/consultations/")
    page.get_by_role("link", name=re.compile("^WMP2020")).click()
    page.get_by_role("link", name="Results", exact=True).click()
    page.get_by_role("link", name="We did: commitments and quotes").click()
    assert_accessible(page, "commitments and quotes")
    page.get_by_role("link", name="Add a commitment").click()
    assert_accessible(page, "new commitment")
    page.get_by_role("button", name="Add the commitment").click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, "new commitment with errors")
    page.get_by_label("What the force or PCC will do").fill("Brighter street lighting")
    page.get_by_label("Owner").fill("Partnerships team")
    page.get_by_label("Progress (%)").fill("20")
    page.get_by_role("button", name="Add the commitment").click()
    assert page.get_by_role("heading", name="Brighter street lighting").is_visible()
    assert_accessible(page, "commitments with one")
    page.get_by_role("link", name="Back to the results").click()
    page.get_by_role("link", name="Board report").click()
    assert page.get_by_role("heading", name="Findings").is_visible()
    assert_accessible(page, "board report")


def test_fund_staff_pages_pass_on_a_phone(new_page):
    page = new_page(390, 844)
    sign_in_staff(page, PCC_EMAIL)
    for path in (
        "/staff/grants/rounds/acf-2026",
        "/staff/grants/rounds/acf-2026/publish",
        "/staff/grants/rounds/acf-2025/audit",
    ):
        assert page.goto(path).status == 200
        assert_accessible(page, f"{path} on a phone")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
