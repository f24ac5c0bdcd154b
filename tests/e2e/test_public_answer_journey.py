"""The public journey on a phone: "None of these" stands alone, and Back and reload never resend."""

import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
UPDATES = "How would you like to be kept up to date?"


def test_ticking_i_do_not_want_updates_unticks_the_others_and_back_again(new_page):
    page = new_page(**PHONE)
    page.goto("/consultations/wmp2020")
    group = page.get_by_role("group", name=UPDATES)
    social, newsletters = group.get_by_label("Social media"), group.get_by_label("Newsletters")
    alone = group.get_by_label("I do not want updates")
    social.check()
    newsletters.check()

    alone.check()
    assert not social.is_checked() and not newsletters.is_checked()
    assert_accessible(page, "an exclusive option ticked")

    social.check()
    assert not alone.is_checked() and social.is_checked()
    assert group.get_by_text("or", exact=True).is_visible()


def test_back_and_reload_after_continue_and_send_never_resend_the_form(new_page):
    page = new_page(**PHONE)
    posts = []
    page.on(
        "request",
        lambda request: (
            posts.append(request.url.rsplit("/", 1)[-1])
            if request.method == "POST" and request.is_navigation_request()
            else None
        ),
    )
    page.goto("/consultations/wmp2020")
    page.get_by_role("group", name="Would you like to track the progress").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("group", name=UPDATES).get_by_label("Local meetings").check()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/wmp2020/check")

    page.reload()
    assert page.get_by_role("heading", name="Check your answers before sending").is_visible()
    assert_accessible(page, "check your answers, reloaded")
    page.go_back()
    page.wait_for_url("**/consultations/wmp2020")
    assert page.get_by_role("group", name=UPDATES).get_by_label("Local meetings").is_checked()
    page.reload()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/wmp2020/check")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url("**/confirmation")
    reference = page.locator("#reference").inner_text()

    page.go_back()  # to the check page, now sent: it hands over to an empty form
    page.wait_for_url("**/consultations/wmp2020")
    assert not page.get_by_role("group", name=UPDATES).get_by_label("Local meetings").is_checked()
    page.go_forward()
    page.wait_for_url("**/confirmation")
    assert page.locator("#reference").inner_text() == reference
    assert posts == ["wmp2020", "wmp2020", "send"]  # one send: nothing stored twice
