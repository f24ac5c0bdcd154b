"""A group applies, a reviewer scores, the PCC's office approves, and the group sees the award.

Every page on the way is checked against WCAG 2.2 A and AA with axe-core.
"""

import re
from datetime import date, timedelta

import pytest

from tests.e2e.conftest import PCC_EMAIL, REVIEWER_EMAIL, assert_accessible, sign_in_staff
from tests.e2e.keyboard import fill, press

pytestmark = pytest.mark.e2e
GROUP_EMAIL = "e2e-group@example.org"
GROUP_PASSWORD = "e2e group password long enough"


def register_group(page) -> None:
    page.goto("/active-citizens-fund/")
    assert_accessible(page, "fund page")
    page.get_by_role("link", name="Register your group to apply").click()
    page.get_by_role("button", name="Register").click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, "registration with errors")
    page.fill("#email", GROUP_EMAIL)
    page.fill("#password", GROUP_PASSWORD)
    page.fill("#name", "Castle Vale Youth Project")
    page.get_by_label("Unregistered community group").check()
    page.fill("#contact_name", "Jo Brown")
    page.fill("#address", "Castle Vale, Birmingham")
    page.fill("#postcode", "B35 7AG")
    page.get_by_label(re.compile("bank account in its own name")).check()
    page.get_by_label("The group has a safeguarding policy").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/active-citizens-fund/my")


def fill_application(page) -> None:
    start = date.today() + timedelta(days=45)
    page.fill("#title", "Castle Vale after-school boxing")
    page.fill("#summary", "Boxing and mentoring on weekday evenings.")
    page.fill("#activities", "Two sessions a week for 30 weeks.")
    page.fill("#beneficiaries", "Young people aged 11 to 16.")
    page.fill("#beneficiary_count", "60")
    page.fill("#outcomes", "Fewer reports of anti-social behaviour after school.")
    page.get_by_label("Young people").check()
    page.select_option("#main_area_code", "E08000025")
    page.fill("#amount_requested", "2,500")
    page.fill("#starts_on", start.isoformat())
    page.fill("#ends_on", (start + timedelta(days=200)).isoformat())
    page.fill("#budget_lines-0-purpose", "Coach")
    page.fill("#budget_lines-0-amount", "2000")
    page.fill("#budget_lines-1-purpose", "Gloves and pads")
    page.fill("#budget_lines-1-amount", "600")


def test_apply_score_approve_and_track(new_page):
    group = new_page(390, 844)  # a phone
    register_group(group)
    assert_accessible(group, "group home")
    group.get_by_role(
        "button", name=re.compile("Start an application to Active Citizens Fund 2026")
    ).click()
    fill_application(group)
    group.get_by_role("button", name="Save and go to the application page").click()
    assert group.locator(".error-summary").is_visible()  # the lines add up to £2,600
    assert "must be the same" in group.content()
    assert_accessible(group, "application form with errors")
    group.fill("#budget_lines-1-amount", "500")
    group.get_by_role("button", name="Save and go to the application page").click()
    group.wait_for_url(re.compile(r"/my/applications/\d+$"))
    assert_accessible(group, "tracking page of a draft")
    group.get_by_role("link", name="Check your answers and send").click()
    assert_accessible(group, "check your application")
    group.get_by_role("button", name="Accept and send the application").click()
    assert group.locator(".error-summary").is_visible()  # the declaration is not ticked
    assert_accessible(group, "check your application with errors")
    group.get_by_label(re.compile("^I confirm that the information")).check()
    group.get_by_role("button", name="Accept and send the application").click()
    assert "Received" in group.locator("#status").inner_text()
    tracking_url = group.url
    application_id = tracking_url.rsplit("/", 1)[1]

    office = new_page()
    sign_in_staff(office, PCC_EMAIL)
    office.get_by_role("link", name=re.compile("Active Citizens Fund: rounds")).click()
    assert_accessible(office, "round list")
    office.get_by_role("link", name="Active Citizens Fund 2026").click()
    assert_accessible(office, "round page")
    office.goto(f"/staff/grants/applications/{application_id}")
    office.get_by_role("button", name="Start the eligibility check").click()
    office.get_by_role("button", name="Pass the eligibility check: send to the panel").click()
    office.select_option("#reviewer_id", label="e2e-reviewer")
    office.get_by_role("button", name="Assign the reviewer").click()
    assert_accessible(office, "case page in review")

    reviewer = new_page()
    sign_in_staff(reviewer, REVIEWER_EMAIL)
    reviewer.get_by_role("link", name="Active Citizens Fund: your reviews").click()
    reviewer.get_by_role("link", name=f"ACF-{int(application_id):05d}").click()
    assert "Castle Vale after-school boxing" in reviewer.content()
    assert "Two sessions a week" not in reviewer.content()  # not before declaring
    assert_accessible(reviewer, "conflict declaration")
    reviewer.get_by_label("No", exact=True).check()
    reviewer.get_by_role("button", name="Make the declaration").click()
    reviewer.get_by_role("button", name="Save your scores").click()
    assert reviewer.locator(".error-summary").is_visible()
    assert_accessible(reviewer, "score form with errors")
    for fieldset in reviewer.locator("fieldset:has(input[name^=criterion_])").all():
        fieldset.locator("input[value='4']").check()
    reviewer.get_by_label("Fund in full").check()
    reviewer.get_by_role("button", name="Save your scores").click()
    reviewer.wait_for_url("**/staff/grants/reviews")
    assert "Scored" in reviewer.content()

    office.reload()
    assert "80.0%" in office.content()
    office.get_by_role("button", name="Scoring done: send for a decision").click()
    office.get_by_label("Approve a grant").check()
    office.get_by_role("button", name="Record the decision").click()
    assert "Grant approved" in office.content()
    office.goto("/staff/grants/rounds/acf-2026/overview")
    office.wait_for_selector("#fund-by-area.chart--drawn svg")
    assert_accessible(office, "fund overview with its chart")

    group.goto(tracking_url)
    status = group.locator("#status").inner_text()
    assert "Grant offered" in status and "£2,500" in status
    assert "Grant offered: £2,500" in group.locator(".timeline").inner_text()
    # The group accepts by keyboard alone: Tab to the link, the tick box and the button.
    press(group, "Accept the grant offer")
    assert_accessible(group, "offer page")
    accept = group.evaluate(
        "[...document.querySelectorAll('input[type=checkbox]')]"
        ".find(c => c.labels[0].innerText.includes('We accept the grant')).id"
    )
    fill(group, [(accept, "tick")])
    press(group, "Accept the grant")
    assert "Offer accepted" in group.locator("#status").inner_text()
    assert_accessible(group, "tracking page of an accepted offer")


def test_public_funded_projects_page_is_accessible(new_page):
    page = new_page()
    page.goto("/active-citizens-fund/funded-projects")
    assert "Bilston Boys and Girls Club" in page.content()
    assert_accessible(page, "funded projects")
