"""Themes with people in the loop: accept suggested themes, code comments, double-code a
sample, read the agreement, and see the themes on the published results page."""

import re

import pytest

from tests.e2e.conftest import SECOND_CODER_EMAIL, assert_accessible, sign_in_staff

pytestmark = pytest.mark.e2e

PUBLISHED = "Neighbourhood policing priorities"


def code_shown_texts(page, count: int, codes: dict[str, str]) -> None:
    """Code `count` texts in turn, ticking each code whose word the text contains."""
    for _ in range(count):
        text = page.locator("#text-to-code").inner_text().lower()
        for word, code in codes.items():
            if word in text:
                page.get_by_label(re.compile(f"^{code}")).check()
        page.get_by_role("button", name="Save and next").click()
        assert page.get_by_text("Codes saved.").is_visible()


def test_staff_build_themes_code_double_code_and_publish(new_page):
    page = new_page()
    sign_in_staff(page)
    page.goto("/staff/consultations/")
    page.get_by_role("link", name=f"Results of {PUBLISHED}").click()
    page.get_by_role("link", name=re.compile("^Read the .* comments")).click()
    page.get_by_role("link", name="Themes and coding for these comments").click()
    assert_accessible(page, "themes and coding, no codes yet")
    page.get_by_role("link", name="See the suggested themes").click()
    page.get_by_role("button", name="Suggest themes").click()  # a job, in-process here
    assert page.get_by_role("button", name="Accept as a code").count() >= 3
    assert_accessible(page, "suggested themes")

    page.locator("#theme-1-name").fill("Knowing local officers")
    page.get_by_role("button", name="Accept as a code").first.click()
    assert page.get_by_text("“Knowing local officers” is now a code.").is_visible()
    theme = page.locator("section", has=page.locator("#theme-2-name"))
    theme.locator("#theme-2-name").fill("Anti-social behaviour")
    theme.get_by_role("button", name="Accept as a code").click()
    page.locator("#theme-3-name").fill("Speeding")
    page.get_by_role("button", name="Accept as a code").nth(0).click()
    page.get_by_role("button", name="Reject this theme").first.click()
    assert page.get_by_text("was rejected; the history keeps it").is_visible()
    assert_accessible(page, "themes after deciding")
    page.get_by_role("link", name="Themes and coding", exact=True).click()
    assert page.get_by_role("button", name="Merge codes").is_visible()
    assert_accessible(page, "themes and coding, three codes")
    page.get_by_role("link", name="Speeding", exact=True).click()
    page.get_by_label("What the code is for").fill("Cars driven too fast, speed bumps, cameras.")
    page.get_by_role("button", name="Save the description").click()
    assert page.locator("#code-history").get_by_text("description changed").is_visible()
    assert_accessible(page, "a code and its history")

    codes = {"officer": "Knowing local officers", "behaviour": "Anti-social behaviour"}
    codes |= {"speed": "Speeding"}
    page.get_by_role("link", name="Code texts").click()
    assert_accessible(page, "coding a text")
    code_shown_texts(page, 8, codes)
    assert page.get_by_text(re.compile(r"^8 of \d+ texts coded")).is_visible()
    page.get_by_role("button", name="Save and next").click()
    assert page.locator(".error-summary").count() == 0  # no code applies: saved as such
    page.get_by_role("link", name="Themes and coding", exact=True).click()
    page.get_by_role("button", name="Train suggestions").click()
    assert page.get_by_text(re.compile("at least 20 are needed")).first.is_visible()
    assert_accessible(page, "suggestions trained")
    page.get_by_role("link", name="Code texts", exact=True).click()

    second = new_page()
    sign_in_staff(second, SECOND_CODER_EMAIL)
    second.goto(page.url)
    second.get_by_role("link", name="Double-code a sample").click()
    second.get_by_label("How many texts to code again").fill("6")
    second.get_by_role("button", name="Choose the sample").click()
    assert second.get_by_text("Your sample: 6 texts, 0 double-coded.").is_visible()
    assert_accessible(second, "double-coding a sample")
    # The second coder reads "behaviour" differently: a disagreement to resolve.
    code_shown_texts(second, 6, {"officer": "Knowing local officers", "speed": "Speeding"})
    assert second.get_by_text("You have double-coded every text in your sample.").is_visible()
    second.get_by_role("link", name="Agreement").click()
    assert second.get_by_text(re.compile(r"Overall \(pooled\) kappa: -?\d\.\d\d")).is_visible()
    assert_accessible(second, "agreement")

    public = new_page()
    public.goto("/consultations/neighbourhood-priorities-2025/results")
    themes = public.get_by_role("table", name="Themes in the comments")
    assert themes.get_by_role("rowheader", name="Knowing local officers").is_visible()
    assert themes.get_by_role("rowheader", name="Speeding").is_visible()
    assert_accessible(public, "published results with themes")
