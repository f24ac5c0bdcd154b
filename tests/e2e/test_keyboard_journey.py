"""A member of the public answers the demo survey with the keyboard alone; staff then see the
response counted in the results."""

import re

import pytest

from tests.e2e.conftest import sign_in_staff

pytestmark = pytest.mark.e2e

MAX_KEY_PRESSES = 400
COMMENT = "Typed with the keyboard only: keep the roadshows coming."

FOCUSED = """() => {
  const el = document.activeElement;
  return {tag: el.tagName, type: el.type || '', name: el.name || '', text: el.innerText || ''};
}"""


def _response_total(page, consultation_id: str) -> int:
    page.goto(f"/staff/consultations/{consultation_id}/results")
    return int(page.locator("#response-total").inner_text().replace(",", ""))


def _wmp2020_id(staff) -> str:
    staff.goto("/staff/consultations/")
    href = staff.get_by_role("link", name=re.compile("^WMP2020")).get_attribute("href")
    return href.rstrip("/").rsplit("/", 1)[-1]


def _tab_until(page, wanted, act) -> None:
    """Press Tab through the page, letting `act` handle each focused control, until `wanted`."""
    for _ in range(MAX_KEY_PRESSES):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if wanted(focused):
            return
        act(page, focused)
    raise AssertionError(f"never reached the wanted control in {MAX_KEY_PRESSES} key presses")


def _answer(page, focused, answered: set) -> None:
    name, kind = focused["name"], focused["type"]
    if kind == "radio" and name.startswith("q") and name not in answered:
        page.keyboard.press("Space")  # the group's first option
        answered.add(name)
    elif kind == "checkbox" and (
        name == "consent" or name.startswith("q") and name not in answered
    ):
        page.keyboard.press("Space")
        answered.add(name)
    elif focused["tag"] == "TEXTAREA":
        page.keyboard.type(COMMENT)
    elif name == "area":
        page.keyboard.press("ArrowRight")  # moves to and chooses the second area, Coventry
        answered.add(name)


def test_keyboard_only_response_is_counted_for_staff(new_page):
    staff = new_page()
    sign_in_staff(staff)
    consultation_id = _wmp2020_id(staff)
    before = _response_total(staff, consultation_id)

    public = new_page(width=390, height=844)
    public.goto("/consultations/wmp2020")
    answered: set[str] = set()
    _tab_until(
        public,
        lambda f: f["tag"] == "BUTTON" and f["text"].strip() == "Continue",
        lambda page, focused: _answer(page, focused, answered),
    )
    with public.expect_navigation():
        public.keyboard.press("Enter")

    assert public.locator(".error-summary").count() == 0, public.locator(
        ".error-summary"
    ).inner_text()
    assert public.get_by_role("heading", name="Check your answers before sending").is_visible()
    assert COMMENT in public.content()
    assert "Coventry" in public.content()
    _tab_until(
        public,
        lambda f: f["tag"] == "BUTTON" and f["text"].strip() == "Send my answers",
        lambda page, focused: None,
    )
    public.keyboard.press("Enter")
    public.wait_for_url("**/confirmation")
    reference = public.locator("#reference").inner_text()
    assert re.fullmatch(r"R[0-9A-Z-]+", reference), reference

    assert _response_total(staff, consultation_id) == before + 1
    staff.goto(f"/staff/consultations/{consultation_id}/results?area=coventry&channel=online")
    assert int(staff.locator("#response-total").inner_text().replace(",", "")) >= 1
