"""Every public page, in its normal and its error state, passes axe-core's WCAG 2.2 A and AA
checks in Chromium, on a desktop and a phone."""

import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/privacy",
        "/accessibility",
        "/staff/login",
        "/consultations/wmp2020",
        "/consultations/neighbourhood-priorities-2025",
        "/consultations/neighbourhood-priorities-2025/results",
        "/active-citizens-fund/",
        "/active-citizens-fund/funded-projects",
    ],
)
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_public_page_has_no_wcag_violations(new_page, path, viewport):
    page = new_page(**PHONE) if viewport == "phone" else new_page()

    response = page.goto(path)

    assert response.status == 200
    assert_accessible(page, f"{path} on a {viewport}")
    if viewport == "phone":
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways on a phone by {overflow}px"


def test_survey_error_state_is_accessible_and_the_summary_takes_focus(new_page):
    page = new_page()
    page.goto("/consultations/wmp2020")

    page.get_by_role("button", name="Continue").click()

    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert "Select an answer to" in summary.inner_text()
    # The page's script moves focus once it runs, which can be a moment after the summary shows;
    # this fails if focus never gets there.
    page.wait_for_function("document.activeElement.classList.contains('error-summary')")
    assert page.title().startswith("Error:")
    assert_accessible(page, "survey with errors")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.type") == "radio"


def test_login_error_state_is_accessible(new_page):
    page = new_page()
    page.goto("/staff/login")

    page.get_by_role("button", name="Sign in").click()

    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, "login with errors")


def test_check_answers_and_confirmation_are_accessible(new_page):
    page = new_page(**PHONE)
    page.goto("/consultations/wmp2020")
    page.get_by_role("group", name="Would you like to track the progress").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Continue").click()

    assert page.get_by_role("heading", name="Check your answers before sending").is_visible()
    assert_accessible(page, "check your answers")
    page.get_by_role("button", name="Send my answers").click()

    page.wait_for_url("**/confirmation")
    assert page.locator("#reference").inner_text().startswith("R")
    assert_accessible(page, "confirmation")
