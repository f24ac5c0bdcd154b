"""Staff pages pass the same WCAG 2.2 A and AA checks as public ones: public-sector rules cover
the tools staff use too."""

import re

import pytest

from tests.e2e.conftest import assert_accessible, sign_in_staff

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
