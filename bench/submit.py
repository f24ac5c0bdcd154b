"""Sustained online submissions per second and p95 latency, engage against a bare endpoint.

For SQLite and PostgreSQL in turn: a fresh database with the demo loaded, engage served by
gunicorn, and beside it bench/bare_app.py (Flask + SQLAlchemy inserting the same rows, nothing
else). A second process sends the same answers to each from concurrent clients and prints
requests per second, median and p95 latency, and engage's rate as a share of the bare one,
in alternating rounds (bare, engage, bare, engage...) so drift in the machine's speed hits both.

    .venv/bin/python bench/submit.py [--seconds 10] [--clients 8] [--workers 2] [--rounds 7]
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    SECRET_KEY,
    SLUG,
    app_env,
    clients_sending,
    flask_command,
    fresh_postgres,
    fresh_sqlite,
    percentile,
    start_gunicorn,
    stop,
)


def _answers(database_url: str) -> tuple[int, dict]:
    """The demo consultation's id and a typical response: an option for every choice question
    and a short comment."""
    from engage import create_app
    from engage.core.extensions import db
    from engage.surveys.models import Consultation, QuestionKind

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        consultation = db.session.scalar(db.select(Consultation).filter_by(slug=SLUG))
        form = {"area": "birmingham", "consent": "yes"}
        for number, question in enumerate(consultation.questions):
            if question.kind == QuestionKind.FREE_TEXT:
                form[question.field_name] = "More neighbourhood officers, please."
            else:
                form[question.field_name] = str(question.options[number % len(question.options)].id)
        consultation_id = consultation.id
        db.engine.dispose()
    return consultation_id, form


def _server_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) used so far by gunicorn's master and its workers."""
    pids = [master_pid]
    for task in Path(f"/proc/{master_pid}/task").iterdir():
        pids += [int(child) for child in (task / "children").read_text().split()]
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(base_url, path, form, engage, clients, seconds, server_pid) -> dict:
    queue = multiprocessing.Queue()
    for warmup in (True, False):
        cpu_before = _server_cpu_seconds(server_pid)
        process = multiprocessing.Process(
            target=clients_sending,
            args=([base_url], path, form, engage, clients, 3 if warmup else seconds, queue),
        )
        process.start()
        latencies, errors = queue.get()
        process.join()
    cpu = _server_cpu_seconds(server_pid) - cpu_before
    return {
        "rate": len(latencies) / seconds,
        "p50": percentile(latencies, 0.5) * 1000,
        "p95": percentile(latencies, 0.95) * 1000,
        "errors": len(errors),
        # The server's own CPU per stored response (workers and master): unlike the rate, it
        # hardly moves when the shared machine speeds up or slows down.
        "cpu_ms": cpu / max(1, len(latencies)) * 1000,
    }


def bench_database(label, database_url, args) -> None:
    """Alternate bare and engage runs, so a machine that speeds up or slows down during the
    benchmark (shared cores do) affects both alike; report each one's median round."""
    env = app_env(database_url)
    flask_command(env, "db", "upgrade")
    flask_command(env, "demo", "load")
    consultation_id, form = _answers(database_url)
    targets = (
        ("bare", "bench.bare_app:create_bare_app()", f"/consultations/{consultation_id}/send"),
        ("engage", "engage:create_app()", f"/consultations/{SLUG}/send"),
    )
    rounds: dict[str, list[dict]] = {"bare": [], "engage": []}
    waiting = 0
    for number in range(1, args.rounds + 1):
        for target, spec, path in targets:
            engage = target == "engage"
            if engage:
                flask_command(env, "results", "fold")  # the bare endpoint's rows, out of the way
            server, url = start_gunicorn(spec, env, args.workers)
            try:
                f = measure(url, path, form, engage, args.clients, args.seconds, server.pid)
                if engage:
                    waiting = _awaiting_tally(env)
            finally:
                stop(server)
            rounds[target].append(f)
            print(
                f"{label:<11} round {number} {target:<7} {f['rate']:8.1f}/s  "
                f"p50 {f['p50']:6.1f} ms  p95 {f['p95']:6.1f} ms  "
                f"server CPU {f['cpu_ms']:5.2f} ms/response  errors {f['errors']}",
                flush=True,
            )
    pairs = list(zip(*rounds.values(), strict=True))
    shares = [e["rate"] / b["rate"] * 100 for b, e in pairs]
    cpu_shares = [b["cpu_ms"] / e["cpu_ms"] * 100 for b, e in pairs]
    for target, runs in rounds.items():
        middle = sorted(runs, key=lambda f: f["rate"])[len(runs) // 2]
        print(
            f"{label:<11} {target:<7} median round {middle['rate']:8.1f}/s  "
            f"p50 {middle['p50']:6.1f} ms  p95 {middle['p95']:6.1f} ms  "
            f"server CPU {statistics.median(f['cpu_ms'] for f in runs):5.2f} ms/response"
        )
    print(
        f"{label:<11} engage reaches {statistics.median(shares):.0f}% of the bare endpoint's "
        f"rate (median of rounds; {min(shares):.0f}-{max(shares):.0f}%; aim: 70%)"
    )
    print(
        f"{label:<11} bare's server CPU per response is {statistics.median(cpu_shares):.0f}% "
        f"of engage's (median of rounds; {min(cpu_shares):.0f}-{max(cpu_shares):.0f}%)"
    )
    print(
        f"{label:<11} responses not yet folded into the tallies when the last load stopped: "
        f"{waiting} (results count them anyway)"
    )
    verdict = flask_command(env, "results", "verify", "--consultation", SLUG).strip()
    print(f"{label:<11} results verify: {verdict}\n")


def _awaiting_tally(env: dict) -> int:
    """Responses stored but not yet folded into the tallies."""
    from engage import create_app
    from engage.core.extensions import db
    from engage.surveys.services import tallies

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        waiting = tallies.count_pending()
        db.engine.dispose()
    return waiting


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    print(
        f"{args.clients} clients, gunicorn {args.workers} sync workers, {args.rounds} rounds "
        f"of bare then engage, {args.seconds} s per run after a 3 s warm-up\n"
    )
    with tempfile.TemporaryDirectory() as scratch:
        if args.only in (None, "sqlite"):
            bench_database("SQLite", fresh_sqlite(Path(scratch) / "bench.sqlite"), args)
        if args.only in (None, "postgresql"):
            bench_database("PostgreSQL", fresh_postgres("engage_bench_submit"), args)


if __name__ == "__main__":
    main()
