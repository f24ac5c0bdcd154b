"""A right-to-left journey: a member of the public reads the survey's pages in Urdu."""

import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_answering_in_urdu_runs_right_to_left_and_passes_axe(new_page):
    page = new_page(**PHONE)
    page.goto("/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="اردو").click()
    page.wait_for_url("**/?lang=ur")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ur", "rtl")
    assert page.get_by_role("heading", name="پولیسنگ کے بارے میں اپنی رائے دیں").is_visible()
    assert_accessible(page, "home page in Urdu")

    page.goto("/consultations/wmp2020")  # the choice is kept: no ?lang= on this address
    assert html.get_attribute("dir") == "rtl"
    progress = page.get_by_role("group", name="Would you like to track the progress")
    yes = progress.get_by_label("Yes")
    yes.check()
    # Right to left: each radio sits to the right of its label.
    radio_box = yes.bounding_box()
    label_box = progress.locator(f"label[for='{yes.get_attribute('id')}']").bounding_box()
    assert radio_box["x"] > label_box["x"]
    assert_accessible(page, "survey form in Urdu")

    page.get_by_role("button", name="جاری رکھیں").click()  # no consent yet
    summary = page.get_by_role("alert")
    assert "ایک مسئلہ ہے" in summary.inner_text()
    assert "خانے پر نشان لگائیں" in summary.inner_text()
    assert_accessible(page, "error summary in Urdu")

    page.get_by_label("میں نے رازداری کا نوٹس پڑھ لیا ہے").check()
    page.get_by_role("button", name="جاری رکھیں").click()
    page.wait_for_url("**/wmp2020/check")
    assert page.get_by_role("heading", name="بھیجنے سے پہلے اپنے جوابات چیک کریں").is_visible()
    assert_accessible(page, "check your answers in Urdu")

    page.get_by_role("button", name="میرے جوابات بھیجیں").click()
    page.wait_for_url("**/confirmation")
    assert page.get_by_role("heading", name="جواب بھیج دیا گیا").is_visible()
    assert page.locator("#reference").inner_text().startswith("R")
    assert_accessible(page, "confirmation in Urdu")

    switcher = page.get_by_role("navigation", name="زبان")  # "Language", in Urdu
    switcher.get_by_role("link", name="English").click()
    page.wait_for_url("**/confirmation?lang=en")
    assert html.get_attribute("dir") == "ltr"
    assert page.get_by_role("heading", name="Response sent").is_visible()
