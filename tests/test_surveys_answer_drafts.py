"""Post/redirect/get on the public form: answers wait in a draft between "Continue" and "Send"."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from engage.core.db_types import utcnow
from engage.surveys.draft_models import AnswerDraft
from engage.surveys.models import Consultation, ConsultationStatus, Question, QuestionKind, Response

URL = "/consultations/policing-plan"
LONG_TEXT = "More officers walking the beat near the schools at home time. " * 75  # 4,650


def _count(db, model) -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def survey(app, db, make_consultation):
    make_consultation(kinds=(QuestionKind.YES_NO, QuestionKind.FREE_TEXT, QuestionKind.FREE_TEXT))
    questions = db.session.scalars(select(Question).order_by(Question.position)).all()
    for question in questions:
        question.max_length = 5000
    db.session.commit()
    return {
        "yes_no": (questions[0].field_name, str(questions[0].options[0].id)),
        "texts": [questions[1].field_name, questions[2].field_name],
    }


def _token(page: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def _answers(client, survey, **extra) -> dict:
    field, yes = survey["yes_no"]
    data = {
        "form_token": _token(client.get(URL).get_data(as_text=True)),
        field: yes,
        survey["texts"][0]: LONG_TEXT,
        survey["texts"][1]: LONG_TEXT,
        "consent": "yes",
        "area": "dudley",
    }
    data.update(extra)
    return data


def _hidden_fields(page: str) -> dict[str, list[str]]:
    form = page[page.index('action="/consultations/policing-plan/send"') :]
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        fields.setdefault(name, []).append(value.replace("&#39;", "'"))
    return fields


def test_continue_keeps_answers_in_a_draft_and_contact_details_only_in_the_session(
    client, db, survey
):
    data = _answers(client, survey, wants_updates="yes", contact_email="sam@example.org")

    response = client.post(URL, data=data)

    assert response.status_code == 303
    assert response.headers["Location"] == f"{URL}/check"  # no answers in the address
    draft = db.session.scalar(select(AnswerDraft))
    assert draft.values[survey["texts"][0]] == [LONG_TEXT]
    assert "sam@example.org" not in repr(draft.values) and "wants_updates" not in draft.values
    with client.session_transaction() as session:
        assert session["draft"]["contact"]["contact_email"] == ["sam@example.org"]
        assert LONG_TEXT not in repr(dict(session))
    page = client.get(f"{URL}/check").get_data(as_text=True)
    assert "sam@example.org" in page and "Dudley" in page
    assert _count(db, Response) == 0


def test_reload_back_and_send_again_store_the_answers_once(client, db, survey):
    client.post(URL, data=_answers(client, survey))
    first = client.get(f"{URL}/check").get_data(as_text=True)
    assert client.get(f"{URL}/check").get_data(as_text=True) == first  # a reload is a GET
    sent = _hidden_fields(first)
    sent["csrf_token"] = [re.search(r'name="csrf_token" value="([^"]+)"', first).group(1)]

    confirmation = client.post(f"{URL}/send", data=sent, follow_redirects=True)
    reference = re.search(r'id="reference">([^<]+)<', confirmation.get_data(as_text=True))[1]
    again = client.post(f"{URL}/send", data=sent, follow_redirects=True)

    assert reference in again.get_data(as_text=True)
    assert _count(db, Response) == 1
    assert _count(db, AnswerDraft) == 0  # removed once the confirmation was shown
    back = client.get(f"{URL}/check")
    assert back.status_code == 302 and back.headers["Location"] == URL
    fresh = client.get(URL).get_data(as_text=True)
    assert _token(fresh) != sent["form_token"][0] and LONG_TEXT not in fresh


def test_the_check_page_needs_a_draft_of_this_consultation(client, db, survey, make_consultation):
    assert client.get(f"{URL}/check").headers["Location"] == URL
    client.post(URL, data=_answers(client, survey))
    make_consultation(slug="other-plan", kinds=(QuestionKind.YES_NO,))

    other = client.get("/consultations/other-plan/check")

    assert other.status_code == 302 and other.headers["Location"] == "/consultations/other-plan"
    with client.session_transaction() as session:
        session["draft"] = {**session["draft"], "key": "made-up"}
    assert client.get(f"{URL}/check").headers["Location"] == URL


def test_a_day_old_draft_is_not_shown_and_is_removed_by_the_next(client, db, survey):
    client.post(URL, data=_answers(client, survey))
    db.session.execute(update(AnswerDraft).values(saved_at=utcnow() - timedelta(days=2)))
    db.session.commit()

    assert client.get(f"{URL}/check").headers["Location"] == URL
    with client.session_transaction() as session:
        del session["draft"]
    client.post(URL, data=_answers(client, survey))
    assert _count(db, AnswerDraft) == 1


def test_continuing_again_replaces_the_draft(client, db, survey):
    data = _answers(client, survey)
    client.post(URL, data=data)
    data["area"] = "walsall"

    client.post(URL, data=data)

    assert _count(db, AnswerDraft) == 1
    assert "Walsall" in client.get(f"{URL}/check").get_data(as_text=True)


def test_the_check_page_of_a_closed_consultation_says_so(client, db, survey):
    client.post(URL, data=_answers(client, survey))
    db.session.execute(update(Consultation).values(status=ConsultationStatus.CLOSED))
    db.session.commit()

    page = client.get(f"{URL}/check").get_data(as_text=True)

    assert "closed" in page and "Send my answers" not in page


def test_a_question_made_required_since_continue_is_asked_for_on_the_check_page(client, db, survey):
    data = _answers(client, survey)
    data[survey["texts"][1]] = ""
    client.post(URL, data=data)
    db.session.execute(
        update(Question)
        .where(Question.id == int(survey["texts"][1][1:]))
        .values(required=True, prompt="Anything else?")
    )
    db.session.commit()

    response = client.get(f"{URL}/check")

    assert response.status_code == 422
    assert "Enter your answer to ‘Anything else’" in response.get_data(as_text=True)
