"""Keep me updated at phone size: answer, read the email, confirm, then unsubscribe; axe-core on
each page, and no JavaScript needed for the confirm and unsubscribe buttons."""

import re

import pytest

from tests.e2e.conftest import assert_accessible
from tests.e2e.keyboard import links_mailed_to

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
EMAIL = "e2e-updates@example.org"
CHOOSE_FIRST_OPTIONS = """() => {
  const seen = new Set();
  for (const input of document.querySelectorAll('input[type=radio][name^=q]')) {
    if (!seen.has(input.name)) { input.checked = true; seen.add(input.name); }
  }
}"""


def _links(outbox, path: str) -> list[str]:
    return links_mailed_to(outbox, EMAIL, path)


def test_public_confirms_updates_then_unsubscribes_on_a_phone(new_page, e2e_outbox):
    page = new_page(**PHONE)
    page.goto("/consultations/wmp2020")
    page.evaluate(CHOOSE_FIRST_OPTIONS)
    page.check("#wants_updates")
    page.fill("#contact_email", EMAIL)
    page.check("input[name=consent]")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name=re.compile("Send")).click()
    assert page.get_by_role("heading", name="Confirm you want updates").is_visible()

    [confirm] = _links(e2e_outbox, "/updates/confirm/")
    page.goto(confirm)
    assert_accessible(page, "confirm updates")
    page.get_by_role("button", name="Confirm I want updates").click()
    assert page.get_by_role("heading", name="Updates confirmed").is_visible()
    assert_accessible(page, "updates confirmed")
    page.goto(confirm)
    assert "already confirmed" in page.content()

    unsubscribe = _links(e2e_outbox, "/updates/unsubscribe/")[0]
    page.goto(unsubscribe)
    assert_accessible(page, "unsubscribe")
    page.get_by_role("button", name="Unsubscribe").click()
    assert page.get_by_role("heading", name="Unsubscribed").is_visible()
    assert_accessible(page, "unsubscribed")

    page.goto(confirm.rsplit(".", 1)[0] + ".forged")
    assert "not valid" in page.content()
    assert_accessible(page, "forged link")
