"""Questions that follow earlier answers, in the demo's "Roads and driving": one section per
page, a section skipped after No, and a follow-up revealed in place with JavaScript or simply
shown (and its answer ignored when not asked) without."""

import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

URL = "/consultations/roads-and-driving"
DRIVES = "Do you drive in the West Midlands?"
UNSAFE = "What makes driving feel unsafe where you live?"


def _accessible_without_javascript(page, state: str) -> None:
    """axe-core needs JavaScript: check the same page, with the same session, in a twin context
    whose browser runs none of the app's scripts (so the page is as a script-less browser has it).
    """
    page.wait_for_load_state("load")
    twin_context = page.context.browser.new_context(bypass_csp=True)
    try:
        twin_context.add_cookies(page.context.cookies())
        twin_context.route("**/*.js", lambda route: route.abort())
        twin = twin_context.new_page()
        twin.goto(page.url)
        assert twin.locator("main").inner_text() == page.locator("main").inner_text()
        assert_accessible(twin, state)
    finally:
        twin_context.close()


def test_without_javascript_a_no_skips_the_drivers_page_and_drops_the_follow_up(new_page):
    page = new_page(javascript=False)
    page.goto(URL)
    assert page.get_by_label(UNSAFE).is_visible()  # shown, with a hint saying when to answer
    assert page.get_by_text("Only answer the next question if you answered Yes").is_visible()
    _accessible_without_javascript(page, "page 1 without JavaScript")

    page.get_by_role("group", name=DRIVES).get_by_label("No", exact=True).check()
    page.get_by_label(UNSAFE).fill("Answered by mistake")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/roads-and-driving/page/3")
    assert page.get_by_role("heading", name="Walking and cycling").is_visible()
    _accessible_without_javascript(page, "the walking page, the drivers' page skipped")

    page.get_by_role("group", name="Do you walk or cycle on busy roads?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/roads-and-driving/page/4")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/roads-and-driving/check")
    body = page.locator("main").inner_text()
    assert DRIVES in body and "Do you walk or cycle on busy roads?" in body
    assert UNSAFE not in body and "Answered by mistake" not in body
    assert "Speed cameras" not in body
    _accessible_without_javascript(page, "check your answers without the questions not asked")

    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url("**/confirmation")


def test_with_javascript_the_follow_up_is_revealed_in_place_and_back_keeps_answers(new_page):
    page = new_page()
    page.goto(URL)
    follow_up = page.get_by_label(UNSAFE)
    yes = page.get_by_role("group", name=DRIVES).get_by_label("Yes", exact=True)
    assert not follow_up.is_visible()
    assert yes.get_attribute("aria-controls") == "conditional-" + follow_up.get_attribute("name")

    yes.check()
    assert follow_up.is_visible()
    assert not page.get_by_text("Only answer the next question if you").is_visible()
    assert_accessible(page, "the follow-up revealed")
    page.get_by_role("group", name=DRIVES).get_by_label("No", exact=True).check()
    assert not follow_up.is_visible()

    yes.check()
    follow_up.fill("Cars racing at night")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/roads-and-driving/page/2")
    assert page.get_by_role("heading", name="Speeding").is_visible()
    assert_accessible(page, "the drivers' page")

    page.get_by_role("link", name="Back").click()
    page.wait_for_url("**/roads-and-driving/page/1")
    assert page.get_by_role("group", name=DRIVES).get_by_label("Yes", exact=True).is_checked()
    assert page.get_by_label(UNSAFE).input_value() == "Cars racing at night"
