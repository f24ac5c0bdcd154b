"""CSV exports, free-text comments with sentiment, and the prize draw, as staff use them."""

import csv
import io
import re

import pytest
from sqlalchemy import func, select

from engage.auth.models import Role
from engage.core.extensions import db as database
from engage.surveys.models import (
    Consultation,
    ConsultationStatus,
    ContactRequest,
    PrizeDraw,
    Question,
    QuestionKind,
)
from engage.surveys.services.contacts import ContactChoice, record_contact_request

KINDS = (QuestionKind.YES_NO, QuestionKind.MULTIPLE_CHOICE, QuestionKind.FREE_TEXT)


@pytest.fixture
def consultation_id(make_consultation):
    return make_consultation(kinds=KINDS)


def _csv(client, url) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def _free_text_question_id(db) -> int:
    return db.session.scalar(select(Question.id).where(Question.kind == QuestionKind.FREE_TEXT))


def test_responses_csv_has_a_row_per_response_and_a_column_per_question(
    client, login, consultation_id, make_response
):
    first = make_response(
        consultation_id,
        {QuestionKind.YES_NO: [0], QuestionKind.MULTIPLE_CHOICE: [0, 2]},
        area="coventry",
    )
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "Safer streets at night"})
    login(client, Role.CONSULTATION)

    rows = _csv(client, f"/staff/consultations/{consultation_id}/export/responses.csv")

    header, *body = rows
    assert header[:4] == ["reference", "channel", "event", "area"]
    assert [name.split(". ")[0] for name in header[7:]] == ["Q1", "Q2", "Q3"]
    assert len(body) == 2
    assert body[0][0] == first and body[0][3] == "Coventry"
    assert body[0][7:] == ["Yes", "Text; An app", ""]
    assert body[1][7:] == ["", "", "Safer streets at night"]


def test_responses_csv_defuses_spreadsheet_formulas(client, login, consultation_id, make_response):
    make_response(consultation_id, {QuestionKind.FREE_TEXT: '=HYPERLINK("http://evil","x")'})
    login(client, Role.CONSULTATION)

    rows = _csv(client, f"/staff/consultations/{consultation_id}/export/responses.csv")

    assert rows[1][-1] == '\'=HYPERLINK("http://evil","x")'


def test_responses_csv_holds_no_contact_details(db, client, login, consultation_id, make_response):
    make_response(consultation_id, {QuestionKind.YES_NO: [0]})
    consultation = db.session.get(Consultation, consultation_id)
    record_contact_request(
        consultation, ContactChoice(prize_draw=True, name="Sam Jones", email="sam@example.org")
    )
    db.session.commit()
    login(client, Role.CONSULTATION)

    text = client.get(f"/staff/consultations/{consultation_id}/export/responses.csv").get_data(
        as_text=True
    )

    assert "sam@example.org" not in text and "Sam Jones" not in text


def test_summary_csv_matches_the_results(client, login, consultation_id, make_response):
    for choice in (0, 0, 1):
        make_response(consultation_id, {QuestionKind.YES_NO: [choice]})
    login(client, Role.PCC)

    rows = _csv(client, f"/staff/consultations/{consultation_id}/export/summary.csv")

    yes = next(row for row in rows if row[3] == "Yes")
    assert yes[:1] == ["All responses"]
    assert yes[4:9] == ["2", "3", "66.67", "20.77", "93.85"]


def test_contact_list_is_only_for_consultation_staff(app, client, login, consultation_id):
    # No `db` fixture here: its app context would keep the first signed-in user in `g`.
    with app.app_context():
        consultation = database.session.get(Consultation, consultation_id)
        record_contact_request(
            consultation, ContactChoice(wants_updates=True, email="a@example.org")
        )
        database.session.commit()
    url = f"/staff/consultations/{consultation_id}/export/contacts.csv"

    login(client, Role.PCC)
    assert client.get(url).status_code == 403
    consultation_staff = app.test_client()
    login(consultation_staff, Role.CONSULTATION)
    rows = _csv(consultation_staff, url)
    assert rows[1][2:4] == ["a@example.org", "not confirmed"]


@pytest.mark.parametrize(
    "url",
    [
        "/staff/consultations/{id}/export/responses.csv",
        "/staff/consultations/{id}/export/summary.csv",
    ],
)
def test_exports_are_refused_to_the_wrong_role(client, login, consultation_id, url):
    url = url.format(id=consultation_id)
    assert client.get(url).status_code == 302
    login(client, Role.REVIEWER)
    assert client.get(url).status_code == 403


