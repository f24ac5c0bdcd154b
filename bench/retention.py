"""Time the nightly retention run over many old survey responses.

For SQLite and PostgreSQL: a fresh database with the demo, then generated responses (an answer
to every choice question each, a comment on every fourth and a postcode district on each), all
sent long ago. Times a dry run (counts only), the run that anonymises them, and the next night's
run, which finds nothing left to do.

    .venv/bin/python bench/retention.py [--size 200000] [--only sqlite|postgresql]
        [--pg-database engage_bench_retention]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import SECRET_KEY, app_env, flask_command, fresh_postgres, fresh_sqlite  # noqa: E402
from bench.export import add_comments  # noqa: E402
from bench.results import _analyze, add_responses  # noqa: E402


def _run(db, dry_run: bool) -> tuple[float, int]:
    from engage.privacy.retention import enforce_retention

    started = time.perf_counter()
    counts = [o.count for o in enforce_retention(dry_run=dry_run)]
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return time.perf_counter() - started, sum(counts)


def bench_database(label: str, database_url: str, size: int) -> None:
    from engage import create_app
    from engage.core.extensions import db
    from engage.surveys.models import Consultation

    env = app_env(database_url)
    flask_command(env, "db", "upgrade")
    flask_command(env, "demo", "load")
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        consultation = db.session.scalar(select(Consultation).filter_by(slug="wmp2020"))
        first_new_id = db.session.scalar(text("SELECT coalesce(max(id), 0) FROM responses"))
        add_responses(db, consultation, size, offset=10_000_000)
        add_comments(db, consultation, first_new_id)
        db.session.execute(
            text("UPDATE responses SET submitted_at = :old, postcode_district = 'B5'"),
            {"old": "2015-01-01 00:00:00+00:00"},
        )
        db.session.commit()
        _analyze(db)
        answers = db.session.scalar(text("SELECT count(*) FROM answers"))
        print(f"{label}: {size:,} old responses, {answers:,} answer rows")
        for name, dry in (("dry run", True), ("anonymising run", False), ("next night", False)):
            seconds, count = _run(db, dry)
            print(f"  {name}: {seconds:.2f} s, {count:,} records")
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--pg-database", default="engage_bench_retention")
    args = parser.parse_args()
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as directory:
            url = fresh_sqlite(Path(directory) / "retention.sqlite")
            bench_database("SQLite", url, args.size)
    if args.only != "sqlite":
        bench_database("PostgreSQL", fresh_postgres(args.pg_database), args.size)


if __name__ == "__main__":
    main()
