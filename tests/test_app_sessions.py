"""The session cookie: signed by Flask, plain JSON inside (engage.web.sessions)."""

import json
import zlib

import pytest
from itsdangerous import base64_decode

from tests.conftest import PASSWORD

URL = "/consultations/policing-plan"
RECEIPT = {
    "slug": "policing-plan",
    "reference": "R0123456789AB",
    "prize_draw_reference": None,
    "wants_updates": True,
}


@pytest.fixture
def consultation(make_consultation):
    return make_consultation()


def _cookie_from(app, value: dict) -> str:
    return app.session_interface.get_signing_serializer(app).dumps(value)


def _confirmation(app, cookie: str):
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client.get(f"{URL}/confirmation")


def test_a_receipt_kept_in_the_session_shows_on_the_confirmation_page(app, consultation):
    page = _confirmation(app, _cookie_from(app, {"receipt": RECEIPT}))

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "R0123456789AB" in text
    assert "We will email you when the results are published" in text


def _kept_in(cookie: str):
    compressed = cookie.startswith(".")  # itsdangerous zlib-compresses when that is shorter
    payload = base64_decode(cookie.lstrip(".").split(".")[0])
    return json.loads(zlib.decompress(payload) if compressed else payload)


def test_the_cookie_holds_plain_json_and_flashed_messages_still_show(client, make_staff):
    client.post("/staff/login", data={"email": make_staff(), "password": PASSWORD})

    client.post("/staff/logout")

    # Flask's own tagged JSON would have kept the (category, message) tuple as {" t": [...]}.
    assert _kept_in(client.get_cookie("session").value)["_flashes"] == [
        ["success", "You have signed out."]
    ]
    assert "You have signed out." in client.get("/").get_data(as_text=True)


def test_a_cookie_signed_with_another_key_is_ignored(app, make_app, consultation):
    stranger = make_app(SECRET_KEY="a key this site never had")

    page = _confirmation(app, _cookie_from(stranger, {"receipt": RECEIPT}))

    assert page.status_code == 302  # no receipt: back to the form
    assert "R0123456789AB" not in page.get_data(as_text=True)


def test_a_tampered_cookie_is_ignored(app, consultation):
    cookie = _cookie_from(app, {"receipt": RECEIPT})
    payload, rest = cookie.split(".", 1)
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + rest

    assert _confirmation(app, forged).status_code == 302


def test_sessions_signed_with_a_retired_key_still_read_during_a_rotation(make_app, consultation):
    old = make_app(SECRET_KEY="last year's key")
    cookie = _cookie_from(old, {"receipt": RECEIPT})
    rotated = make_app(SECRET_KEY="this year's key", SECRET_KEY_FALLBACKS=["last year's key"])
    not_rotated = make_app(SECRET_KEY="this year's key")

    assert _confirmation(rotated, cookie).status_code == 200
    assert _confirmation(not_rotated, cookie).status_code == 302
