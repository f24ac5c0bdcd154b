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


def _open_kiosk(page, consultation_id: int) -> str:
    """As consultation staff: add today's roadshow in Walsall and open a kiosk for it."""
    sign_in_staff(page)
    page.goto(f"/staff/consultations/{consultation_id}/events/new")
    page.select_option("#kind", "roadshow")
    page.fill("#name", "Kiosk roadshow in Walsall")
    page.fill("#held_on", date.today().isoformat())
    page.select_option("#area", "walsall")
    page.get_by_role("button", name="Add the event").click()
    page.get_by_role("link", name="Kiosks for Kiosk roadshow in Walsall").click()
    assert_accessible(page, "the event's kiosks")
    page.fill("#label", "Tablet 2")
    page.get_by_role("button", name="Open a kiosk").click()
    link = page.input_value("#kiosk-link")
    assert page.get_by_role("img", name="QR code of the kiosk link for Tablet 2").is_visible()
    assert_accessible(page, "a kiosk's link shown once")
    return link


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
    link = _open_kiosk(new_page(), consultation_id)
    [(event_id,)] = _query(
        database, "SELECT id FROM events WHERE name = 'Kiosk roadshow in Walsall'"
    )
    before = _query(database, "SELECT count(*) FROM responses WHERE event_id = ?", event_id)

    # bypass_csp lets the test inject axe-core; the kiosk's own scripts obey the CSP.
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1024, "height": 800}, bypass_csp=True
    )
    context.set_default_timeout(WAIT_MS)
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
