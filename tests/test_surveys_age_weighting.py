"""Results re-weighted by area and age band from the age band tallies, and the fall-back to
weighting by area when a cell's population or respondents are missing."""

import csv
import io

import numpy as np
import pytest
from sqlalchemy import select, update
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from engage.auth.models import Role
from engage.surveys.age_tally_models import OptionAgeTally
from engage.surveys.models import Consultation, Option, QuestionKind
from engage.surveys.services.representation import SURVEY_AGE_BAND_LABELS, set_population
from engage.surveys.services.results import Filters
from engage.surveys.services.tallies import compare_tallies, fold_batch, recount_tallies
from engage.surveys.services.weighting import results_report
from tests.census import CENSUS_2021

YES, NO = 0, 1
KINDS = (QuestionKind.YES_NO, QuestionKind.MULTIPLE_CHOICE)
BANDS = list(SURVEY_AGE_BAND_LABELS)
AREAS = ("birmingham", "coventry")
# People per age band: band i of Birmingham holds 10,000 * (i + 1), of Coventry 3,000 * (i + 1).
PEOPLE = {
    (area, band): base * (i + 1)
    for area, base in zip(AREAS, (10_000, 3_000), strict=True)
    for i, band in enumerate(BANDS)
}


def _yes_in(area: str, band: str) -> bool:
    """Who says yes: the older half of Birmingham, the younger half of Coventry."""
    older = BANDS.index(band) >= len(BANDS) // 2
    return older if area == "birmingham" else not older


@pytest.fixture
def census(app, db):
    """Both responding areas with every age band; the other five with totals only."""
    for area, people in CENSUS_2021.items():
        bands = {band: PEOPLE[(area, band)] for band in BANDS} if area in AREAS else {}
        set_population(area, people, bands, "ONS, Census 2021")
    db.session.commit()


@pytest.fixture
def consultation_id(make_consultation, make_response):
    """One response per cell of the two areas (Birmingham twice over), and one with no age."""
    consultation_id = make_consultation(kinds=KINDS)
    for area, copies in zip(AREAS, (2, 1), strict=True):
        for band in BANDS:
            choice = YES if _yes_in(area, band) else NO
            for _ in range(copies):
                make_response(
                    consultation_id, {QuestionKind.YES_NO: [choice]}, area=area, age_band=band
                )
    make_response(consultation_id, {QuestionKind.YES_NO: [NO]}, area="coventry")
    return consultation_id


def _report(db, consultation_id, **filters):
    return results_report(db.session.get(Consultation, consultation_id), Filters(**filters))


def _yes(report):
    question = next(q for q in report.results.overall.questions if q.options)
    return report.weighted.questions[question.question.id], question.options[YES].option_id


def _expected_share() -> float:
    """Post-stratified, each cell counts as its people: the share of people in "yes" cells."""
    yes_people = sum(people for cell, people in PEOPLE.items() if _yes_in(*cell))
    return 100 * yes_people / sum(PEOPLE.values())


def test_each_area_and_age_band_counts_as_the_people_living_there(db, census, consultation_id):
    report = _report(db, consultation_id)
    entry, yes = _yes(report)

    assert report.weighted.by_age_band
    assert report.weighted.note is None
    assert entry.options[yes].percent == pytest.approx(_expected_share())
    assert entry.weighted_answers == 24
    # The response without an age band cannot be put in a cell.
    assert report.weighted.unweighted_responses == 1


def test_age_band_figures_equal_statsmodels_on_the_respondents_one_by_one(
    db, census, consultation_id
):
    report = _report(db, consultation_id)
    entry, yes = _yes(report)
    weight, answer = [], []
    for (area, band), w in report.weighted.weights.items():
        copies = 2 if area == "birmingham" else 1
        weight += [w] * copies
        answer += [int(_yes_in(area, band))] * copies
    weight = np.array(weight)
    n_eff = weight.sum() ** 2 / (weight**2).sum()

    assert entry.options[yes].percent == pytest.approx(
        100 * DescrStatsW(np.array(answer), weights=weight).mean
    )
    assert entry.effective_n == pytest.approx(n_eff)
    low, high = proportion_confint(entry.options[yes].percent / 100 * n_eff, n_eff, method="wilson")
    assert entry.options[yes].interval == pytest.approx((100 * low, 100 * high))


