"""Answering a consultation with sections and display rules: one section per page, questions
asked only after certain answers, and answers to questions not asked never stored."""

import re

import pytest
from sqlalchemy import select

from engage.auth.models import StaffUser
from engage.core.extensions import db as _db
from engage.surveys.models import Answer, Consultation, Event, QuestionKind, Response
from engage.surveys.services import sections
from engage.surveys.services.events import record_paper_response
from engage.surveys.services.responses import AboutYou, AnswerErrors, clean_answers
from engage.surveys.services.sections import RuleDetails

URL = "/consultations/policing-plan"
KINDS = (
    QuestionKind.YES_NO,
    QuestionKind.FREE_TEXT,
    QuestionKind.SINGLE_CHOICE,
    QuestionKind.AGREEMENT,
)


@pytest.fixture
def survey(app, make_consultation):
    """Page 1 "Driving": do you drive? and, revealed after Yes, why; page 2 "Roads", only
    for drivers. Returns {name: (field name, [option ids])}."""
    consultation_id = make_consultation(kinds=KINDS, required=True)
    with app.app_context():
        consultation = _db.session.get(Consultation, consultation_id)
        drives, why, channel, agree = consultation.questions
        driving = sections.add_section(consultation, "Driving")
        roads = sections.add_section(consultation, "Roads")
        for question in (drives, why):
            sections.place_question(consultation, question, driving.id)
        for question in (channel, agree):
            sections.place_question(consultation, question, roads.id)
        yes = [drives.options[0].id]
        sections.set_rule(consultation, why, RuleDetails(drives.id, yes))
        sections.set_rule(consultation, roads, RuleDetails(drives.id, yes))
        _db.session.commit()
        return {
            name: (q.field_name, [o.id for o in q.options], q.id)
            for name, q in zip(
                ("drives", "why", "channel", "agree"), consultation.questions, strict=True
            )
        }


def _token(page: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def _page_one(client, survey, answer: int, why="Too many potholes"):
    page = client.get(URL).get_data(as_text=True)
    drives, why_field = survey["drives"], survey["why"]
    return client.post(
        f"{URL}/page/1",
        data={
            "form_token": _token(page),
            drives[0]: str(drives[1][answer]),
            why_field[0]: why,
        },
    )


def _about_you(client, number: int):
    page = client.get(f"{URL}/page/{number}").get_data(as_text=True)
    return client.post(f"{URL}/page/{number}", data={"form_token": _token(page), "consent": "yes"})


def test_the_first_page_shows_only_its_section_with_the_follow_up_marked_for_reveal(client, survey):
    page = client.get(URL).get_data(as_text=True)

    assert "Page 1 of 3" in page and "Driving" in page
    assert f'name="{survey["drives"][0]}"' in page and f'name="{survey["why"][0]}"' in page
    assert f'data-controlled-by="{survey["drives"][0]}"' in page
    assert "Only answer the next question if you answered Yes to" in page
    assert f'name="{survey["channel"][0]}"' not in page
    assert 'name="consent"' not in page
    assert "js/conditional_reveal.js" in page


def test_a_no_skips_the_section_and_the_follow_up_answer_is_not_stored(client, db, survey):
    response = _page_one(client, survey, answer=1)
    assert response.status_code == 303 and response.headers["Location"].endswith("/page/3")

    response = _about_you(client, 3)
    assert response.status_code == 303 and response.headers["Location"] == f"{URL}/check"
    check = client.get(f"{URL}/check").get_data(as_text=True)
    assert "Question about yes no unsure" in check
    assert "Question about free text" not in check and "Too many potholes" not in check
    assert "Question about single choice" not in check

    token = _token(check)
    sent = client.post(
        f"{URL}/send",
        data={
            "form_token": token,
            survey["drives"][0]: str(survey["drives"][1][1]),
            survey["why"][0]: "Too many potholes",
            "consent": "yes",
        },
    )
    assert sent.status_code == 303
    stored = db.session.scalars(select(Answer)).all()
    assert [(a.question_id, a.option_id) for a in stored] == [
        (survey["drives"][2], survey["drives"][1][1])
    ]


def test_a_yes_asks_the_next_section_and_back_keeps_the_answers(client, db, survey):
    response = _page_one(client, survey, answer=0)
    assert response.headers["Location"].endswith("/page/2")

    page_two = client.get(f"{URL}/page/2").get_data(as_text=True)
    assert "Roads" in page_two and f'href="{URL}/page/1"' in page_two
    back = client.get(f"{URL}/page/1").get_data(as_text=True)
    assert "Too many potholes" in back
    assert f'value="{survey["drives"][1][0]}" checked' in back or re.search(
        rf'value="{survey["drives"][1][0]}"[^>]*checked', back
    )


def test_a_required_question_on_a_page_is_asked_for_there_and_nothing_moves_on(client, survey):
    _page_one(client, survey, answer=0)
    page = client.get(f"{URL}/page/2").get_data(as_text=True)

    response = client.post(f"{URL}/page/2", data={"form_token": _token(page)})

    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Select an answer to ‘Question about single choice’" in body
    assert "Question about yes no unsure" not in body  # only this page's questions


def test_a_required_follow_up_is_not_required_when_not_asked(client, survey):
    response = _page_one(client, survey, answer=1, why="")
    assert response.status_code == 303


def test_a_later_page_without_answers_so_far_starts_again_and_a_bad_page_is_not_found(
    client, survey
):
    assert client.get(f"{URL}/page/2").headers["Location"] == URL
    assert client.get(f"{URL}/page/9").status_code == 404


def test_clean_answers_drops_an_answer_to_a_question_not_asked(app, survey):
    with app.app_context():
        questions = _db.session.scalar(select(Consultation)).ordered_questions
        raw = {survey["drives"][0]: [str(survey["drives"][1][1])], survey["why"][0]: ["Because"]}
        answers = clean_answers(questions, raw)
        assert [answer.question.id for answer in answers] == [survey["drives"][2]]


def test_paper_entry_refuses_an_answer_to_a_question_the_person_was_not_asked(
    app, survey, make_event, make_staff
):
    with app.app_context():
        consultation_id = _db.session.scalar(select(Consultation.id))
    event_id = make_event(consultation_id)
    email = make_staff()
    with app.app_context():
        event = _db.session.get(Event, event_id)
        staff = _db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        raw = {survey["drives"][0]: [str(survey["drives"][1][1])], survey["why"][0]: ["Because"]}
        with pytest.raises(AnswerErrors) as refused:
            record_paper_response(event, raw, AboutYou(), form_token="t1", entered_by=staff)
        assert refused.value.errors[survey["why"][0]].startswith(
            "‘Question about free text’ is only asked of people who answered Yes to"
        )
        assert _db.session.scalar(select(Response)) is None
