"""PostgreSQL restarts under the public form: only what was stored is acknowledged, the outage is
a clear 503 page, and the app recovers by itself.

The app runs on a cluster of the test's own (tests/faults.py), stopped as in a crash
(`pg_ctl -m immediate`) while members of the public send their answers through the real form.
"""

import re
import threading
import time

import pytest
from sqlalchemy import func, select

from engage.auth.models import Role
from engage.surveys.models import QuestionKind, Response
from tests.faults import private_app
from tests.grants import forget_signed_in_user

pytestmark = pytest.mark.faults

SLUG = "policing-plan"
UNAVAILABLE = "The service is briefly unavailable"
NOT_SAVED = "what you sent was not saved"


@pytest.fixture(scope="module")
def app(app, private_postgres):
    """The suite's fixtures (factories, clean-up) on the private cluster instead."""
    yield from private_app(app, private_postgres.url, TALLY_FOLD_INTERVAL_SECONDS=0)


def _answer(client) -> tuple[int, str | None]:
    """One member of the public: open the form, send it; (status, reference if acknowledged)."""
    page = client.get(f"/consultations/{SLUG}")
    if page.status_code != 200:
        _assert_unavailable_page(page.status_code, _text(page))
        return page.status_code, _text(page)
    sent = client.post(f"/consultations/{SLUG}/send", data=_answers(_text(page)))
    if sent.status_code != 303:
        _assert_unavailable_page(sent.status_code, _text(sent))
        assert NOT_SAVED in _text(sent)  # it was a POST: say the answers were not sent
        return sent.status_code, _text(sent)
    confirmation = client.get(sent.headers["Location"])
    if confirmation.status_code != 200:
        _assert_unavailable_page(confirmation.status_code, _text(confirmation))
        return confirmation.status_code, _text(confirmation)
    reference = re.search(r'<strong id="reference">([^<]+)</strong>', _text(confirmation))
    return 200, reference.group(1)


def _answers(form_page: str) -> dict:
    option = re.search(r'name="(q\d+)" type="radio" value="(\d+)"', form_page)
    token = re.search(r'name="form_token" value="([^"]+)"', form_page).group(1)
    return {"form_token": token, option.group(1): option.group(2), "consent": "yes"}


def _text(response) -> str:
    return response.get_data(as_text=True)


def _assert_unavailable_page(status: int, body: str) -> None:
    assert status == 503, body[:500]
    assert UNAVAILABLE in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_answers_sent_across_a_database_crash_are_acknowledged_only_once_stored(
    app, db, private_postgres, make_consultation
):
    make_consultation(kinds=(QuestionKind.YES_NO,))
    outage = {"down": threading.Event(), "up": threading.Event()}

    def crash_and_restart() -> None:
        time.sleep(0.5)
        private_postgres.stop("immediate")
        outage["down"].set()
        time.sleep(1.5)
        private_postgres.start()
        outage["up"].set()

    restarter = threading.Thread(target=crash_and_restart)
    started = time.monotonic()
    restarter.start()
    acknowledged, refused, after_restart = [], 0, 0
    try:
        while after_restart < 5 and time.monotonic() - started < 60:
            back_up = outage["up"].is_set()
            status, said = _answer(app.test_client())
            if status == 200:
                acknowledged.append(said)
                after_restart += back_up
            else:
                refused += 1
    finally:
        restarter.join(timeout=60)

    assert outage["down"].is_set() and refused > 0  # the outage was met...
    assert after_restart == 5  # ...and the same app answered again once the database was back
    db.session.remove()
    stored = set(db.session.scalars(select(Response.reference)))
    assert set(acknowledged) <= stored  # nothing acknowledged was lost in the crash
    assert len(acknowledged) == len(set(acknowledged))


def test_a_signed_in_officer_sees_the_503_page_and_carries_on_after_a_restart(
    app, db, private_postgres, login, make_consultation
):
    make_consultation(kinds=(QuestionKind.YES_NO,))
    client = app.test_client()
    login(client, Role.CONSULTATION)
    staff_page = "/staff/consultations/"
    assert client.get(staff_page).status_code == 200
    public = app.test_client()
    answers = _answers(_text(public.get(f"/consultations/{SLUG}")))
    private_postgres.stop("fast")
    try:
        forget_signed_in_user()
        response = client.get(staff_page)
        _assert_unavailable_page(response.status_code, _text(response))
        assert response.headers["Retry-After"] == "30"
        forget_signed_in_user()
        asked_json = client.get(staff_page, headers={"Accept": "application/json"})
        assert asked_json.status_code == 503 and UNAVAILABLE in asked_json.json["error"]
        sent = public.post(f"/consultations/{SLUG}/send", data=answers)
        _assert_unavailable_page(sent.status_code, _text(sent))
        assert NOT_SAVED in _text(sent)
    finally:
        private_postgres.start()
    forget_signed_in_user()
    assert client.get(staff_page).status_code == 200  # still signed in, same app, no restart
    # The refused answers, sent again from the same form, are stored.
    assert public.post(f"/consultations/{SLUG}/send", data=answers).status_code == 303
    assert db.session.scalar(select(func.count(Response.id))) == 1
