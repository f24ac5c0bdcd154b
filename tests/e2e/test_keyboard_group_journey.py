"""A community group registers and sends an application with the keyboard alone: Tab to each
field, type, Space to tick, arrows to choose, Enter to follow a link or press a button."""

import re
from datetime import date, timedelta

import pytest

from tests.e2e.keyboard import fill, press

pytestmark = pytest.mark.e2e

GROUP_EMAIL = "e2e-keyboard-group@example.org"


def test_a_group_registers_and_sends_an_application_by_keyboard_alone(new_page):
    page = new_page()
    page.goto("/active-citizens-fund/")
    press(page, "Register your group to apply")
    organisation = page.evaluate(
        "[...document.querySelectorAll('input[type=radio]')]"
        ".find(r => r.labels[0].innerText.includes('Unregistered community group')).id"
    )
    bank = page.evaluate(
        "[...document.querySelectorAll('input[type=checkbox]')]"
        ".filter(c => /bank account|safeguarding policy/.test(c.labels[0].innerText))"
        ".map(c => c.id)"
    )
    fill(
        page,
        [
            ("email", GROUP_EMAIL),
            ("password", "keyboard only group password 2026"),
            ("name", "Kingstanding Keyboard Club"),
            (organisation, organisation),
            ("contact_name", "Sam Patel"),
            ("address", "Kingstanding, Birmingham"),
            ("postcode", "B44 9AA"),
            *[(checkbox, "tick") for checkbox in bank],
        ],
    )
    press(page, "Register")
    assert page.url.endswith("/active-citizens-fund/my"), page.locator("main").inner_text()

    press(page, "Change your group's details")
    fill(page, [("contact_name", "Sam Patel-Jones")])
    press(page, "Save the details")
    press(page, "Change your group's details")
    assert page.locator("#contact_name").input_value() == "Sam Patel-Jones"
    press(page, "Save the details")  # back to the group's page

    press(page, "Start an application to Active Citizens Fund 2026")
    start = date.today() + timedelta(days=45)
    young = page.evaluate(
        "[...document.querySelectorAll('input[type=checkbox]')]"
        ".find(c => c.labels[0].innerText.trim() === 'Young people').id"
    )
    fill(
        page,
        [
            ("title", "Keyboard club for young people"),
            ("summary", "Evening sessions in the community centre."),
            ("activities", "Weekly sessions for 30 weeks."),
            ("beneficiaries", "Young people aged 11 to 16."),
            ("beneficiary_count", "40"),
            ("outcomes", "Fewer reports of anti-social behaviour in the evenings."),
            (young, "tick"),
            ("main_area_code", "Birmingham"),
            ("amount_requested", "1,000"),
            ("starts_on", start.isoformat()),
            ("ends_on", (start + timedelta(days=200)).isoformat()),
            ("budget_lines-0-purpose", "Youth worker"),
            ("budget_lines-0-amount", "1000"),
        ],
    )
    press(page, "Save and go to the application page")
    assert re.search(r"/my/applications/\d+$", page.url), page.locator("main").inner_text()

    press(page, "Check your answers and send")
    declaration = page.evaluate(
        "[...document.querySelectorAll('input[type=checkbox]')]"
        ".find(c => c.labels[0].innerText.startsWith('I confirm that the information')).id"
    )
    fill(page, [(declaration, "tick")])
    press(page, "Accept and send the application")
    assert "Received" in page.locator("#status").inner_text()
