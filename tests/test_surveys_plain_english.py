"""The builder shows how plain each question and summary is: after saving, and as staff type."""

import re

import pytest

from engage.auth.models import Role
from engage.surveys.models import ConsultationStatus, QuestionKind

DENSE = "Officers were deployed to facilitate engagement with key stakeholders in the region."


@pytest.fixture
def builder_client(client, login):
    login(client, Role.CONSULTATION)
    return client


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]* value="([^"]+)"', page).group(1)


def test_a_saved_question_shows_its_reading_age_and_what_to_change(
    builder_client, make_consultation
):
    consultation_id = make_consultation(
        status=ConsultationStatus.DRAFT, kinds=(QuestionKind.YES_NO,)
    )
    new = f"/staff/consultations/{consultation_id}/questions/new"
    saved = builder_client.post(
        new, data={"kind": "free_text", "prompt": DENSE}, follow_redirects=True
    )

    overview = saved.get_data(as_text=True)
    assert "(aim: 9)" in overview and "passive voice: were deployed" in overview
    assert "jargon: facilitate, engagement, key, stakeholders" in overview
    edit = builder_client.get(new).get_data(as_text=True)
    assert "Plain English: the question" in edit and "Write some words" in edit
    assert "/static/js/plain_english.js" in edit


def test_a_refused_save_shows_the_check_of_what_was_typed(builder_client, make_consultation):
    consultation_id = make_consultation(status=ConsultationStatus.DRAFT)
    url = f"/staff/consultations/{consultation_id}/edit"
    data = {
        "title": "Policing plan",
        "slug": "policing-plan",
        "summary": DENSE,
        "opens_on": "2026-12-10",
        "closes_on": "2026-12-01",  # before it opens: refused
    }

    page = builder_client.post(url, data=data).get_data(as_text=True)

    assert "Plain English: the summary" in page
    assert "above</span>" not in page and "above the GOV.UK aim of 9" in page
    assert "Jargon: “stakeholders”. Try: say who you mean." in page


def test_the_check_of_the_text_being_typed_comes_back_as_a_fragment(builder_client):
    token = _csrf(builder_client.get("/staff/consultations/new").get_data(as_text=True))

    plain = builder_client.post(
        "/staff/consultations/plain-english",
        data={"text": "Do you feel safe at night?", "csrf_token": token},
    )
    dense = builder_client.post(
        "/staff/consultations/plain-english", data={"text": DENSE, "csrf_token": token}
    )

    assert plain.status_code == 200 and "<html" not in plain.get_data(as_text=True)
    assert "within the GOV.UK aim of 9" in plain.get_data(as_text=True)
    assert "Passive voice: “were deployed”" in dense.get_data(as_text=True)


def test_the_typing_check_refuses_oversized_text(builder_client):
    response = builder_client.post("/staff/consultations/plain-english", data={"text": "x " * 1001})

    assert response.status_code == 413
    assert "2,000 characters or fewer" in response.get_data(as_text=True)


def test_the_typing_check_is_for_consultation_staff(client, login):
    login(client, Role.COMMS)

    response = client.post("/staff/consultations/plain-english", data={"text": "Hello"})

    assert response.status_code == 403
