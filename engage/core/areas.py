"""The seven West Midlands local authority areas, with their ONS metropolitan district codes."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    slug: str
    name: str
    gss_code: str | None


WEST_MIDLANDS_AREAS: tuple[Area, ...] = (
    Area("birmingham", "Birmingham", "E08000025"),
    Area("coventry", "Coventry", "E08000026"),
    Area("dudley", "Dudley", "E08000027"),
    Area("sandwell", "Sandwell", "E08000028"),
    Area("solihull", "Solihull", "E08000029"),
    Area("walsall", "Walsall", "E08000030"),
    Area("wolverhampton", "Wolverhampton", "E08000031"),
)
ELSEWHERE = Area("elsewhere", "Elsewhere", None)
RESPONDENT_AREAS: tuple[Area, ...] = (*WEST_MIDLANDS_AREAS, ELSEWHERE)
AREA_NAMES: dict[str, str] = {area.slug: area.name for area in RESPONDENT_AREAS}
NOT_GIVEN = "not_given"
AREA_NAMES_WITH_NOT_GIVEN: dict[str, str] = {**AREA_NAMES, NOT_GIVEN: "Not given"}
