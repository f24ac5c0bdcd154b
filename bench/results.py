"""Time the staff results page, with its channel and area breakdowns, as responses grow.

For SQLite and PostgreSQL: a fresh database with the demo, then generated responses (an
answer to every choice question each) up to each size. At each size it prints the page's
median and p95 time for the plain page (which since 0008 also shows each area against its
population and every share re-weighted by area and age band: every age band of the seven
areas is given a population), each side-by-side comparison and a filter, and the re-weighting
alone (the age band tallies' three GROUP BYs, weights, weighted shares, n_eff and intervals);
then the
same with 2,000 more responses not yet folded into the tallies, and the time to fold them;
beside the time of the full GROUP BY recount that `flask --app engage results verify` runs to
prove the counts the page shows equal to it.

    .venv/bin/python bench/results.py [--sizes 100000,1000000] [--only sqlite|postgresql]
        [--pg-database engage_bench_results]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    SECRET_KEY,
    app_env,
    flask_command,
    fresh_postgres,
    fresh_sqlite,
    percentile,
)

PAGES = {
    "plain": "",
    "compare by channel": "?compare=channel",
    "compare by area": "?compare=area",
    "roadshows in Dudley": "?channel=roadshow&area=dudley",
}
RUNS = 15
# Responses stored since the last fold: the results page counts them from the answers.
WAITING = 2_000
PASSWORD = "bench results password"
CHANNEL_SQL = (
    "CASE WHEN i % 20 < 14 THEN 'online' WHEN i % 20 < 17 THEN 'roadshow' "
    "WHEN i % 20 < 18 THEN 'workshop' WHEN i % 20 < 19 THEN 'partner_event' ELSE 'callback' END"
)
AREAS = [
    "birmingham",
    "coventry",
    "dudley",
    "sandwell",
    "solihull",
    "walsall",
    "wolverhampton",
    "elsewhere",
    "not_given",
]
AREA_SQL = "CASE i % 9 " + " ".join(f"WHEN {n} THEN '{a}'" for n, a in enumerate(AREAS)) + " END"
AGE_BANDS = ["under_18", "18_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus"]
# Every age band of every area, then "prefer not to say" and none given (NULL), spread
# independently of the area (i / 9) so every (area, age band) cell has respondents.
AGE_SQL = (
    "CASE (i / 9) % 10 "
    + " ".join(f"WHEN {n} THEN '{band}'" for n, band in enumerate(AGE_BANDS))
    + " WHEN 8 THEN 'prefer_not' ELSE NULL END"
)
# Illustrative shares of an area's people per age band (they need only be plausible).
AGE_SHARES = [0.22, 0.10, 0.14, 0.13, 0.13, 0.11, 0.09, 0.08]


def _series(dialect: str) -> str:
    if dialect == "postgresql":
        return "generate_series(1, :count) AS s(i)"
    return "s"


def add_responses(db, consultation, count: int, offset: int) -> None:
    """Insert `count` generated responses and their answers with server-side SQL."""
    dialect = db.engine.dialect.name
    prefix = (
        ""
        if dialect == "postgresql"
        else ("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < :count) ")
    )
    first_new_id = db.session.scalar(text("SELECT coalesce(max(id), 0) FROM responses"))
    db.session.execute(
        text(
            f"{prefix}INSERT INTO responses "
            "(consultation_id, reference, channel, area, age_band, submitted_at, is_demo) "
            f"SELECT :consultation, 'B' || (i + :offset), {CHANNEL_SQL}, {AREA_SQL}, {AGE_SQL}, "
            f"CURRENT_TIMESTAMP, true FROM {_series(dialect)}"
        ),
        {"consultation": consultation.id, "count": count, "offset": offset},
    )
    for question in consultation.questions:
        if not question.options:
            continue
        ids = [option.id for option in question.options]
        # A skewed spread: earlier options are chosen more often, like real answers.
        weights = "".join(
            f"WHEN (r.id * 7 + {question.id}) % {2 * len(ids)} < {len(ids) + n} THEN {option} "
            for n, option in enumerate(ids)
        )
        db.session.execute(
            text(
                "INSERT INTO answers (response_id, question_id, option_id) "
                f"SELECT r.id, :question, CASE {weights}ELSE {ids[-1]} END FROM responses r "
                "WHERE r.consultation_id = :consultation AND r.id > :first"
            ),
            {"question": question.id, "consultation": consultation.id, "first": first_new_id},
        )
    db.session.commit()


def time_pages(client, consultation_id: int, total: int) -> dict[str, list[float]]:
    timings = {}
    for label, query in PAGES.items():
        url = f"/staff/consultations/{consultation_id}/results{query}"
        page = client.get(url)
        assert page.status_code == 200
        if not query:
            body = page.get_data(as_text=True)
            assert f'id="response-total">{total:,}<' in body
            assert "Weighted by <strong>area and age band</strong>" in body
        runs = []
        for _ in range(RUNS):
            started = time.perf_counter()
            client.get(url)
            runs.append((time.perf_counter() - started) * 1000)
        timings[label] = runs
    return timings


def give_age_band_populations(db) -> None:
    """Split each area's population into the survey's age bands, so weighting is by both."""
    from engage.surveys.services.representation import area_populations, set_population

    for area, people in area_populations().items():
        bands = {
            band: int(people * share) for band, share in zip(AGE_BANDS, AGE_SHARES, strict=True)
        }
        set_population(area, people, bands, "bench: illustrative age shares")
    db.session.commit()


def time_weighting(db, consultation) -> list[float]:
    """The re-weighting by area and age band on its own (with the three GROUP BYs over the age
    band tallies it needs), from the results the page has already summed."""
    from engage.surveys.services.cell_counts import cell_counts
    from engage.surveys.services.representation import (
        age_band_populations,
        area_populations,
        representation,
    )
    from engage.surveys.services.results import Filters, consultation_results
    from engage.surveys.services.weighting import weighted_results

    results = consultation_results(consultation)
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        populations = area_populations()
        cells = cell_counts(consultation, Filters())
        weighted = weighted_results(results, populations, cells, age_band_populations())
        representation(results.by_area, populations)
        runs.append((time.perf_counter() - started) * 1000)
    assert weighted.possible and weighted.by_age_band and weighted.unweighted_responses > 0
    db.session.rollback()
    return runs


def _print_pages(timings: dict[str, list[float]]) -> None:
    for page, runs in timings.items():
        print(
            f"  results page, {page:<40} median {statistics.median(runs):6.1f} ms  "
            f"p95 {percentile(runs, 0.95):6.1f} ms"
        )


def _analyze(db) -> None:
    """Refresh PostgreSQL's planner statistics after the bulk load, as autovacuum does by itself
    in any deployment; it is off on the development machine, where without this the planner
    takes the million-row tables for empty ones and scans every answer."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))


