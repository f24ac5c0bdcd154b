"""Results for staff and, once published, for the public: counts, percentages, breakdowns."""

import json
import re

import pytest
from sqlalchemy import select, update

from engage.auth.models import Role
from engage.surveys.models import (
    Consultation,
    ConsultationStatus,
    EventKind,
    Option,
    OptionTally,
    QuestionKind,
    QuestionTally,
)
from engage.surveys.services.tallies import fold_batch, recount_tallies

YES, NO, NOT_SURE = 0, 1, 2
KINDS = (QuestionKind.YES_NO, QuestionKind.MULTIPLE_CHOICE, QuestionKind.FREE_TEXT)


@pytest.fixture
def consultation_id(make_consultation):
    return make_consultation(kinds=KINDS)


def _results_page(client, consultation_id, query="") -> str:
    response = client.get(f"/staff/consultations/{consultation_id}/results{query}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _row(page: str, label: str) -> list[str]:
    """The cells of the first table row headed `label`."""
    match = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', page, re.S)
    assert match, label
    return [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)]


def _total(page: str) -> str:
    return re.search(r'id="response-total">([^<]+)<', page).group(1)


def test_counts_percentages_and_wilson_intervals_per_option(
    client, login, consultation_id, make_response
):
    for choice in (YES, YES, NO):
        make_response(consultation_id, {QuestionKind.YES_NO: [choice]})
    login(client, Role.CONSULTATION)

    page = _results_page(client, consultation_id)

    assert _total(page) == "3"
    assert _row(page, "Yes") == ["2", "66.7%", "20.8% to 93.9%"]
    assert _row(page, "No") == ["1", "33.3%", "6.1% to 79.2%"]
    assert _row(page, "Not sure") == ["0", "0.0%", "0.0% to 56.1%"]
    assert "3 answered" in page


def test_multiple_choice_percentages_are_of_people_who_answered(
    client, login, consultation_id, make_response
):
    make_response(consultation_id, {QuestionKind.MULTIPLE_CHOICE: [0, 1]})
    make_response(consultation_id, {QuestionKind.MULTIPLE_CHOICE: [0]})
    login(client, Role.PCC)

    page = _results_page(client, consultation_id)

    assert _row(page, "Text")[:2] == ["2", "100.0%"]
    assert _row(page, "Social media")[:2] == ["1", "50.0%"]
    assert "add up to more than 100%" in page


def test_results_are_read_from_the_tallies_not_by_scanning_answers(
    app, db, client, login, consultation_id, make_response
):
    make_response(consultation_id, {QuestionKind.YES_NO: [YES]})
    assert fold_batch() == 1
    yes_option = db.session.scalar(select(Option).where(Option.label == "Yes"))
    db.session.execute(
        update(OptionTally).where(OptionTally.option_id == yes_option.id).values(count=7)
    )
    db.session.execute(
        update(QuestionTally)
        .where(QuestionTally.question_id == yes_option.question_id)
        .values(count=10)
    )
    db.session.commit()
    login(client, Role.CONSULTATION)

    assert _row(_results_page(client, consultation_id), "Yes")[:2] == ["7", "70.0%"]

    recount_tallies(consultation_id)
    db.session.commit()
    assert _row(_results_page(client, consultation_id), "Yes")[:2] == ["1", "100.0%"]


def test_filter_by_channel_and_area(client, login, consultation_id, make_response, make_event):
    roadshow = make_event(consultation_id, EventKind.ROADSHOW, area="dudley")
    make_response(consultation_id, {QuestionKind.YES_NO: [YES]}, area="walsall")
    make_response(consultation_id, {QuestionKind.YES_NO: [NO]}, area="dudley", event_id=roadshow)
    make_response(consultation_id, {QuestionKind.YES_NO: [NO]}, area="dudley", event_id=roadshow)
    login(client, Role.CONSULTATION)

    online = _results_page(client, consultation_id, "?channel=online")
    dudley = _results_page(client, consultation_id, "?area=dudley")

    assert _total(online) == "1" and _row(online, "Yes")[:2] == ["1", "100.0%"]
    assert _total(dudley) == "2" and _row(dudley, "No")[:2] == ["2", "100.0%"]
    assert "Only 2 responses match these filters." in dudley  # a base under 30 is flagged
    assert 'id="small-base"' not in _results_page(client, consultation_id)  # unfiltered: no


def test_a_rating_question_says_which_end_is_which(client, login, make_consultation, make_response):
    rated = make_consultation(slug="rated", kinds=(QuestionKind.RATING,))
    make_response(rated, {QuestionKind.RATING: [4]})
    login(client, Role.CONSULTATION)
    assert "1 is the lowest and 5 the highest" in _results_page(client, rated)


