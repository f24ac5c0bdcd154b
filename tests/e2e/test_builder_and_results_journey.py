"""Staff on a phone: plain English as a question is typed, and results with diverging bars."""

import re

import pytest

from tests.e2e.conftest import assert_accessible, sign_in_staff

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _wmp2020_overview(page) -> None:
    sign_in_staff(page)
    page.goto("/staff/consultations/")
    page.get_by_role("link", name=re.compile("^WMP2020")).click()


def test_plain_english_updates_as_a_question_is_typed(new_page):
    page = new_page(**PHONE)
    _wmp2020_overview(page)
    page.get_by_role("link", name="Add a question", exact=True).click()
    panel = page.locator("#prompt-plain-english")
    assert "Write some words" in panel.inner_text()

    page.get_by_label("Question", exact=True).fill(
        "Officers were deployed to facilitate engagement with key stakeholders."
    )

    panel.get_by_text("Passive voice: “were deployed”").wait_for(timeout=15_000)
    assert "above the GOV.UK aim of 9" in panel.inner_text()
    assert_accessible(page, "question form with a plain English check")


def test_staff_results_list_the_questions_and_draw_agreement_as_diverging_bars(new_page):
    page = new_page(**PHONE)
    _wmp2020_overview(page)
    page.get_by_role("link", name="Results", exact=True).click()
    questions = page.get_by_role("navigation", name="Questions")
    questions.get_by_role("link", name="Police officers should wear body-worn cameras").click()
    assert page.url.endswith("#" + page.locator("h3:target").get_attribute("id"))

    chart = page.locator(".chart[aria-label^='Diverging bar chart']").first
    chart.locator(".main-svg").first.wait_for(timeout=30_000)
    assert chart.get_by_text("Strongly disagree").count() >= 1  # the legend
    assert_accessible(page, "staff results with diverging bars")
