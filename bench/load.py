"""Load and soak: two engage instances on one PostgreSQL and one Redis, driven from another process.

1. Rising load. Two gunicorn instances of engage (2 sync workers each, rate limits and jobs on
   Redis, as deployed) and, beside them, the bare endpoint (bench/bare_app.py: Flask and
   SQLAlchemy inserting the same rows, nothing else), each sent public survey submissions by
   1, 2, 4, 8 and 16 concurrent clients spread over the instances. Prints, per step, the
   sustained submissions per second, p50 and p95 latency and errors. The maximum is the best
   rate reached with no errors and a p95 under a second.
2. Soak. Then `--soak-seconds` (default 300) of mixed load paced to 80% of that maximum in
   answers, each of them the send and its confirmation page (read for the reference): two
   requests where the rising steps make one, so the soak asks more of the servers than the
   steps did. Beside them, staff opening the
   results page, comms opening the campaign dashboard, and an import job of
   `--import-posts` posts uploaded through the comms page and run by an RQ worker meanwhile.
   Every 10 s it samples each gunicorn worker's resident memory. At the end it checks that
   every reference a confirmation page showed is stored, and prints errors, latencies per kind
   of request, the workers' memory at the start and end, and the import job's outcome.

    .venv/bin/python bench/load.py [--steps 1,2,4,8,16] [--step-seconds 10]
        [--soak-seconds 300] [--import-posts 6000] [--pg-database engage_bench_load]
"""

import argparse
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    ROOT,
    SECRET_KEY,
    SLUG,
    app_env,
    clients_sending,
    csrf_token_in,
    flask_command,
    fresh_postgres,
    new_form_token,
    percentile,
    start_gunicorn,
    stop,
)
from bench.social_import import write_pages  # noqa: E402
from bench.submit import _answers  # noqa: E402

REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
STAFF_EMAIL, STAFF_PASSWORD = "load-staff@example.org", "bench load staff password 42"
COMMS_EMAIL = "load-comms@example.org"
REFERENCE = re.compile(r'id="reference">([^<]+)<')
# WTForms writes its hidden field's attributes in its own order (id, name, type, value).
FORM_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
MAX_P95_MS = 1000


def _run_step(urls, path, form, engage, clients, seconds) -> dict:
    queue = multiprocessing.Queue()
    process = multiprocessing.Process(
        target=clients_sending, args=(urls, path, form, engage, clients, seconds, queue)
    )
    process.start()
    latencies, errors = queue.get()
    process.join()
    return {
        "clients": clients,
        "rate": len(latencies) / seconds,
        "p50": percentile(latencies, 0.5) * 1000,
        "p95": percentile(latencies, 0.95) * 1000,
        "errors": len(errors),
        "kinds": sorted({str(e) for e in errors}),
    }


def rising(label, urls, path, form, engage, steps, seconds) -> float:
    """Print each step; return the best rate with no errors and p95 under MAX_P95_MS."""
    best = 0.0
    for clients in steps:
        f = _run_step(urls, path, form, engage, clients, seconds)
        print(
            f"  {label:<28} {clients:>2} clients {f['rate']:7.1f}/s  p50 {f['p50']:6.1f} ms  "
            f"p95 {f['p95']:7.1f} ms  errors {f['errors']} {' '.join(f['kinds'])}",
            flush=True,
        )
        if not f["errors"] and f["p95"] < MAX_P95_MS:
            best = max(best, f["rate"])
    return best


