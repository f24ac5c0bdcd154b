"""A roadshow kiosk with no connection: three people answer offline, the tablet reloads the
kiosk from its service worker, the connection returns and each answer is stored exactly once,
under the event's channel and area."""

import sqlite3
from datetime import date

import pytest

from tests.e2e.conftest import assert_accessible, sign_in_staff

pytestmark = pytest.mark.e2e

WAIT_MS = 20_000


def _database(tmp_path_factory) -> str:
    [database] = tmp_path_factory.getbasetemp().glob("e2e[0-9]*/engage-e2e.sqlite")
    return str(database)


def _query(database: str, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql, args).fetchall()


def _add_event(page, consultation_id: int, name: str) -> None:
    """As consultation staff: add today's roadshow in Walsall and go to its kiosks."""
    sign_in_staff(page)
    page.goto(f"/staff/consultations/{consultation_id}/events/new")
    page.select_option("#kind", "roadshow")
    page.fill("#name", name)
    page.fill("#held_on", date.today().isoformat())
    page.select_option("#area", "walsall")
    page.get_by_role("button", name="Add the event").click()
    page.get_by_role("link", name=f"Kiosks for {name}").click()


def _open_kiosk(page, label: str) -> str:
    page.fill("#label", label)
    page.get_by_role("button", name="Open a kiosk").click()
    assert page.get_by_role("img", name=f"QR code of the kiosk link for {label}").is_visible()
    return page.input_value("#kiosk-link")


def _tablet(browser, live_server):
    # bypass_csp lets the test inject axe-core; the kiosk's own scripts obey the CSP.
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1024, "height": 800}, bypass_csp=True
    )
    context.set_default_timeout(WAIT_MS)
    return context


def _answer_everything(page, person: int) -> None:
    questions = page.locator("#kiosk-form [data-question]")
    for index in range(questions.count()):
        question = questions.nth(index)
        if question.locator("textarea").count():
            question.locator("textarea").fill(f"Answer from person {person} at the kiosk")
        else:
            question.locator("input").first.check()
    page.get_by_role("button", name="Save my answers").click()
    waiting = "1 answer" if person == 1 else f"{person} answers"
    page.get_by_text(f"{waiting} waiting to send.").wait_for(timeout=WAIT_MS)
    assert page.get_by_text("your answers are saved").is_visible()


def test_three_answers_given_offline_are_each_stored_once_when_back_online(
    browser, live_server, new_page, tmp_path_factory
):
    database = _database(tmp_path_factory)
    [(consultation_id,)] = _query(database, "SELECT id FROM consultations WHERE slug = 'wmp2020'")
    staff = new_page()
    _add_event(staff, consultation_id, "Kiosk roadshow in Walsall")
    assert_accessible(staff, "the event's kiosks")
    link = _open_kiosk(staff, "Tablet 2")
    assert_accessible(staff, "a kiosk's link shown once")
    [(event_id,)] = _query(
        database, "SELECT id FROM events WHERE name = 'Kiosk roadshow in Walsall'"
    )
    before = _query(database, "SELECT count(*) FROM responses WHERE event_id = ?", event_id)

    context = _tablet(browser, live_server)
    try:
        tablet = context.new_page()
        tablet.goto(link)
        tablet.wait_for_selector("[data-kiosk][data-offline-ready=true]")
        assert tablet.get_by_text("No answers waiting to send.").is_visible()
        assert_accessible(tablet, "the kiosk")

        context.set_offline(True)
        for person in (1, 2, 3):
            _answer_everything(tablet, person)
        tablet.get_by_text("3 answers waiting to send.").wait_for()
        assert_accessible(tablet, "the kiosk with answers waiting")

        reloaded = tablet.reload()
        assert reloaded is not None and reloaded.from_service_worker
        tablet.get_by_text("3 answers waiting to send.").wait_for()
        assert _query(database, "SELECT count(*) FROM responses WHERE event_id = ?", event_id) == (
            before
        )

        context.set_offline(False)
        tablet.evaluate("window.dispatchEvent(new Event('online'))")
        tablet.wait_for_selector("[data-kiosk][data-waiting='0']")
        assert tablet.get_by_text("No answers waiting to send.").is_visible()
        assert tablet.get_by_text("Last sent at").is_visible()
    finally:
        context.close()

    stored = _query(
        database,
        "SELECT channel, area, form_token FROM responses WHERE event_id = ? ORDER BY id",
        event_id,
    )
    assert len(stored) == 3
    assert {(channel, area) for channel, area, _ in stored} == {("roadshow", "walsall")}
    tokens = [token for _, _, token in stored]
    assert len(set(tokens)) == 3 and all(t.startswith(f"kiosk:{event_id}:") for t in tokens)


def test_a_switched_off_link_keeps_the_waiting_answers_until_a_new_link_sends_them(
    browser, live_server, new_page, tmp_path_factory
):
    database = _database(tmp_path_factory)
    [(consultation_id,)] = _query(database, "SELECT id FROM consultations WHERE slug = 'wmp2020'")
    staff = new_page()
    _add_event(staff, consultation_id, "Kiosk roadshow switched off")
    [(event_id,)] = _query(
        database, "SELECT id FROM events WHERE name = 'Kiosk roadshow switched off'"
    )
    first_link = _open_kiosk(staff, "Tablet 1")
    context = _tablet(browser, live_server)
    try:
        tablet = context.new_page()
        tablet.goto(first_link)
        tablet.wait_for_selector("[data-kiosk][data-offline-ready=true]")
        context.set_offline(True)
        _answer_everything(tablet, 1)

        staff.get_by_role("button", name="Switch off the link for Tablet 1").click()
        assert staff.get_by_role("cell", name="Switched off").is_visible()
        context.set_offline(False)
        tablet.evaluate("window.dispatchEvent(new Event('online'))")

        tablet.get_by_text("This kiosk link was switched off.").wait_for()
        assert tablet.get_by_text("1 answer is kept on this tablet").is_visible()
        assert_accessible(tablet, "the kiosk after its link was switched off")
        assert _query(database, "SELECT count(*) FROM responses WHERE event_id = ?", event_id) == [
            (0,)
        ]

        second_link = _open_kiosk(staff, "Tablet 1, new link")
        tablet.goto(second_link)
        tablet.wait_for_selector("[data-kiosk][data-waiting='0']")
    finally:
        context.close()
    assert _query(database, "SELECT count(*) FROM responses WHERE event_id = ?", event_id) == [(1,)]
