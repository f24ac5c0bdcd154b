"""An option chosen on its own ("None of these"): set in the builder, refused with others."""

import re

import pytest
from sqlalchemy import func, select

from engage.auth.models import Role
from engage.core.extensions import db
from engage.surveys.models import Option, Question, QuestionKind, Response

KINDS = (QuestionKind.MULTIPLE_CHOICE, QuestionKind.YES_NO)


def _token(page: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def _make_exclusive(app, label: str = "An app") -> tuple[str, dict[str, str]]:
    """Mark an option of the multiple-choice question as chosen on its own."""
    with app.app_context():
        question = db.session.scalar(
            select(Question).where(Question.kind == QuestionKind.MULTIPLE_CHOICE)
        )
        for option in question.options:
            option.exclusive = option.label == label
        db.session.commit()
        return question.field_name, {o.label: str(o.id) for o in question.options}


def _responses(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Response))


@pytest.fixture
def builder_client(client, login):
    login(client, Role.CONSULTATION)
    return client


def _question_form(**overrides) -> dict:
    form = {
        "kind": "multiple_choice",
        "prompt": "How would you like to be kept up to date?",
        "options": "Newsletters\nLocal meetings\nI do not want updates",
        "exclusive_option": "i do not want updates",
    }
    form.update(overrides)
    return form


def test_staff_mark_an_option_as_chosen_on_its_own(app, builder_client, make_consultation):
    consultation_id = make_consultation(kinds=(QuestionKind.YES_NO,))
    url = f"/staff/consultations/{consultation_id}/questions/new"

    assert builder_client.post(url, data=_question_form()).status_code == 303

    with app.app_context():
        question = db.session.scalar(select(Question).where(Question.prompt.like("How would%")))
        assert [(o.label, o.exclusive) for o in question.options] == [
            ("Newsletters", False),
            ("Local meetings", False),
            ("I do not want updates", True),
        ]
        edit = f"/staff/consultations/{consultation_id}/questions/{question.id}/edit"
    page = builder_client.get(edit).get_data(as_text=True)
    assert 'name="exclusive_option"' in page and 'value="I do not want updates"' in page
    public = builder_client.get("/consultations/policing-plan").get_data(as_text=True)
    assert 'data-behaviour="exclusive"' in public and ">or</div>" in public


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"exclusive_option": "Nothing at all"}, "exactly as it appears in the options"),
        ({"kind": "single_choice"}, "Only a multiple-choice question"),
        ({"exclusive_option": "x" * 201}, "Field cannot be longer than 200 characters"),
    ],
)
def test_an_exclusive_option_that_is_not_one_of_the_options_is_refused(
    app, builder_client, make_consultation, overrides, message
):
    consultation_id = make_consultation(kinds=(QuestionKind.YES_NO,))
    url = f"/staff/consultations/{consultation_id}/questions/new"

    response = builder_client.post(url, data=_question_form(**overrides))

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'href="#exclusive_option"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Question)) == 1


def test_which_option_stands_alone_cannot_change_once_answered(
    app, builder_client, make_consultation, make_response
):
    consultation_id = make_consultation(kinds=KINDS)
    make_response(consultation_id, {QuestionKind.MULTIPLE_CHOICE: [0, 2]})
    with app.app_context():
        question = db.session.scalar(
            select(Question).where(Question.kind == QuestionKind.MULTIPLE_CHOICE)
        )
        edit = f"/staff/consultations/{consultation_id}/questions/{question.id}/edit"
    data = _question_form(
        prompt=question.prompt, options="Text\nSocial media\nAn app", exclusive_option="An app"
    )

    response = builder_client.post(edit, data=data)

    assert response.status_code == 422
    assert "cannot change" in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalar(select(func.count()).where(Option.exclusive))


def test_online_answers_with_an_exclusive_option_and_others_are_refused(
    app, client, make_consultation
):
    make_consultation(kinds=KINDS)
    field, ids = _make_exclusive(app)
    url = "/consultations/policing-plan"
    data = {
        "form_token": _token(client.get(url).get_data(as_text=True)),
        field: [ids["Text"], ids["An app"]],
        "consent": "yes",
    }

    for path in (url, f"{url}/send"):
        response = client.post(path, data=data)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "select ‘An app’ on its own, or untick it" in page
        assert f'<li><a href="#{field}">' in page  # in the summary, linked to the question
        assert f'id="{field}-error"' in page  # and beside it
    assert _responses(app) == 0

    data[field] = [ids["An app"]]
    assert client.post(f"{url}/send", data=data).status_code == 303
    assert _responses(app) == 1


def test_keyed_in_paper_answers_with_an_exclusive_option_and_others_are_refused(
    app, client, login, make_consultation, make_event
):
    login(client, Role.CONSULTATION)
    consultation_id = make_consultation(kinds=KINDS)
    event_id = make_event(consultation_id)
    field, ids = _make_exclusive(app)
    url = f"/staff/consultations/{consultation_id}/events/{event_id}/responses/new"
    data = {
        "form_token": _token(client.get(url).get_data(as_text=True)),
        field: [ids["An app"], ids["Social media"]],
    }

    response = client.post(url, data=data)

    assert response.status_code == 422
    assert "select ‘An app’ on its own" in response.get_data(as_text=True)
    assert _responses(app) == 0
