"""Admins keep the population of each area, and of its age bands, that results are set against."""

import re

import pytest
from sqlalchemy import delete, select

from engage.auth.models import Role
from engage.surveys.population_models import CensusPopulation
from tests.conftest import PASSWORD

URL = "/staff/consultations/populations"


@pytest.fixture(autouse=True)
def no_populations(db):
    """Start from no figures: the suite's first test would otherwise see those 0011 seeds."""
    db.session.execute(delete(CensusPopulation))
    db.session.commit()


@pytest.fixture
def coventry(db):
    db.session.add(CensusPopulation(area="coventry", population=345_300, source="ONS, Census 2021"))
    db.session.commit()


def _stored(db) -> dict:
    db.session.expire_all()
    return {
        (row.area, row.age_band): row.population
        for row in db.session.scalars(select(CensusPopulation))
    }


@pytest.mark.parametrize("role", [Role.CONSULTATION, Role.PCC, Role.COMMS, Role.REVIEWER])
def test_only_admins_change_populations(client, login, coventry, role):
    login(client, role)

    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}/coventry", data={"population": "5"}).status_code == 403


def test_admin_sees_every_area_and_what_is_not_known(client, login, coventry):
    login(client, Role.ADMIN)

    page = client.get(URL).get_data(as_text=True)

    assert "345,300" in page and "ONS, Census 2021" in page
    assert page.count("Not known") == 6
    assert '<th scope="row">Wolverhampton</th>' in page


def test_admin_changes_a_population_and_adds_age_bands(client, login, db, coventry):
    login(client, Role.ADMIN)

    response = client.post(
        f"{URL}/coventry",
        data={
            "population": "345,400",
            "source": "ONS mid-2022 estimate",
            "age_under_18": "80 000",
            "age_75_plus": "20000",
            "age_18_24": "",
        },
    )

    assert response.status_code == 303
    assert _stored(db) == {
        ("coventry", "all"): 345_400,
        ("coventry", "under_18"): 80_000,
        ("coventry", "75_plus"): 20_000,
    }
    assert db.session.get(CensusPopulation, ("coventry", "all")).source == "ONS mid-2022 estimate"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"population": "lots"}, "Population, all ages must be a whole number, like 345300"),
        ({"population": "12.5"}, "Population, all ages must be a whole number, like 345300"),
        ({"population": "-5"}, "The population must be between 1 and 20,000,000"),
        ({"population": "0"}, "The population must be between 1 and 20,000,000"),
        ({"population": "99999999999999999999"}, "The population must be between 1 and"),
        ({"population": ""}, "Enter the population"),
        ({"population": "1000", "age_18_24": "0"}, "Aged 18 to 24 must be between 1 and"),
        ({"population": "1000", "age_18_24": "x"}, "Aged 18 to 24 must be a whole number"),
        (
            {"population": "1000", "age_18_24": "600", "age_25_34": "600"},
            "The age bands add up to more than the area&#39;s population.",
        ),
    ],
)
def test_bad_populations_are_refused_with_a_message_and_change_nothing(
    client, login, db, coventry, data, message
):
    login(client, Role.ADMIN)

    response = client.post(f"{URL}/coventry", data=data)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _stored(db) == {("coventry", "all"): 345_300}


def test_unknown_area_is_not_found(client, login, db):
    login(client, Role.ADMIN)

    assert client.get(f"{URL}/atlantis").status_code == 404
    assert client.post(f"{URL}/elsewhere", data={"population": "10"}).status_code == 404
    assert _stored(db) == {}


def _csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_changing_a_population_needs_the_csrf_token(make_app, make_staff, db, coventry):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = _csrf_token(client.get("/staff/login").get_data(as_text=True))
    email = make_staff(Role.ADMIN)
    signed_in = client.post(
        "/staff/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302

    without = client.post(f"{URL}/coventry", data={"population": "10"})
    token = _csrf_token(client.get(f"{URL}/coventry").get_data(as_text=True))
    with_token = client.post(f"{URL}/coventry", data={"population": "10", "csrf_token": token})

    assert without.status_code == 400
    assert with_token.status_code == 303
    assert _stored(db) == {("coventry", "all"): 10}
