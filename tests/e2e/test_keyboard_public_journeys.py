"""The public's and a group's other journeys with the keyboard alone: keep me updated (answer,
confirm from the email, unsubscribe) and a group's forgotten password."""

import pytest

from tests.e2e.keyboard import fill, links_mailed_to, press, tab_to

pytestmark = pytest.mark.e2e

UPDATES_EMAIL = "e2e-keyboard-updates@example.org"
GROUP_EMAIL = "e2e-keyboard-reset@example.org"
NEW_PASSWORD = "a new keyboard only password 2026"


def _answer_keeping_me_updated(page, focused, done: set) -> None:
    """Choose the first option of each question, ask for updates, give an email, consent."""
    name, kind = focused["name"], focused["type"]
    ticks = name.startswith("q") or (kind == "checkbox" and name in ("wants_updates", "consent"))
    if kind in ("radio", "checkbox") and ticks and name not in done:
        page.keyboard.press("Space")
        done.add(name)
    elif focused["id"] == "contact_email" and name not in done:
        page.keyboard.type(UPDATES_EMAIL)
        done.add(name)


def test_keep_me_updated_confirm_and_unsubscribe_by_keyboard_alone(new_page, e2e_outbox):
    page = new_page(width=390, height=844)
    page.goto("/consultations/wmp2020")
    done: set[str] = set()
    tab_to(
        page,
        lambda f: f["tag"] == "BUTTON" and f["text"] == "Continue",
        lambda p, f: _answer_keeping_me_updated(p, f, done),
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".error-summary").count() == 0, page.locator("main").inner_text()
    press(page, "Send my answers")
    assert page.get_by_role("heading", name="Confirm you want updates").is_visible()

    [confirm] = links_mailed_to(e2e_outbox, UPDATES_EMAIL, "/updates/confirm/")
    page.goto(confirm)  # opened from the email
    press(page, "Confirm I want updates")
    assert page.get_by_role("heading", name="Updates confirmed").is_visible()

    unsubscribe = links_mailed_to(e2e_outbox, UPDATES_EMAIL, "/updates/unsubscribe/")[0]
    page.goto(unsubscribe)
    press(page, "Unsubscribe")
    assert page.get_by_role("heading", name="Unsubscribed").is_visible()


def _register_group(page) -> None:
    """Setting up (not the journey under test): a group with an account."""
    page.goto("/active-citizens-fund/register")
    page.fill("#email", GROUP_EMAIL)
    page.fill("#password", "the first keyboard group password")
    page.fill("#name", "Erdington Keyboard Collective")
    page.get_by_label("Unregistered community group").check()
    page.fill("#contact_name", "Alex Khan")
    page.fill("#address", "Erdington, Birmingham")
    page.fill("#postcode", "B23 6AA")
    for label in ("bank account in its own name", "The group has a safeguarding policy"):
        page.locator("label", has_text=label).click()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/active-citizens-fund/my")
    page.context.clear_cookies()


def test_a_group_resets_a_forgotten_password_by_keyboard_alone(new_page, e2e_outbox):
    page = new_page()
    _register_group(page)

    page.goto("/active-citizens-fund/sign-in")
    press(page, "Forgotten your password?")
    fill(page, [("email", GROUP_EMAIL)])
    tab_to(page, lambda f: f["tag"] == "BUTTON")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    [link] = links_mailed_to(e2e_outbox, GROUP_EMAIL, "/password/reset/")
    page.goto(link)  # opened from the email
    fill(page, [("password", NEW_PASSWORD), ("confirm", NEW_PASSWORD)])
    tab_to(page, lambda f: f["tag"] == "BUTTON")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.goto("/active-citizens-fund/sign-in")
    fill(page, [("email", GROUP_EMAIL), ("password", NEW_PASSWORD)])
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"].startswith("Sign in"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/active-citizens-fund/my"), page.locator("main").inner_text()
