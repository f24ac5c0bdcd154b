"""Who responded against who lives there, and results re-weighted by area, from the tallies."""

import csv
import io
import re

import pytest
from sqlalchemy import delete, select, update

from engage.auth.models import Role
from engage.surveys.models import Consultation, EventKind, Option, OptionTally, QuestionKind
from engage.surveys.population_models import CensusPopulation
from engage.surveys.services.representation import representation, set_population
from engage.surveys.services.results import Filters
from engage.surveys.services.tallies import fold_batch
from engage.surveys.services.weighting import results_report
from tests.census import CENSUS_2021

YES, NO = 0, 1
KINDS = (QuestionKind.YES_NO, QuestionKind.MULTIPLE_CHOICE)
BIRMINGHAM_SHARE = 1_144_900 / (1_144_900 + 345_300)  # of the two areas that respond below


@pytest.fixture
def census(app, db):
    """The 2021 Census figures migration 0011 seeds (each test starts with empty tables)."""
    for area, people in CENSUS_2021.items():
        set_population(area, people, {}, "ONS, Census 2021")
    db.session.commit()


@pytest.fixture
def consultation_id(make_consultation, make_response):
    """Birmingham: yes, yes, no. Coventry: no. No area given: yes."""
    consultation_id = make_consultation(kinds=KINDS)
    for choice, area in ((YES, "birmingham"), (YES, "birmingham"), (NO, "birmingham")):
        make_response(consultation_id, {QuestionKind.YES_NO: [choice]}, area=area)
    make_response(consultation_id, {QuestionKind.YES_NO: [NO]}, area="coventry")
    make_response(consultation_id, {QuestionKind.YES_NO: [YES]})
    return consultation_id


def _report(db, consultation_id, **filters):
    return results_report(db.session.get(Consultation, consultation_id), Filters(**filters))


def _yes(db, report):
    question = next(q for q in report.results.overall.questions if q.options)
    return report.weighted.questions[question.question.id], question.options[YES].option_id


def test_reweighted_share_counts_each_area_by_its_population(db, census, consultation_id):
    report = _report(db, consultation_id)
    entry, yes = _yes(db, report)

    # Birmingham says yes 2 times in 3, Coventry 0 in 1; weighted, each counts as its people.
    assert entry.options[yes].percent == pytest.approx(100 * BIRMINGHAM_SHARE * 2 / 3)
    w_birmingham = BIRMINGHAM_SHARE / (3 / 4)
    w_coventry = (1 - BIRMINGHAM_SHARE) / (1 / 4)
    assert entry.effective_n == pytest.approx(16 / (3 * w_birmingham**2 + w_coventry**2))
    assert entry.weighted_answers == 4
    # The raw share counts the response that gave no area; the weighted one cannot.
    assert report.results.overall.questions[0].options[YES].count == 3
    assert report.weighted.unweighted_responses == 1
    assert report.weighted.areas_without_respondents == [
        "dudley",
        "sandwell",
        "solihull",
        "walsall",
        "wolverhampton",
    ]


def test_weights_come_from_the_tallies_not_the_answers(db, census, consultation_id):
    assert fold_batch() == 5
    yes_option = db.session.scalar(select(Option).where(Option.label == "Yes"))
    db.session.execute(
        update(OptionTally)
        .where(OptionTally.option_id == yes_option.id, OptionTally.area == "birmingham")
        .values(count=1)
    )
    db.session.commit()

    entry, yes = _yes(db, _report(db, consultation_id))

    assert entry.options[yes].percent == pytest.approx(100 * BIRMINGHAM_SHARE * 1 / 3)


def test_representation_flags_areas_far_below_their_population_share():
    by_area = {"birmingham": 700, "coventry": 50, "dudley": 60, "sandwell": 60}
    by_area |= {"solihull": 40, "walsall": 50, "wolverhampton": 40, "not_given": 9}

    shares = {share.area.slug: share for share in representation(by_area, CENSUS_2021).areas}

    # Coventry: 5% of respondents, 12% of people. Birmingham: 70% against 39%.
    assert shares["coventry"].under_represented is True
    assert shares["birmingham"].under_represented is False
    assert shares["coventry"].population_percent == pytest.approx(
        100 * 345_300 / sum(CENSUS_2021.values())
    )
    assert representation(by_area, CENSUS_2021).not_given == 9


