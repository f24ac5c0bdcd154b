"""A community group registers and sends an application with the keyboard alone: Tab to each
field, type, Space to tick, arrows to choose, Enter to follow a link or press a button."""

import re
from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.e2e

MAX_TABS = 200  # per page: every control of the longest form, with room to spare
GROUP_EMAIL = "e2e-keyboard-group@example.org"

FOCUSED = """() => {
  const el = document.activeElement;
  const label = el.labels && el.labels[0] ? el.labels[0].innerText : '';
  return {tag: el.tagName, type: el.type || '', id: el.id || '', label: label,
          text: (el.innerText || el.value || '').trim()};
}"""


def _tab_to(page, matches) -> dict:
    """Press Tab until the focused control matches; return what is focused."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if matches(focused):
            return focused
    raise AssertionError(f"no matching control within {MAX_TABS} presses of Tab")


def _press(page, name: str) -> None:
    """Tab to the link or button named `name` and press Enter."""
    _tab_to(page, lambda f: f["tag"] in ("A", "BUTTON") and f["text"].startswith(name))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _fill(page, entries: list[tuple[str, str]]) -> None:
    """Visit each field (by id, in page order) with Tab and enter its value by keyboard.

    Text: typed. Checkbox: "tick" presses Space. Radio group: the value is the wanted option's
    id, reached with the arrow keys. Select: the option's text, typed to jump to it. Date: typed
    as the en-US date field expects (month, day, year).
    """
    for field_id, value in entries:
        focused = _tab_to(
            page,
            lambda f, wanted=field_id: (
                f["id"] == wanted
                or (f["type"] == "radio" and wanted.startswith(f["id"].rsplit("-", 1)[0] + "-"))
            ),
        )
        kind = focused["type"]
        if kind == "checkbox":
            page.keyboard.press("Space")
        elif kind == "radio":
            for _ in range(10):
                if page.evaluate("document.activeElement.id") == value:
                    break
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
        elif kind == "date":
            day = date.fromisoformat(value)
            page.keyboard.type(f"{day:%m%d%Y}")
        elif focused["tag"] == "SELECT":
            page.keyboard.type(value)
        else:
            page.keyboard.press("Control+A")
            page.keyboard.type(value)


def test_a_group_registers_and_sends_an_application_by_keyboard_alone(new_page):
    page = new_page()
    page.goto("/active-citizens-fund/")
    _press(page, "Register your group to apply")
    organisation = page.evaluate(
        "[...document.querySelectorAll('input[type=radio]')]"
        ".find(r => r.labels[0].innerText.includes('Unregistered community group')).id"
    )
    bank = page.evaluate(
        "[...document.querySelectorAll('input[type=checkbox]')]"
        ".filter(c => /bank account|safeguarding policy/.test(c.labels[0].innerText))"
        ".map(c => c.id)"
    )
    _fill(
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
    _press(page, "Register")
    assert page.url.endswith("/active-citizens-fund/my"), page.locator("main").inner_text()

    _press(page, "Start an application to Active Citizens Fund 2026")
    start = date.today() + timedelta(days=45)
    young = page.evaluate(
        "[...document.querySelectorAll('input[type=checkbox]')]"
        ".find(c => c.labels[0].innerText.trim() === 'Young people').id"
    )
    _fill(
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
    _press(page, "Save and go to the application page")
    assert re.search(r"/my/applications/\d+$", page.url), page.locator("main").inner_text()

    _press(page, "Check your answers and send")
    declaration = page.evaluate(
        "[...document.querySelectorAll('input[type=checkbox]')]"
        ".find(c => c.labels[0].innerText.startsWith('I confirm that the information')).id"
    )
    _fill(page, [(declaration, "tick")])
    _press(page, "Accept and send the application")
    assert "Received" in page.locator("#status").inner_text()
