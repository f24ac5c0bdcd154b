"""Malformed requests to every form, public, group and staff: no server error, nothing stored.

Hypothesis picks a form and fills it with the wrong types, huge and negative numbers, NUL bytes
and odd Unicode, made-up or replayed tokens and unknown ids. FUZZ_EXAMPLES sets how many requests
(default 300 keeps `make test` to about a minute; FUZZ_EXAMPLES=3000 for a long run); run with
-s to see the figures for the report.
"""

import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from engage.core.extensions import db as _db
from tests.access_seed import seed
from tests.test_trust_route_access import SIGN_OUTS, signed_in, url_of

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FIELD = re.compile(r'name="([^"]+)"')
VALUE = re.compile(r'value="([^"]*)"')
STORED_ON_REJECTION = ()  # tables a refused request may still write to: none
# RFC 8058 one-click unsubscribe
# One-click unsubscribe POSTs from mail clients, and a kiosk tablet sending its waiting answers
# (possibly hours later, after its page's CSRF token expired): the signed link is the proof.
CSRF_EXEMPT = {
    "surveys.unsubscribe",
    "activecitizens.stop_status_emails",
    "surveys.kiosk_responses",
}

weird_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(["\x00", "a\x00b", "\u202e", "\ufeff", "𝔘𝔫𝔦", "\ud7ff", "=1+1", "' OR 1=1"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "-1", "0", "999999999", "1e309", "NaN", "true", "[]", "{}"]),
    st.just("x" * 70_000),
)


def form_of(app, rule, seeded, users) -> tuple[str, str, list[str], list[str]]:
    """The form's URL, who posts it, and the field names and values its page shows."""
    url = url_of(app, rule, seeded)
    user = "group" if "/my/" in url or "/rounds/" in url else "admin"
    if rule.endpoint.startswith("surveys.") or rule.endpoint.endswith((".register", ".sign_in")):
        user = "anonymous"
    names, values = [], []
    if "GET" in rule.methods or rule.endpoint == "surveys.check_answers":
        page = users[user].get(url)
        html = page.get_data(as_text=True)
        names, values = sorted(set(FIELD.findall(html))), sorted(set(VALUE.findall(html)))
        page.close()
    return url, user, names, values


def row_counts() -> tuple:
    """Every table's row count, in one query."""
    _db.session.remove()
    counts = [
        select(func.count()).select_from(table).scalar_subquery()
        for table in _db.metadata.sorted_tables
    ]
    return tuple(_db.session.execute(select(*counts)).one())


@pytest.fixture
def forms(app, make_consultation, make_event, make_response, make_campaign):
    with app.app_context():
        seeded = seed(make_consultation, make_event, make_response, make_campaign)
    users = {user: signed_in(app, user, seeded) for user in ("anonymous", "admin", "group")}
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and rule.endpoint not in SIGN_OUTS
    ]
    return users, [form_of(app, rule, seeded, users) for rule in rules]


def test_malformed_requests_to_every_form_never_fail_or_store(app, forms):
    users, targets = forms
    figures = {"sent": 0, "5xx": 0, "stored_on_rejection": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def send(data):
        url, user, names, values = data.draw(st.sampled_from(targets))
        keys = st.sampled_from([*names, "csrf_token", "form_token", "id", "page"])
        value = st.one_of(weird_text, st.sampled_from(values or [""]))
        form = data.draw(st.dictionaries(keys, st.one_of(value, st.lists(value, max_size=3))))
        if data.draw(st.booleans()):
            url = re.sub(r"/\d+", lambda _: "/" + str(data.draw(st.sampled_from([0, 2**31]))), url)
        with app.app_context():
            before = row_counts()
            response = users[user].post(url, data=form)
            status = response.status_code
            response.close()
            stored = status >= 400 and row_counts() != before
        figures["sent"] += 1
        figures["5xx"] += status >= 500
        figures["stored_on_rejection"] += stored
        assert status < 500, (url, form)
        assert not stored, (url, status, form)

    send()
    print(f"\nfuzzing: {figures['sent']} requests to {len(targets)} forms, {figures}")
    assert figures["sent"] >= EXAMPLES * 0.9


def test_every_form_refuses_missing_replayed_csrf_and_oversized_bodies(make_app, db):
    app = make_app(WTF_CSRF_ENABLED=True, MAX_CONTENT_LENGTH=4096)
    other = app.test_client()
    page = other.get("/active-citizens-fund/register").get_data(as_text=True)
    replayed = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client = app.test_client()
    before = row_counts()
    checked = 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        url = re.sub(r"<any\(([^,)]+)[^>]*>", r"\1", rule.rule)
        url = re.sub(r"<[^>]+>", "1", url)
        if rule.endpoint in CSRF_EXEMPT:
            for data in ({}, {"csrf_token": replayed}):
                assert client.post(url, data=data).status_code == 404, (url, list(data))
            assert client.post(url, data={"text": "x" * 8192}).status_code == 413, url
            continue
        for data in ({}, {"csrf_token": replayed}, {"csrf_token": "x" * 1000}):
            assert client.post(url, data=data).status_code == 400, (url, list(data))
        assert client.post(url, data={"text": "x" * 8192}).status_code == 413, url
        checked += 1
    assert row_counts() == before
    assert checked >= 60