def test_comments_are_listed_with_sentiment_once_folded_and_can_be_filtered(
    db, client, login, runner, consultation_id, make_response
):
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "Wonderful, helpful officers"})
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "Terrible, awful response times"})
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "The station is on Lloyd Street"})
    login(client, Role.COMMS)
    url = f"/staff/consultations/{consultation_id}/questions/{_free_text_question_id(db)}/comments"
    before_fold = client.get(url).get_data(as_text=True)
    assert "3 comments: 0 positive, 0 neutral, 0 negative, 3 not scored yet" in before_fold
    assert before_fold.count("not scored yet") == 4
    assert runner.invoke(args=["results", "fold"]).exit_code == 0

    everything = client.get(url).get_data(as_text=True)
    negative = client.get(url + "?sentiment=negative").get_data(as_text=True)
    searched = client.get(url + "?search=lloyd").get_data(as_text=True)

    assert "3 comments: 1 positive, 1 neutral, 1 negative." in everything
    assert "not scored yet" not in everything
    assert "Terrible" in negative and "Wonderful" not in negative
    assert "(negative)" in negative
    assert "Lloyd Street" in searched and "Terrible" not in searched


def test_comments_are_paginated(db, client, login, consultation_id, make_response):
    for number in range(51):
        make_response(consultation_id, {QuestionKind.FREE_TEXT: f"Comment number {number}"})
    login(client, Role.CONSULTATION)
    url = f"/staff/consultations/{consultation_id}/questions/{_free_text_question_id(db)}/comments"

    first = client.get(url).get_data(as_text=True)
    second = client.get(url + "?page=2").get_data(as_text=True)

    assert "Page 1 of 2" in first and first.count("Comment number") == 50
    assert second.count("Comment number") == 1


def test_comments_of_a_question_that_is_not_free_text_or_not_here_are_not_found(
    db, client, login, consultation_id, make_consultation
):
    other = make_consultation(slug="other", kinds=(QuestionKind.FREE_TEXT,))
    other_question = db.session.scalar(select(Question.id).where(Question.consultation_id == other))
    choice_question = db.session.scalar(
        select(Question.id).where(Question.kind == QuestionKind.YES_NO)
    )
    login(client, Role.CONSULTATION)

    for question_id in (other_question, choice_question, 999999):
        url = f"/staff/consultations/{consultation_id}/questions/{question_id}/comments"
        assert client.get(url).status_code == 404
    bad_filter = f"/staff/consultations/{other}/questions/{other_question}/comments?sentiment=x"
    assert client.get(bad_filter).status_code == 400


def _enter_draw(db, consultation_id, count):
    consultation = db.session.get(Consultation, consultation_id)
    for number in range(count):
        record_contact_request(
            consultation, ContactChoice(prize_draw=True, email=f"person{number}@example.org")
        )
    db.session.commit()


def _set_status(db, consultation_id, status):
    db.session.get(Consultation, consultation_id).status = status
    db.session.commit()


def test_prize_draw_picks_an_entrant_once_and_records_it(db, client, login, consultation_id):
    _enter_draw(db, consultation_id, 3)
    _set_status(db, consultation_id, ConsultationStatus.CLOSED)
    login(client, Role.CONSULTATION)
    url = f"/staff/consultations/{consultation_id}/prize-draw"

    made = client.post(url)
    again = client.post(url)

    assert made.status_code == 303
    draw = db.session.scalar(select(PrizeDraw))
    winner = db.session.get(ContactRequest, draw.winner_id)
    assert draw.entrant_count == 3 and winner.prize_draw
    page = client.get(url).get_data(as_text=True)
    assert draw.winner_reference in page and winner.email in page
    assert again.status_code == 409
    assert "cannot be run again" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PrizeDraw)) == 1


def test_prize_draw_waits_for_the_consultation_to_close(db, client, login, consultation_id):
    _enter_draw(db, consultation_id, 2)
    login(client, Role.CONSULTATION)

    response = client.post(f"/staff/consultations/{consultation_id}/prize-draw")

    assert response.status_code == 422
    assert "once the consultation has closed" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PrizeDraw)) == 0


def test_prize_draw_is_made_by_consultation_staff_only(db, client, login, consultation_id):
    _enter_draw(db, consultation_id, 2)
    _set_status(db, consultation_id, ConsultationStatus.CLOSED)
    login(client, Role.PCC)
    url = f"/staff/consultations/{consultation_id}/prize-draw"

    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(PrizeDraw)) == 0
    assert re.search(r"2\s+people entered", client.get(url).get_data(as_text=True))
