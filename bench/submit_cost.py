"""What one online submission costs the server, in CPU instructions, engage against bare.

bench/submit.py's rates move by a third from run to run on a shared machine; instruction counts
do not. For the bare endpoint, engage, and engage with one feature switched off at a time (to
show what each costs: the rate limit, the CSRF check, the receipt kept in the session for the
confirmation page, the comment's sentiment), this sends the same answers in-process through
Flask's test client under valgrind's callgrind, once with 100 and once with 300 submissions,
and prints the difference per submission: start-up and warm-up cancel out. It leaves out what
both servers spend alike on HTTP (gunicorn, sockets) and the time spent waiting for the
database's disk.

    .venv/bin/python bench/submit_cost.py [--only sqlite|postgresql]

Each run takes a minute or two under valgrind; the variants run two at a time.
"""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    ROOT,
    app_env,
    csrf_token_in,
    flask_command,
    fresh_postgres,
    fresh_sqlite,
    new_form_token,
)

SMALL, LARGE = 100, 300
# The settings each engage variant runs with; None is the bare endpoint.
VARIANTS = {
    "bare": None,
    "engage": {},
    "engage, no rate limit": {"RATELIMIT_ENABLED": False},
    "engage, no CSRF check": {"WTF_CSRF_ENABLED": False},
    "engage, no receipt": {},
    "engage, no sentiment": {},
}
# What each feature is called in the summary, by the variant that goes without it.
FEATURES = {
    "engage, no rate limit": "the rate limit",
    "engage, no CSRF check": "the CSRF check",
    "engage, no receipt": "the receipt in the session",
    "engage, no sentiment": "the comment's sentiment",
}


def _without_receipt() -> None:
    """Keep the receipt in a throwaway dict instead of the session, so the session cookie is
    not saved again (the confirmation page then shows nothing): what saving it costs."""
    from engage.surveys.views import public

    public.session = {}


def _without_sentiment() -> None:
    """Comments are scored in the fold after the reply (answer_sentiment.py), in the same
    process: skip that scoring."""
    from engage.surveys.services import answer_sentiment

    answer_sentiment.score_answers_of = lambda response_ids: 0


# Features with no setting to switch them off are patched out, in the measured process only.
PATCHES = {"engage, no receipt": _without_receipt, "engage, no sentiment": _without_sentiment}


def submit(variant: str, count: int) -> None:
    """Runs under valgrind: `count` submissions after 20 unmeasured ones."""
    from bench.bare_app import create_bare_app
    from bench.common import SLUG
    from bench.submit import _answers
    from engage import create_app

    consultation_id, form = _answers(os.environ["DATABASE_URL"])
    overrides = VARIANTS[variant]
    if variant in PATCHES:
        PATCHES[variant]()
    app = create_bare_app() if overrides is None else create_app(overrides)
    path = f"/consultations/{consultation_id}/send"
    client = app.test_client()
    data = dict(form)
    if overrides is not None:
        path = f"/consultations/{SLUG}/send"
        page = client.get(f"/consultations/{SLUG}").get_data(as_text=True)
        data["csrf_token"] = csrf_token_in(page)
    tokens = [new_form_token() for _ in range(count + 20)]
    for token in tokens:
        data["form_token"] = token
        reply = client.post(path, data=data)
        assert reply.status_code == 303, reply.status_code


def _instructions(variant: str, count: int, database_url: str, scratch: Path) -> int:
    if database_url.startswith("sqlite"):
        # A copy each, so runs side by side do not wait for each other's writes.
        source = Path(database_url.removeprefix("sqlite:///"))
        copy = scratch / f"run-{secrets.token_hex(4)}.sqlite"
        shutil.copy(source, copy)
        database_url = f"sqlite:///{copy}"
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--run",
            variant,
            str(count),
        ],
        env=app_env(database_url),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(re.search(r"Collected : (\d+)", done.stderr).group(1))


def bench_database(label: str, database_url: str, scratch: Path) -> None:
    env = app_env(database_url)
    flask_command(env, "db", "upgrade")
    flask_command(env, "demo", "load")
    runs = [(variant, count) for variant in VARIANTS for count in (SMALL, LARGE)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        totals = dict(
            zip(
                runs,
                pool.map(lambda run: _instructions(*run, database_url, scratch), runs),
                strict=True,
            )
        )
    per_submission = {
        variant: (totals[variant, LARGE] - totals[variant, SMALL]) / (LARGE - SMALL)
        for variant in VARIANTS
    }
    engage = per_submission["engage"]
    for variant, cost in per_submission.items():
        print(f"{label:<11} {variant:<22} {cost / 1e6:5.2f} M instructions per submission")
    parts = ", ".join(
        f"{feature} {(engage - per_submission[variant]) / 1e6:.2f} M"
        for variant, feature in FEATURES.items()
    )
    print(
        f"{label:<11} bare's cost is {per_submission['bare'] / engage * 100:.0f}% of engage's; "
        f"of engage's, {parts}\n"
    )


def main() -> None:
    if sys.argv[1:2] == ["--run"]:
        submit(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        if args.only in (None, "sqlite"):
            bench_database("SQLite", fresh_sqlite(scratch / "cost.sqlite"), scratch)
        if args.only in (None, "postgresql"):
            bench_database("PostgreSQL", fresh_postgres("engage_bench_cost"), scratch)


if __name__ == "__main__":
    main()