def bench_database(label: str, database_url: str, sizes: list[int]) -> None:
    from engage import create_app
    from engage.auth import services as auth_services
    from engage.core.extensions import db
    from engage.surveys import jobs
    from engage.surveys.models import Consultation, Response
    from engage.surveys.services import tallies

    env = app_env(database_url)
    flask_command(env, "db", "upgrade")
    flask_command(env, "demo", "load")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": SECRET_KEY,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        auth_services.create_staff("bench@example.org", "", "consultation", PASSWORD)
        db.session.commit()
        give_age_band_populations(db)
        consultation = db.session.scalar(select(Consultation).filter_by(slug="wmp2020"))
        client = app.test_client()
        client.post("/staff/login", data={"email": "bench@example.org", "password": PASSWORD})
        have = db.session.scalar(
            select(db.func.count()).select_from(Response).filter_by(consultation_id=consultation.id)
        )
        for size in sizes:
            started = time.perf_counter()
            add_responses(db, consultation, size - have, offset=have)
            have = size
            loaded = time.perf_counter() - started
            started = time.perf_counter()
            tallies.recount_tallies(consultation.id)
            db.session.commit()
            tallies.tidy_awaiting_list()  # as `flask --app engage results recount` does
            recount = time.perf_counter() - started
            _analyze(db)
            answers = db.session.scalar(text("SELECT count(*) FROM answers"))
            print(
                f"{label}: {size:,} responses, {answers:,} answer rows "
                f"(generated in {loaded:.0f} s; tallies rebuilt by GROUP BY in {recount:.1f} s)"
            )
            timings = time_pages(client, consultation.id, size)
            timings["re-weighting by area and age band alone"] = time_weighting(db, consultation)
            _print_pages(timings)
            add_responses(db, consultation, WAITING, offset=have)
            have += WAITING
            print(f"  with {WAITING:,} more responses stored but not yet folded into the tallies:")
            _print_pages(time_pages(client, consultation.id, have))
            started = time.perf_counter()
            jobs.fold_tallies()
            folding = time.perf_counter() - started
            print(f"  folding those {WAITING:,} into the tallies: {folding:.2f} s")
            started = time.perf_counter()
            differences = tallies.compare_tallies(consultation.id)
            verify = time.perf_counter() - started
            verdict = "equal" if not differences else f"{len(differences)} differ"
            print(f"  full recount to verify the tallies: {verify:.1f} s, tallies {verdict}\n")
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--pg-database", default="engage_bench_results", help="dropped and created afresh"
    )
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    with tempfile.TemporaryDirectory() as scratch:
        if args.only in (None, "sqlite"):
            bench_database("SQLite", fresh_sqlite(Path(scratch) / "results.sqlite"), sizes)
        if args.only in (None, "postgresql"):
            bench_database("PostgreSQL", fresh_postgres(args.pg_database), sizes)


if __name__ == "__main__":
    main()