def test_side_by_side_breakdown_by_channel(
    client, login, consultation_id, make_response, make_event
):
    roadshow = make_event(consultation_id, EventKind.ROADSHOW)
    make_response(consultation_id, {QuestionKind.YES_NO: [YES]})
    make_response(consultation_id, {QuestionKind.YES_NO: [NO]}, event_id=roadshow)
    login(client, Role.CONSULTATION)

    page = _results_page(client, consultation_id, "?compare=channel")

    assert "Online survey (1)" in page and "Roadshow (1)" in page
    # All, then each channel: its percentage, count of those answering and 95% interval.
    assert _row(page, "Yes") == [
        "50.0%",
        '100.0%<span class="cell-detail">1 of 1<br>20.7% to 100.0%</span>',
        '0.0%<span class="cell-detail">0 of 1<br>0.0% to 79.3%</span>',
    ]
    charts = json.loads(re.search(r'id="chart-data">(.*?)</script>', page, re.S).group(1))
    yes_no_chart = next(chart for key, chart in charts.items() if key.startswith("chart-q"))
    assert [trace["name"] for trace in yes_no_chart["data"]] == ["Online survey", "Roadshow"]


def test_charts_use_the_plotly_served_by_the_app(client, login, consultation_id, make_response):
    make_response(consultation_id, {QuestionKind.YES_NO: [YES]})
    login(client, Role.CONSULTATION)

    page = _results_page(client, consultation_id)

    scripts = re.findall(r'<script src="([^"]+)"', page)
    [bundle] = [src for src in scripts if src.startswith("/assets/plotly-basic-")]
    assert all(src.startswith("/") for src in scripts)
    with client.get(bundle) as plotly_js:
        assert plotly_js.status_code == 200
        assert plotly_js.mimetype == "text/javascript"


def test_empty_results_say_so(client, login, consultation_id):
    login(client, Role.CONSULTATION)

    page = _results_page(client, consultation_id)

    assert _total(page) == "0"
    assert "There are no responses" in page


@pytest.mark.parametrize("query", ["?channel=carrier-pigeon", "?area=atlantis", "?compare=moon"])
def test_unknown_filters_are_refused(client, login, consultation_id, query):
    login(client, Role.CONSULTATION)

    response = client.get(f"/staff/consultations/{consultation_id}/results{query}")

    assert response.status_code == 400


def test_results_are_for_staff_who_read_results(client, login, consultation_id):
    url = f"/staff/consultations/{consultation_id}/results"
    assert client.get(url).status_code == 302  # to sign in
    login(client, Role.REVIEWER)
    assert client.get(url).status_code == 403
    assert client.get("/staff/consultations/999999/results").status_code == 403


def test_unknown_consultation_results_are_not_found(client, login):
    login(client, Role.CONSULTATION)

    assert client.get("/staff/consultations/999999/results").status_code == 404


def test_public_results_show_what_was_said_and_done_once_published(
    app, db, client, consultation_id, make_response
):
    make_response(consultation_id, {QuestionKind.YES_NO: [YES], QuestionKind.FREE_TEXT: "Fine"})
    assert client.get("/consultations/policing-plan/results").status_code == 404

    consultation = db.session.get(Consultation, consultation_id)
    consultation.status = ConsultationStatus.PUBLISHED
    consultation.outcome = "We put more officers on foot patrol."
    db.session.commit()
    page = client.get("/consultations/policing-plan/results").get_data(as_text=True)

    assert "We asked" in page and "You said" in page and "We did" in page
    assert "We put more officers on foot patrol." in page
    assert _row(page, "Yes")[:2] == ["1", "100.0%"]
    assert "comments" not in page  # free text stays with staff


def _charts(page: str) -> dict:
    return json.loads(re.search(r'id="chart-data">(.*?)</script>', page, re.S).group(1))


def test_agreement_is_a_diverging_bar_beside_its_table_and_questions_can_be_jumped_to(
    client, login, make_consultation, make_response, make_event
):
    consultation_id = make_consultation(kinds=(QuestionKind.AGREEMENT, QuestionKind.YES_NO))
    roadshow = make_event(consultation_id, EventKind.ROADSHOW)
    for choice in (0, 1, 1, 3):  # strongly agree, agree, agree, disagree
        make_response(consultation_id, {QuestionKind.AGREEMENT: [choice]})
    make_response(consultation_id, {QuestionKind.AGREEMENT: [2]}, event_id=roadshow)
    login(client, Role.CONSULTATION)

    page = _results_page(client, consultation_id)
    compared = _results_page(client, consultation_id, "?compare=channel")

    headings = re.findall(r'<h3 class="heading-m" id="(heading-q\d+)">', page)
    assert re.findall(r'<li><a href="#(heading-q\d+)">', page) == headings
    assert len(headings) == 2
    assert _row(page, "Agree") == ["2", "40.0%", "11.8% to 76.9%"]  # the table stays
    agreement = next(chart for chart in _charts(page).values() if len(chart["data"]) == 5)
    assert [trace["name"] for trace in agreement["data"]][::4] == [
        "Strongly disagree",
        "Strongly agree",
    ]
    neither = agreement["data"][2]
    assert neither["base"] == [-10.0] and neither["x"] == [20.0]  # 1 of 5, centred
    assert "Diverging bar chart of the answers to question 1" in page
    by_channel = next(c for c in _charts(compared).values() if len(c["data"]) == 5)
    assert by_channel["data"][2]["y"] == ["Everyone", "Online survey", "Roadshow"]


def test_the_staff_results_without_responses_list_no_questions(client, login, consultation_id):
    login(client, Role.CONSULTATION)

    page = _results_page(client, consultation_id)

    assert 'id="question-list-title"' not in page