def test_age_band_weights_come_from_the_tallies(db, census, consultation_id):
    assert fold_batch() == 25
    yes_option = db.session.scalar(select(Option).where(Option.label == "Yes"))
    db.session.execute(
        update(OptionAgeTally)
        .where(OptionAgeTally.option_id == yes_option.id, OptionAgeTally.area == "coventry")
        .values(count=0)
    )
    db.session.commit()
    entry, yes = _yes(_report(db, consultation_id))
    coventry_yes = sum(p for c, p in PEOPLE.items() if c[0] == "coventry" and _yes_in(*c))
    assert entry.options[yes].percent == pytest.approx(
        _expected_share() - 100 * coventry_yes / sum(PEOPLE.values())
    )

    # `results verify` finds the change, and a recount puts it right.
    differences = compare_tallies(consultation_id)
    assert differences and all(line.startswith("option_age_tallies") for line in differences)
    recount_tallies(consultation_id)
    db.session.commit()
    assert compare_tallies(consultation_id) == []
    assert _yes(_report(db, consultation_id))[0].options[yes].percent == pytest.approx(
        _expected_share()
    )


def test_an_unknown_age_band_population_falls_back_to_area(db, census, consultation_id):
    bands = {band: PEOPLE[("coventry", band)] for band in BANDS[1:]}
    set_population("coventry", CENSUS_2021["coventry"], bands, "ONS, Census 2021")
    db.session.commit()

    report = _report(db, consultation_id)

    assert not report.weighted.by_age_band
    assert report.weighted.note == (
        "Weighted by area only: the population is not given for Coventry Under 18."
    )
    assert set(report.weighted.weights) == set(AREAS)
    assert report.weighted.unweighted_responses == 0


def test_a_cell_with_people_but_nobody_responding_falls_back_to_area(
    db, census, make_consultation, make_response
):
    consultation_id = make_consultation(slug="one-band", kinds=KINDS)
    make_response(consultation_id, {QuestionKind.YES_NO: [YES]}, area="coventry", age_band=BANDS[0])

    report = _report(db, consultation_id)

    assert report.weighted.possible and not report.weighted.by_age_band
    assert report.weighted.note.startswith(
        "Weighted by area only: nobody responded from Coventry 18 to 24"
    )
    assert "and 3 more" in report.weighted.note
    entry, yes = _yes(report)
    assert entry.options[yes].percent == 100.0  # a single respondent weighs one


def test_a_question_nobody_answered_has_no_age_band_share(db, census, consultation_id):
    report = _report(db, consultation_id)

    question = next(
        q
        for q in report.results.overall.questions
        if q.question.kind == QuestionKind.MULTIPLE_CHOICE
    )
    entry = report.weighted.questions[question.question.id]
    assert report.weighted.by_age_band
    assert entry.weighted_answers == 0 and entry.effective_n == 0
    assert all(
        option.percent is None and option.interval is None for option in entry.options.values()
    )


def test_a_channel_with_no_responses_weights_nothing_and_says_so(db, census, consultation_id):
    report = _report(db, consultation_id, channel="paper")

    assert not report.weighted.possible
    assert "nothing can be weighted" in report.weighted.reason


def test_page_csv_and_board_report_say_they_weight_by_age_band(
    client, login, census, consultation_id
):
    login(client, Role.PCC)

    page = client.get(f"/staff/consultations/{consultation_id}/results").get_data(as_text=True)
    body = client.get(f"/staff/consultations/{consultation_id}/export/summary.csv").get_data(
        as_text=True
    )

    assert "Weighted by <strong>area and age band</strong>" in page
    assert "Re-weighted by area and age band from the 24 who answered" in page
    report = client.get(f"/staff/consultations/{consultation_id}/report").get_data(as_text=True)
    assert "share re-weighted by area and age band to the population" in report
    assert "with no area or no age band" in report
    yes = next(r for r in csv.DictReader(io.StringIO(body)) if r["answer"] == "Yes")
    assert yes["weighted_by"] == "area and age band"
    assert float(yes["weighted_percent"]) == pytest.approx(_expected_share(), abs=0.005)
