"""The 2021 Census populations that migration 0011 seeds, for tests to set and compare."""

CENSUS_2021 = {
    "birmingham": 1_144_900,
    "coventry": 345_300,
    "dudley": 323_500,
    "sandwell": 341_900,
    "solihull": 216_200,
    "walsall": 284_100,
    "wolverhampton": 263_700,
}
