"""The comms pages pass WCAG 2.2 A and AA checks, and moderation works in a real browser."""

import re

import pytest

from tests.e2e.conftest import COMMS_EMAIL, assert_accessible, sign_in_staff

pytestmark = pytest.mark.e2e


def test_comms_pages_have_no_wcag_violations(new_page):
    page = new_page()
    sign_in_staff(page, COMMS_EMAIL)
    page.get_by_role("link", name="Social media campaigns").click()
    page.wait_for_url("**/staff/social/")
    assert_accessible(page, "campaign list")
    page.get_by_role("link", name=re.compile("^#WMP2020")).click()
    page.wait_for_selector("#chart-volume-day.chart--drawn svg")
    assert_accessible(page, "dashboard with charts")

    page.get_by_role("link", name=re.compile("^Possible crime reports")).click()
    page.get_by_role("link", name=re.compile("^Open")).first.click()
    assert "call 101" in page.content()
    assert_accessible(page, "a post")
    page.get_by_role("button", name="Hide the post").click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, "a post with an error")

    page.get_by_role("link", name="#WMP2020: seven days of questions").click()
    page.get_by_role("link", name="Daily questions and collection history").click()
    assert_accessible(page, "campaign set-up")
    page.get_by_role("button", name="Add the daily question").click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, "daily question form with errors")

    page.goto("/staff/social/new")
    page.get_by_role("button", name="Create the campaign").click()
    assert_accessible(page, "campaign form with errors")


def test_a_reply_given_a_position_shows_in_the_results_as_social(new_page):
    page = new_page(390, 844)
    sign_in_staff(page, COMMS_EMAIL)
    page.goto("/staff/social/wmp2020?show=unclassified")
    page.get_by_role("link", name=re.compile("^Open")).first.click()
    page.get_by_label("Supports").check()
    page.get_by_role("button", name="Save the position").click()
    assert page.get_by_text("Position saved").is_visible()
    assert "Position: supports" in page.content() or "position: supports" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
