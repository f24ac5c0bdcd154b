"""Time the CSV export of every response, and its peak memory, as responses grow.

For SQLite and PostgreSQL: a fresh database with the demo, then generated responses (an answer
to every choice question each, and a comment on every fourth) up to each size. At each size a
fresh process runs the export job as a worker would (the two merged streams written to a file
under EXPORTS_DIR) and reports its time (wall clock, and the CPU time of the exporting process,
which the database's own work on PostgreSQL is not part of), the file's size and rows, and the
process's peak resident memory beside what it held before the export began.

    .venv/bin/python bench/export.py [--sizes 100000,1000000] [--only sqlite|postgresql]
        [--pg-database engage_bench_export]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import SECRET_KEY, app_env, flask_command, fresh_postgres, fresh_sqlite  # noqa: E402
from bench.results import _analyze, add_responses  # noqa: E402

COMMENTS = [
    "More police on the streets at night please",
    "=1+1 speeding on the ring road (a formula, defused)",
    "Street lights out on our road, it feels unsafe",
    "Thank you to the neighbourhood team",
]


def _app(database_url: str, exports_dir: str):
    from engage import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": SECRET_KEY,
            "EXPORTS_DIR": exports_dir,
            "JOB_QUEUE_URL": "",
        }
    )


def add_comments(db, consultation, first_new_id: int) -> None:
    """A comment on every fourth new response, for the consultation's first free-text question."""
    from engage.surveys.models import QuestionKind

    question = next(q for q in consultation.questions if q.kind == QuestionKind.FREE_TEXT)
    cases = " ".join(f"WHEN {n} THEN '{c}'" for n, c in enumerate(COMMENTS))
    db.session.execute(
        text(
            "INSERT INTO answers (response_id, question_id, text) "
            f"SELECT r.id, :question, CASE (r.id / 4) % {len(COMMENTS)} {cases} END "
            "FROM responses r WHERE r.consultation_id = :consultation AND r.id > :first "
            "AND r.id % 4 = 0"
        ),
        {"question": question.id, "consultation": consultation.id, "first": first_new_id},
    )
    db.session.commit()


def export_once(database_url: str, consultation_id: int, exports_dir: str) -> dict:
    """In this (fresh) process: run the export job in-process and measure it."""
    from engage.core.extensions import db
    from engage.surveys import export_jobs
    from engage.surveys.models import Consultation

    app = _app(database_url, exports_dir)
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        job = export_jobs.start_responses_export(consultation)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        db.session.refresh(job)
        path = export_jobs.export_file(job)
        with path.open("rb") as handle:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
        result = {
            "status": job.status,
            "seconds": seconds,
            "cpu_seconds": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
            "rss_before_mb": before.ru_maxrss / 1024,
            "rss_peak_mb": after.ru_maxrss / 1024,
            "file_mb": path.stat().st_size / 1e6,
            "lines": lines,
            "responses": (job.result or {}).get("responses"),
        }
        path.unlink()
        db.engine.dispose()
    return result


def bench_database(label: str, database_url: str, sizes: list[int], exports_dir: str) -> None:
    from engage.core.extensions import db
    from engage.surveys.models import Consultation, Response

    env = app_env(database_url)
    flask_command(env, "db", "upgrade")
    flask_command(env, "demo", "load")
    app = _app(database_url, exports_dir)
    with app.app_context():
        consultation = db.session.scalar(select(Consultation).filter_by(slug="wmp2020"))
        have = db.session.scalar(
            select(db.func.count()).select_from(Response).filter_by(consultation_id=consultation.id)
        )
        for size in sizes:
            started = time.perf_counter()
            first_new_id = db.session.scalar(text("SELECT coalesce(max(id), 0) FROM responses"))
            add_responses(db, consultation, size - have, offset=have)
            add_comments(db, consultation, first_new_id)
            have = size
            _analyze(db)
            answers = db.session.scalar(text("SELECT count(*) FROM answers"))
            loaded = time.perf_counter() - started
            done = subprocess.run(
                [sys.executable, __file__, "--export", database_url, str(consultation.id)],
                check=True,
                capture_output=True,
                text=True,
                env={**env, "EXPORTS_DIR": exports_dir},
            )
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"{label}: {size:,} responses, {answers:,} answer rows "
                f"(generated in {loaded:.0f} s)"
                f"\n  export job {figures['status']}: {figures['seconds']:.1f} s "
                f"({figures['responses'] / figures['seconds']:,.0f} responses/s; "
                f"{figures['cpu_seconds']:.1f} s of CPU in the exporting process), "
                f"{figures['lines'] - 1:,} rows, {figures['file_mb']:.0f} MB; peak memory "
                f"{figures['rss_peak_mb']:.0f} MB ({figures['rss_before_mb']:.0f} MB before)",
                flush=True,
            )
        db.engine.dispose()


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--export":
        figures = export_once(sys.argv[2], int(sys.argv[3]), os.environ["EXPORTS_DIR"])
        print(json.dumps(figures))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--pg-database", default="engage_bench_export", help="dropped and created afresh"
    )
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    with tempfile.TemporaryDirectory() as scratch:
        exports_dir = str(Path(scratch) / "exports")
        if args.only in (None, "sqlite"):
            url = fresh_sqlite(Path(scratch) / "export.sqlite")
            bench_database("SQLite", url, sizes, exports_dir)
        if args.only in (None, "postgresql"):
            bench_database("PostgreSQL", fresh_postgres(args.pg_database), sizes, exports_dir)


if __name__ == "__main__":
    main()
