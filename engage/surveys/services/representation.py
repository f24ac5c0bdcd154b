"""Who responded against who lives there: the population figures, and each area's share.

An area is flagged under-represented when its share of respondents is below 80% of its share
of the population and, in addition, its population share lies above the 95% Wilson interval of
its respondent share (see `analysis.statistics.is_under_represented`): a gap large enough to
matter and too large to be chance. Shares are of the respondents who gave one of the seven
areas; those living elsewhere or who did not say are counted apart.
"""

from dataclasses import dataclass

from sqlalchemy import delete, select

from engage.analysis.statistics import is_under_represented, percentage, wilson_interval
from engage.core.areas import ELSEWHERE, NOT_GIVEN, WEST_MIDLANDS_AREAS, Area
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys.models import AGE_BAND_LABELS, AgeBand
from engage.surveys.population_models import MAX_POPULATION, WHOLE_AREA, CensusPopulation

# The age bands the survey's "about you" asks, less "prefer not to say".
SURVEY_AGE_BANDS = tuple(band for band in AgeBand if band is not AgeBand.PREFER_NOT)
SURVEY_AGE_BAND_LABELS = {band.value: AGE_BAND_LABELS[band] for band in SURVEY_AGE_BANDS}
AREAS_BY_SLUG = {area.slug: area for area in WEST_MIDLANDS_AREAS}
DEFAULT_SOURCE = "Entered by an admin"


def get_area(slug: str) -> Area:
    """The West Midlands area `slug` names; 404 for any other."""
    area = AREAS_BY_SLUG.get(slug)
    if area is None:
        raise DomainError("There is no such area.", status=404)
    return area


def area_populations() -> dict[str, int]:
    """People living in each area, all ages, where known."""
    rows = db.session.execute(
        select(CensusPopulation.area, CensusPopulation.population).where(
            CensusPopulation.age_band == WHOLE_AREA
        )
    )
    return {area: population for area, population in rows}


def age_band_populations() -> dict[tuple[str, str], int]:
    """People living in each area and age band the survey asks, where known."""
    rows = db.session.execute(
        select(CensusPopulation.area, CensusPopulation.age_band, CensusPopulation.population).where(
            CensusPopulation.age_band != WHOLE_AREA
        )
    )
    return {(area, band): population for area, band, population in rows}


@dataclass
class AreaPopulation:
    area: Area
    population: int | None
    source: str | None
    age_bands: dict[str, int]


def list_populations() -> list[AreaPopulation]:
    """Every area's population, its source and its age bands, for the admin page."""
    rows = db.session.scalars(select(CensusPopulation)).all()
    whole = {row.area: row for row in rows if row.age_band == WHOLE_AREA}
    result = []
    for area in WEST_MIDLANDS_AREAS:
        bands = {
            row.age_band: row.population
            for row in rows
            if row.area == area.slug and row.age_band != WHOLE_AREA
        }
        total = whole.get(area.slug)
        result.append(
            AreaPopulation(
                area, total.population if total else None, total.source if total else None, bands
            )
        )
    return result


def _check(people: int | None, field: str, label: str) -> None:
    if people is None:
        return
    if people <= 0:
        raise DomainError(f"{label} must be a whole number above 0", field=field)
    if people > MAX_POPULATION:
        raise DomainError(f"{label} must be {MAX_POPULATION:,} or fewer", field=field)


def set_population(
    slug: str, population: int, age_bands: dict[str, int | None], source: str
) -> None:
    """Replace an area's population and age bands; a band left blank becomes unknown."""
    area = get_area(slug)
    _check(population, "population", "The population")
    unknown = set(age_bands) - set(SURVEY_AGE_BAND_LABELS)
    if unknown:
        raise DomainError("Choose age bands the survey asks about.")
    for band, people in age_bands.items():
        _check(people, f"age_{band}", f"The population aged {SURVEY_AGE_BAND_LABELS[band]}")
    if sum(people or 0 for people in age_bands.values()) > population:
        raise DomainError(
            "The age bands add up to more than the area's population.", field="population"
        )
    source = source.strip() or DEFAULT_SOURCE
    db.session.execute(delete(CensusPopulation).where(CensusPopulation.area == area.slug))
    rows = [(WHOLE_AREA, population)] + [(b, p) for b, p in age_bands.items() if p]
    for band, people in rows:
        db.session.add(
            CensusPopulation(area=area.slug, age_band=band, population=people, source=source)
        )
    db.session.flush()


@dataclass
class AreaShare:
    area: Area
    respondents: int
    percent: float | None
    interval: tuple[float, float] | None
    population: int | None
    population_percent: float | None
    under_represented: bool | None


@dataclass
class Representation:
    areas: list[AreaShare]
    in_areas: int  # respondents who gave one of the seven areas
    elsewhere: int
    not_given: int
    population_known: bool


def representation(by_area: dict[str, int], populations: dict[str, int]) -> Representation:
    """Each area's share of respondents beside its share of the people living in the areas."""
    in_areas = sum(by_area.get(area.slug, 0) for area in WEST_MIDLANDS_AREAS)
    all_known = all(populations.get(area.slug) for area in WEST_MIDLANDS_AREAS)
    people = sum(populations.values()) if all_known else 0
    shares = []
    for area in WEST_MIDLANDS_AREAS:
        count = by_area.get(area.slug, 0)
        population_share = populations[area.slug] / people if people else None
        shares.append(
            AreaShare(
                area,
                count,
                percentage(count, in_areas),
                wilson_interval(count, in_areas),
                populations.get(area.slug),
                100 * population_share if population_share else None,
                is_under_represented(count, in_areas, population_share),
            )
        )
    return Representation(
        shares, in_areas, by_area.get(ELSEWHERE.slug, 0), by_area.get(NOT_GIVEN, 0), all_known
    )
