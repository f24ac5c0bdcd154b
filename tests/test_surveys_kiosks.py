"""Roadshow kiosks: signed, expiring, revocable links; answers sent from the tablet stored once."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select

from engage.auth.models import Role
from engage.core.extensions import db
from engage.surveys.kiosk_models import KioskDevice
from engage.surveys.models import (
    Channel,
    ConsultationStatus,
    Event,
    EventKind,
    Question,
    QuestionKind,
    Response,
    ResponseTally,
)
from engage.surveys.services import kiosks

KINDS = (QuestionKind.YES_NO, QuestionKind.FREE_TEXT)


@pytest.fixture
def staff_client(client, login):
    login(client, Role.CONSULTATION)
    return client


def _fields(app, consultation_id) -> dict:
    with app.app_context():
        rows = db.session.scalars(
            select(Question).where(Question.consultation_id == consultation_id)
        ).all()
        return {q.kind: (q.field_name, [str(o.id) for o in q.options]) for q in rows}


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _open(staff_client, consultation_id, event_id, label="Tablet 2") -> str:
    url = f"/staff/consultations/{consultation_id}/events/{event_id}/kiosks"
    page = staff_client.get(url).get_data(as_text=True)
    csrf = _csrf(page)
    opened = staff_client.post(url, data={"csrf_token": csrf, "label": label})
    assert opened.status_code == 200, opened.get_data(as_text=True)
    body = opened.get_data(as_text=True)
    assert "data:image/svg+xml" in body  # the QR code of the link
    return re.search(
        r'id="kiosk-link" type="text" readonly value="http://[^/]+(/kiosk/[^"]+)"', body
    ).group(1)


def _answer(app, consultation_id, client_id=None) -> dict:
    field, options = _fields(app, consultation_id)[QuestionKind.YES_NO]
    return {"client_id": client_id or str(uuid.uuid4()), "answers": {field: [options[0]]}}


def _stored(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            select(Response.channel, Response.event_id, Response.area, Response.form_token)
        ).all()


@pytest.fixture
def kiosk(app, staff_client, make_consultation, make_event):
    consultation_id = make_consultation(kinds=KINDS)
    event_id = make_event(consultation_id, EventKind.WORKSHOP, area="walsall")
    link = _open(staff_client, consultation_id, event_id)
    return consultation_id, event_id, link


def test_a_kiosk_answer_is_stored_under_the_events_channel_and_area(app, client, kiosk):
    consultation_id, event_id, link = kiosk
    answer = _answer(app, consultation_id)

    sent = client.post(f"{link}/responses", json=answer)

    assert sent.status_code == 201
    assert sent.json["status"] == "stored"
    [(channel, stored_event, area, token)] = _stored(app)
    assert (channel, stored_event, area) == (Channel.WORKSHOP, event_id, "walsall")
    assert token == f"kiosk:{event_id}:{answer['client_id']}"
    with app.app_context():
        assert db.session.scalar(select(KioskDevice.last_received_at)) is not None


def test_a_resent_or_replayed_kiosk_answer_is_stored_once(app, client, kiosk):
    consultation_id, _, link = kiosk
    answer = _answer(app, consultation_id)

    first = client.post(f"{link}/responses", json=answer)
    again = client.post(f"{link}/responses", json=answer)

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json == {"status": "already_stored", "reference": first.json["reference"]}
    assert len(_stored(app)) == 1


def test_a_new_link_for_the_same_event_does_not_store_an_answer_twice(
    app, client, staff_client, kiosk
):
    consultation_id, event_id, link = kiosk
    answer = _answer(app, consultation_id)
    client.post(f"{link}/responses", json=answer)
    second_link = _open(staff_client, consultation_id, event_id, "Tablet 3")

    again = client.post(f"{second_link}/responses", json=answer)

    assert again.json["status"] == "already_stored"
    assert len(_stored(app)) == 1


def test_the_kiosk_page_shows_the_questions_and_its_offline_parts(app, client, kiosk):
    consultation_id, _, link = kiosk
    page = client.get(link)
    body = page.get_data(as_text=True)

    assert page.status_code == 200
    field, _ = _fields(app, consultation_id)[QuestionKind.YES_NO]
    assert f'name="{field}"' in body
    assert "never your name or contact details" in body
    assert 'rel="manifest"' in body and "kiosk/kiosk.js" in body
    manifest = client.get(f"{link}/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    assert manifest.json["start_url"] == link
    worker = client.get("/kiosk/sw.js")
    assert worker.status_code == 200 and "text/javascript" in worker.content_type
    assert "caches" in worker.get_data(as_text=True)


def test_a_kiosk_answer_without_javascript_is_stored_from_the_form(app, client, kiosk):
    consultation_id, event_id, link = kiosk
    page = client.get(link).get_data(as_text=True)
    csrf = _csrf(page)
    client_id = re.search(r'name="client_id" value="([^"]+)"', page).group(1)
    field, options = _fields(app, consultation_id)[QuestionKind.YES_NO]
    form = {"csrf_token": csrf, "client_id": client_id, field: options[1]}

    saved = client.post(link, data=form)
    again = client.post(link, data=form)

    assert saved.status_code == again.status_code == 303
    assert "your answers are saved" in client.get(link).get_data(as_text=True)
    [(channel, stored_event, area, _)] = _stored(app)
    assert (channel, stored_event, area) == (Channel.WORKSHOP, event_id, "walsall")


def test_bad_kiosk_answers_are_refused_with_the_reason_and_nothing_stored(app, client, kiosk):
    consultation_id, _, link = kiosk
    field, _ = _fields(app, consultation_id)[QuestionKind.YES_NO]
    bad_option = {"client_id": str(uuid.uuid4()), "answers": {field: ["999999"]}}
    empty = {"client_id": str(uuid.uuid4()), "answers": {}}
    no_id = {"client_id": "not-a-uuid", "answers": _answer(app, consultation_id)["answers"]}

    refused = client.post(f"{link}/responses", json=bad_option)
    assert refused.status_code == 422
    assert "Select one of the answers given" in refused.json["message"]
    assert client.post(f"{link}/responses", json=empty).status_code == 422
    assert client.post(f"{link}/responses", json=no_id).status_code == 400
    assert client.post(f"{link}/responses", data="not json").status_code == 400
    assert client.post(f"{link}/responses", json={"answers": {field: 3}}).status_code == 400
    assert _stored(app) == []


def test_a_revoked_kiosk_link_is_refused_and_stores_nothing(app, client, staff_client, kiosk):
    consultation_id, event_id, link = kiosk
    with app.app_context():
        kiosk_id = db.session.scalar(select(KioskDevice.id))
    page = staff_client.get(f"/staff/consultations/{consultation_id}/events/{event_id}/kiosks")
    csrf = _csrf(page.get_data(as_text=True))
    revoked = staff_client.post(
        f"/staff/consultations/{consultation_id}/events/{event_id}/kiosks/{kiosk_id}/revoke",
        data={"csrf_token": csrf},
    )
    assert revoked.status_code == 303
    listed = staff_client.get(revoked.location).get_data(as_text=True)
    assert "Switched off" in listed

    refused = client.post(f"{link}/responses", json=_answer(app, consultation_id))

    assert refused.status_code == 403
    assert refused.json["status"] == "revoked"
    assert "Ask a member of staff for a new kiosk link" in refused.json["message"]
    page = client.get(link)
    assert page.status_code == 403
    assert "kept on this tablet" in page.get_data(as_text=True)
    assert _stored(app) == []


def test_an_expired_kiosk_link_is_refused_and_stores_nothing(app, client, kiosk):
    consultation_id, _, link = kiosk
    with app.app_context():
        device = db.session.scalar(select(KioskDevice))
        device.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()

    refused = client.post(f"{link}/responses", json=_answer(app, consultation_id))

    assert refused.status_code == 410
    assert "expired" in refused.json["message"]
    assert _stored(app) == []


def test_a_forged_kiosk_link_is_not_found_and_stores_nothing(app, client, kiosk):
    consultation_id, _, link = kiosk
    with app.app_context():
        kiosk_id = db.session.scalar(select(KioskDevice.id))
    forged = URLSafeSerializer("not-our-key", salt="engage.kiosk").dumps([kiosk_id, "x"])

    for token in (forged, link.rsplit("/", 1)[1] + "x", "nonsense"):
        refused = client.post(f"/kiosk/{token}/responses", json=_answer(app, consultation_id))
        assert refused.status_code == 404
        assert refused.json["status"] == "invalid"
    assert client.get(f"/kiosk/{forged}").status_code == 404
    assert _stored(app) == []


def test_a_closed_consultation_refuses_kiosk_answers(app, client, kiosk):
    consultation_id, _, link = kiosk
    with app.app_context():
        from engage.surveys.models import Consultation

        db.session.get(Consultation, consultation_id).status = ConsultationStatus.CLOSED
        db.session.commit()

    refused = client.post(f"{link}/responses", json=_answer(app, consultation_id))

    assert refused.status_code == 409
    assert "closed" in refused.json["message"]
    assert _stored(app) == []


def test_a_kiosk_needs_a_name_and_a_current_event(app, staff_client, make_consultation):
    consultation_id = make_consultation(kinds=KINDS)
    with app.app_context():
        event = Event(
            consultation_id=consultation_id,
            kind=EventKind.ROADSHOW,
            name="Old roadshow",
            held_on=datetime.now(UTC).date() - timedelta(days=10),
            area="dudley",
        )
        db.session.add(event)
        db.session.commit()
        event_id = event.id
    url = f"/staff/consultations/{consultation_id}/events/{event_id}/kiosks"
    csrf = _csrf(staff_client.get(url).get_data(as_text=True))

    blank = staff_client.post(url, data={"csrf_token": csrf, "label": " "})
    old = staff_client.post(url, data={"csrf_token": csrf, "label": "Tablet 1"})

    assert blank.status_code == 422 and "Enter a name for the tablet" in blank.get_data(
        as_text=True
    )
    assert old.status_code == 422 and "more than a few days ago" in old.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(KioskDevice)) == 0


def test_a_kiosk_link_lasts_to_the_events_day_plus_grace_but_never_too_long(app, make_consultation):
    consultation_id = make_consultation(kinds=KINDS)
    now = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    with app.app_context():
        soon = Event(
            consultation_id=consultation_id,
            kind=EventKind.ROADSHOW,
            name="a",
            held_on=now.date(),
            area="dudley",
        )
        far = Event(
            consultation_id=consultation_id,
            kind=EventKind.ROADSHOW,
            name="b",
            held_on=now.date() + timedelta(days=200),
            area="dudley",
        )
        assert kiosks.default_expiry(soon, now).date() == now.date() + kiosks.GRACE_AFTER_EVENT
        assert kiosks.default_expiry(far, now) == now + kiosks.LONGEST_LINK


def test_kiosk_answers_count_in_the_results_tallies(app, client, kiosk):
    consultation_id, _, link = kiosk
    for _ in range(2):
        client.post(f"{link}/responses", json=_answer(app, consultation_id))
    with app.app_context():
        from engage.surveys.services import tallies

        tallies.fold_batch()
        db.session.commit()
        rows = db.session.execute(
            select(ResponseTally.channel, ResponseTally.area, ResponseTally.count)
        ).all()
    assert [tuple(row) for row in rows] == [("workshop", "walsall", 2)]


@pytest.mark.parametrize("role", [Role.PCC, Role.COMMS])
def test_only_consultation_staff_open_kiosks(client, login, make_consultation, make_event, role):
    consultation_id = make_consultation()
    event_id = make_event(consultation_id)
    login(client, role)

    url = f"/staff/consultations/{consultation_id}/events/{event_id}/kiosks"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"label": "Tablet"}).status_code == 403