def test_unknown_population_is_said_plainly_and_divides_nothing(
    client, login, db, census, consultation_id
):
    db.session.execute(delete(CensusPopulation).where(CensusPopulation.area == "coventry"))
    db.session.commit()
    login(client, Role.CONSULTATION)

    page = client.get(f"/staff/consultations/{consultation_id}/results").get_data(as_text=True)

    assert 'id="population-unknown"' in page
    assert "The population of Coventry is not known" in page
    report = _report(db, consultation_id)
    assert report.weighted.weights == {"birmingham": 1.0}
    assert report.weighted.unweighted_responses == 2


def test_no_populations_at_all_gives_no_weighted_figures(db, consultation_id):
    db.session.execute(delete(CensusPopulation))  # the suite's first test sees 0011's seeds
    db.session.commit()
    report = _report(db, consultation_id)

    assert not report.weighted.possible
    assert "nothing can be weighted" in report.weighted.reason
    assert all(share.under_represented is None for share in report.representation.areas)


def test_one_area_filter_has_nothing_to_weigh_against(db, census, consultation_id):
    report = _report(db, consultation_id, area="birmingham")

    assert not report.weighted.possible
    assert "one area" in report.weighted.reason


def test_a_channel_filter_weights_that_channels_responses(db, census, consultation_id):
    report = _report(db, consultation_id, channel="online")

    entry, yes = _yes(db, report)
    assert entry.options[yes].percent == pytest.approx(100 * BIRMINGHAM_SHARE * 2 / 3)
    assert not _report(db, consultation_id, compare="channel").weighted.possible


def test_nobody_giving_an_area_leaves_the_weighted_figures_out(
    db, census, make_consultation, make_response
):
    consultation_id = make_consultation(slug="no-areas", kinds=KINDS)
    make_response(consultation_id, {QuestionKind.YES_NO: [YES]})

    report = _report(db, consultation_id)

    assert not report.weighted.possible
    assert report.representation.in_areas == 0


def test_results_page_shows_raw_and_reweighted_side_by_side(client, login, census, consultation_id):
    login(client, Role.PCC)

    page = client.get(f"/staff/consultations/{consultation_id}/results").get_data(as_text=True)

    row = re.search(r'<th scope="row">Yes</th>(.*?)</tr>', page, re.S).group(1)
    cells = [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[:2] == ["3", "60.0%"]
    assert cells[3] == f"{100 * BIRMINGHAM_SHARE * 2 / 3:.1f}%"
    assert "1 response is left out of the re-weighted figures" in page
    assert "Nobody responded from Dudley, Sandwell, Solihull, Walsall, Wolverhampton" in page
    assert "<caption>Respondents and people living in each area</caption>" in page
    assert 'id="chart-representation"' in page


def test_all_answers_in_one_channel_compare_side_by_side(client, login, census, consultation_id):
    login(client, Role.CONSULTATION)

    page = client.get(f"/staff/consultations/{consultation_id}/results?compare=channel")

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Online survey (5)" in text
    assert "3 of 5<br>" in text


def test_summary_export_carries_the_reweighted_share(
    client, login, census, consultation_id, make_event, make_response
):
    roadshow = make_event(consultation_id, EventKind.ROADSHOW, area="coventry")
    make_response(consultation_id, {QuestionKind.YES_NO: [YES]}, area="coventry", event_id=roadshow)
    login(client, Role.CONSULTATION)

    body = client.get(
        f"/staff/consultations/{consultation_id}/export/summary.csv?compare=area"
    ).get_data(as_text=True)

    rows = list(csv.DictReader(io.StringIO(body)))
    overall = next(r for r in rows if r["group"] == "All responses" and r["answer"] == "Yes")
    coventry_yes = next(r for r in rows if r["group"] == "Coventry" and r["answer"] == "Yes")
    # Birmingham 2 yes of 3, Coventry 1 yes of 2.
    expected = 100 * (BIRMINGHAM_SHARE * 2 / 3 + (1 - BIRMINGHAM_SHARE) / 2)
    assert float(overall["weighted_percent"]) == pytest.approx(expected, abs=0.005)
    assert float(overall["weighted_n_effective"]) < 5
    assert coventry_yes["weighted_percent"] == ""  # an area's own figure needs no weighting
    against = {r["answer"]: r for r in rows if r["group"] == "Respondents against population"}
    assert against["Coventry"]["count"] == "2" and against["Coventry"]["answered"] == "5"
    assert against["Coventry"]["percent"] == "40.00"
    share = 100 * CENSUS_2021["coventry"] / sum(CENSUS_2021.values())
    assert float(against["Coventry"]["population_percent"]) == pytest.approx(share, abs=0.005)
    assert against["Dudley"]["under_represented"] == "no"  # 0 of 5: within chance
