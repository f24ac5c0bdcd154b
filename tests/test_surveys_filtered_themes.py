"""The results page's channel and area filters apply to the counts of coded themes."""

import csv
import io

import pytest
from sqlalchemy import select

from engage.auth import services as auth_services
from engage.auth.models import Role
from engage.coding import services as coding
from engage.coding.texts import question_theme_counts
from engage.surveys.models import Answer, Question, QuestionKind, Response
from tests.conftest import PASSWORD


@pytest.fixture
def coded(app, db, make_consultation, make_event, make_response):
    """Birmingham online: two comments on lighting, one also on speeding. A Coventry roadshow:
    one on speeding. A comment nobody has coded yet."""
    consultation_id = make_consultation()
    roadshow = make_event(consultation_id, area="coventry")
    for text in ("Brighter street lights", "Lights and speeding", "Not coded"):
        make_response(consultation_id, {QuestionKind.FREE_TEXT: text}, area="birmingham")
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "Speeding cars"}, event_id=roadshow)
    question = db.session.scalar(
        select(Question).where(
            Question.consultation_id == consultation_id, Question.kind == QuestionKind.FREE_TEXT
        )
    )
    answers = dict(
        db.session.execute(
            select(Answer.text, Answer.id).where(Answer.question_id == question.id)
        ).all()
    )
    staff = auth_services.create_staff("coder@example.org", "Coder", Role.CONSULTATION, PASSWORD)
    frame = coding.frame_for_question(question)
    lighting = coding.accept_theme(frame, "Street lighting", staff)
    speeding = coding.accept_theme(frame, "Speeding", staff)
    coding.assign_codes(frame, staff, [lighting.id], answer_id=answers["Brighter street lights"])
    coding.assign_codes(
        frame, staff, [lighting.id, speeding.id], answer_id=answers["Lights and speeding"]
    )
    coding.assign_codes(frame, staff, [speeding.id], answer_id=answers["Speeding cars"])
    db.session.commit()
    return consultation_id, question.id


def test_code_counts_follow_the_channel_and_area_filters(db, coded):
    consultation_id, question_id = coded
    channel = db.session.scalar(select(Response.channel).where(Response.event_id.is_not(None)))

    everyone = question_theme_counts([question_id])[question_id]
    birmingham = question_theme_counts([question_id], area="birmingham")[question_id]
    roadshows = question_theme_counts([question_id], channel=channel.value)[question_id]
    nobody = question_theme_counts([question_id], area="dudley")[question_id]

    assert (everyone.coded, everyone.counts) == (3, [("Speeding", 2), ("Street lighting", 2)])
    assert (birmingham.coded, birmingham.counts) == (2, [("Street lighting", 2), ("Speeding", 1)])
    assert (roadshows.coded, roadshows.counts) == (1, [("Speeding", 1), ("Street lighting", 0)])
    assert (nobody.coded, nobody.counts) == (0, [("Speeding", 0), ("Street lighting", 0)])
    assert nobody.percent(0) is None


def test_filtered_page_and_summary_count_themes_of_matching_responses(client, login, coded):
    consultation_id, _question_id = coded
    login(client, Role.CONSULTATION)

    page = client.get(f"/staff/consultations/{consultation_id}/results?area=birmingham").get_data(
        as_text=True
    )
    body = client.get(
        f"/staff/consultations/{consultation_id}/export/summary.csv?area=birmingham"
    ).get_data(as_text=True)

    assert "2 comments read and coded by staff, among the responses matching the filters" in page
    themes = {
        row["answer"]: row
        for row in csv.DictReader(io.StringIO(body))
        if row["answer"] in ("Speeding", "Street lighting")
    }
    assert themes["Street lighting"]["count"] == "2" and themes["Speeding"]["count"] == "1"
    assert themes["Speeding"]["answered"] == "2"
    assert themes["Speeding"]["group"] == "Themes (responses matching the filters)"
