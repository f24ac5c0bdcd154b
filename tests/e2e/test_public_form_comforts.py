"""The survey on a phone: a 1-5 scale on one line, and a live count of characters left."""

import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_a_rating_scale_fits_one_line_on_a_phone(new_page):
    page = new_page(**PHONE)
    page.goto("/consultations/wmp2020")
    scale = page.locator(".choices--scale").first
    tops = scale.locator(".choice").evaluate_all(
        "items => items.map(item => Math.round(item.getBoundingClientRect().top))"
    )
    assert len(tops) == 5 and len(set(tops)) == 1, tops
    assert page.get_by_text("1 is the lowest and 5 the highest.").first.is_visible()


def test_a_comment_box_counts_the_characters_left(new_page):
    page = new_page(**PHONE)
    page.goto("/consultations/wmp2020")
    box = page.locator("textarea[data-maxlength]").first
    limit = int(box.get_attribute("data-maxlength"))
    count = page.locator(f"#{box.get_attribute('id')}-count")
    assert count.inner_text() == f"You have {limit:,} characters remaining"
    box.fill("More patrols")
    assert count.inner_text() == f"You have {limit - 12:,} characters remaining"
    box.fill("x" * (limit + 1))
    assert count.inner_text() == "You have 1 character too many"
    assert_accessible(page, "a comment over its limit")


def test_published_results_draw_their_charts_in_under_a_megabyte(new_page):
    page = new_page(**PHONE)
    page.goto("/consultations/neighbourhood-priorities-2025/results")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
    transferred = page.evaluate(
        """() => performance.getEntriesByType('navigation')
              .concat(performance.getEntriesByType('resource'))
              .reduce((sum, entry) => sum + (entry.transferSize || entry.encodedBodySize), 0)"""
    )
    assert 0 < transferred < 1_000_000, transferred
