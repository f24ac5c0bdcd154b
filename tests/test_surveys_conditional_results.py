"""Results of a question shown only to some: its base is the people asked, and it says who."""

import csv
import io

import pytest

from engage.auth.models import Role
from engage.core.extensions import db
from engage.surveys.models import Consultation, QuestionKind
from engage.surveys.services import results, sections
from engage.surveys.services.sections import RuleDetails

KINDS = (QuestionKind.YES_NO, QuestionKind.AGREEMENT)


@pytest.fixture
def consultation_id(app, make_consultation):
    """Q1 "yes no unsure"; Q2 (agreement) asked only of those who answered Yes or Not sure."""
    consultation_id = make_consultation(kinds=KINDS)
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        drives, agree = consultation.questions
        chosen = [drives.options[0].id, drives.options[2].id]
        sections.set_rule(consultation, agree, RuleDetails(drives.id, chosen))
        db.session.commit()
    return consultation_id


@pytest.fixture
def answered(consultation_id, make_response):
    # Asked of 3 (2 Yes, 1 Not sure), of whom 2 answered; the No never saw it.
    make_response(consultation_id, {QuestionKind.YES_NO: [0], QuestionKind.AGREEMENT: [0]})
    make_response(consultation_id, {QuestionKind.YES_NO: [0]}, area="walsall")
    make_response(consultation_id, {QuestionKind.YES_NO: [2], QuestionKind.AGREEMENT: [1]})
    make_response(consultation_id, {QuestionKind.YES_NO: [1], QuestionKind.AGREEMENT: [0]})


def test_a_conditional_questions_base_is_the_people_asked(app, consultation_id, answered):
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        overall = results.consultation_results(consultation).overall.questions
        drives, agree = overall

        assert (drives.asked, drives.base) == (None, 4)
        assert (agree.asked, agree.answered) == (3, 2)
        assert agree.asked_of == "answered Yes or Not sure to ‘Question about yes no unsure’"
        assert [option.count for option in agree.options][:2] == [1, 1]
        assert agree.options[0].percent == pytest.approx(100 / 3)

        by_area = results.consultation_results(
            consultation, results.check_filters(None, None, "area")
        ).groups
        walsall = next(group for group in by_area if group.key == "walsall")
        assert walsall.questions[1].asked == 1


def test_the_results_page_and_summary_csv_say_who_was_asked(
    client, login, consultation_id, answered
):
    login(client, Role.PCC)
    page = client.get(f"/staff/consultations/{consultation_id}/results").get_data(as_text=True)
    assert "Asked of the 3 who answered Yes or Not sure to ‘Question about yes no unsure’" in page

    response = client.get(f"/staff/consultations/{consultation_id}/export/summary.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    agree = next(
        row for row in rows if row["question_number"] == "2" and row["answer"] == "Strongly agree"
    )
    assert (agree["count"], agree["answered"], agree["base"], agree["percent"]) == (
        "1",
        "2",
        "3",
        "33.33",
    )
    assert agree["asked_of"].startswith("answered Yes or Not sure")