def _signed_in(url: str, email: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{url}/staff/login").text
    token = FORM_CSRF.search(page).group(1)
    reply = session.post(
        f"{url}/staff/login",
        data={"csrf_token": token, "email": email, "password": STAFF_PASSWORD},
        allow_redirects=False,
    )
    assert reply.status_code in (302, 303), f"{email} could not sign in: {reply.status_code}"
    return session


class Soak:
    """The mixed load, paced: each kind of request has its own threads and interval."""

    def __init__(self, urls, form, consultation_id, stop_at):
        self.urls, self.form, self.stop_at = urls, form, stop_at
        self.consultation_id = consultation_id
        self.latencies: dict[str, list[float]] = {}
        self.errors: dict[str, list] = {}
        self.references: list[str] = []
        self.lock = threading.Lock()

    def _record(self, kind, started, ok, detail=None):
        with self.lock:
            if ok:
                self.latencies.setdefault(kind, []).append(time.perf_counter() - started)
            else:
                self.errors.setdefault(kind, []).append(detail)

    def _paced(self, interval, index, send):
        """Call `send(url)` every `interval` seconds (from a random phase) until the end."""
        next_at = time.perf_counter() + (index * 0.137) % interval
        n = index
        while True:
            now = time.perf_counter()
            if now >= self.stop_at:
                return
            if now < next_at:
                time.sleep(min(next_at - now, self.stop_at - now))
                continue
            next_at += interval
            send(self.urls[n % len(self.urls)])
            n += 1

    def answer(self, index, interval):
        session = requests.Session()
        data = dict(self.form)
        data["csrf_token"] = csrf_token_in(session.get(f"{self.urls[0]}/consultations/{SLUG}").text)

        def send(url):
            data["form_token"] = new_form_token()
            started = time.perf_counter()
            try:
                reply = session.post(f"{url}/consultations/{SLUG}/send", data=data, timeout=30)
            except requests.RequestException as error:
                return self._record("answer", started, False, type(error).__name__)
            found = REFERENCE.search(reply.text) if reply.status_code == 200 else None
            if found:
                with self.lock:
                    self.references.append(found.group(1))
            self._record("answer", started, bool(found), reply.status_code)

        self._paced(interval, index, send)

    def page(self, kind, session, path, index, interval):
        def send(url):
            started = time.perf_counter()
            try:
                reply = session.get(f"{url}{path}", timeout=30)
            except requests.RequestException as error:
                return self._record(kind, started, False, type(error).__name__)
            self._record(kind, started, reply.status_code == 200, reply.status_code)

        self._paced(interval, index, send)


def _worker_rss_mb(master_pid: int) -> list[float]:
    """Resident memory of each of a gunicorn master's workers."""
    sizes = []
    for task in Path(f"/proc/{master_pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
    return sizes


def _upload_import(url: str, path: Path) -> str:
    """Upload a file of posts as comms would; return the job page's address."""
    session = _signed_in(url, COMMS_EMAIL)
    page = session.get(f"{url}/staff/social/{SLUG}/setup").text
    with path.open("rb") as handle:
        reply = session.post(
            f"{url}/staff/social/{SLUG}/imports",
            data={"csrf_token": FORM_CSRF.search(page).group(1), "file_format": "x-jsonl"},
            files={"file": (path.name, handle, "application/x-ndjson")},
            allow_redirects=False,
        )
    assert reply.status_code == 303, f"the import was not started: {reply.status_code}"
    return reply.headers["Location"]


def _references_stored(env: dict, references: list[str]) -> int:
    from engage import create_app
    from engage.core.extensions import db
    from engage.surveys.models import Response

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": SECRET_KEY})
    found = 0
    with app.app_context():
        for start in range(0, len(references), 1000):
            batch = references[start : start + 1000]
            found += db.session.scalar(
                db.select(db.func.count()).where(Response.reference.in_(batch))
            )
        db.engine.dispose()
    return found


def soak(env, urls, masters, form, consultation_id, rate, args) -> None:
    answer_rate = 0.8 * rate
    answer_threads = max(1, min(16, int(answer_rate // 4) or 1))
    stop_at = time.perf_counter() + args.soak_seconds
    load = Soak(urls, form, consultation_id, stop_at)
    staff = _signed_in(urls[0], STAFF_EMAIL)
    comms = _signed_in(urls[1], COMMS_EMAIL)
    with tempfile.TemporaryDirectory() as scratch:
        posts = Path(scratch) / "posts.jsonl"
        write_pages(posts, args.import_posts)
        job_page = _upload_import(urls[1], posts)
    threads = [
        threading.Thread(target=load.answer, args=(i, answer_threads / answer_rate))
        for i in range(answer_threads)
    ]
    threads += [
        threading.Thread(
            target=load.page,
            args=("results page", staff, f"/staff/consultations/{consultation_id}/results", 0, 2),
        ),
        threading.Thread(
            target=load.page, args=("campaign dashboard", comms, f"/staff/social/{SLUG}", 1, 2)
        ),
    ]
    print(
        f"\nsoak: {args.soak_seconds} s at 80% of the maximum ({answer_rate:.1f} answers/s from "
        f"{answer_threads} paced clients), a results page and a dashboard every 2 s, and an "
        f"import of {args.import_posts:,} posts",
        flush=True,
    )
    memory = [[statistics.mean(_worker_rss_mb(m)) for m in masters]]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        time.sleep(10)
        memory.append([statistics.mean(_worker_rss_mb(m)) for m in masters])
    for kind, values in sorted(load.latencies.items()):
        errors = load.errors.get(kind, [])
        print(
            f"  {kind:<20} {len(values):6,} ok  p50 {percentile(values, 0.5) * 1000:6.1f} ms  "
            f"p95 {percentile(values, 0.95) * 1000:7.1f} ms  "
            f"errors {len(errors)} {sorted(set(map(str, errors)))}"
        )
    rising_mb = [round(end - start, 1) for start, end in zip(memory[0], memory[-1], strict=True)]
    print(
        f"  mean worker memory per instance: start {[round(m) for m in memory[0]]} MB, "
        f"end {[round(m) for m in memory[-1]]} MB, change {rising_mb} MB, "
        f"peak {[round(max(row[i] for row in memory)) for i in range(len(masters))]} MB"
    )
    answered = len(load.latencies.get("answer", []))
    print(
        f"  answers sent at {answered / args.soak_seconds:.1f}/s of the {answer_rate:.1f}/s "
        "aimed at (each answer is the send and its confirmation page: two requests)"
    )
    stored = _references_stored(env, load.references)
    print(
        f"  acknowledged answers: {len(load.references):,}; stored: {stored:,} "
        f"({'every one' if stored == len(load.references) else 'MISSING SOME'})"
    )
    job = job_title(comms, f"{urls[1]}{job_page}")
    print(f"  import job at the end: {job}")


def job_title(session: requests.Session, url: str) -> str:
    """The job page's status line, in a few words."""
    text = session.get(url).text
    found = re.search(r"<title>([^<]+)</title>", text)
    return found.group(1).strip() if found else "(no title on the job page)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default="1,2,4,8,16")
    parser.add_argument("--step-seconds", type=int, default=10)
    parser.add_argument("--soak-seconds", type=int, default=300)
    parser.add_argument("--import-posts", type=int, default=6_000)  # under the 5 MB upload limit
    parser.add_argument("--pg-database", default="engage_bench_load")
    args = parser.parse_args()
    steps = [int(n) for n in args.steps.split(",")]
    database_url = fresh_postgres(args.pg_database)
    env = app_env(
        database_url,
        RATELIMIT_STORAGE_URI=f"{REDIS}/0",
        JOB_QUEUE_URL=f"{REDIS}/6",
        STAFF_2FA_REQUIRED_ROLES="",
        ENGAGE_PASSWORD=STAFF_PASSWORD,
    )
    flask_command(env, "db", "upgrade")
    flask_command(env, "demo", "load")
    flask_command(env, "users", "create", "--email", STAFF_EMAIL, "--role", "consultation")
    flask_command(env, "users", "create", "--email", COMMS_EMAIL, "--role", "comms")
    consultation_id, form = _answers(database_url)
    print("2 engage instances (gunicorn, 2 sync workers each) on PostgreSQL and Redis\n")

    bare, bare_url = start_gunicorn("bench.bare_app:create_bare_app()", env, 2)
    try:
        best_bare = rising(
            "bare endpoint",
            [bare_url],
            f"/consultations/{consultation_id}/send",
            form,
            False,
            steps,
            args.step_seconds,
        )
    finally:
        stop(bare)
    flask_command(env, "results", "fold")
    servers = [start_gunicorn("engage:create_app()", env, 2) for _ in range(2)]
    worker = subprocess.Popen([sys.executable, "-m", "engage.jobs.worker"], env=env, cwd=ROOT)
    urls = [url for _, url in servers]
    try:
        best = rising(
            "engage (2 instances)",
            urls,
            f"/consultations/{SLUG}/send",
            form,
            True,
            steps,
            args.step_seconds,
        )
        print(
            f"\nmaximum sustained (no errors, p95 < {MAX_P95_MS} ms): engage {best:.1f}/s "
            f"over two instances; the bare endpoint {best_bare:.1f}/s on one",
            flush=True,
        )
        soak(env, urls, [server.pid for server, _ in servers], form, consultation_id, best, args)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        for server, _ in servers:
            stop(server)
    print(
        "  results verify:", flask_command(env, "results", "verify", "--consultation", SLUG).strip()
    )


if __name__ == "__main__":
    main()
