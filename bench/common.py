"""Shared by the benchmarks: fresh databases, the engage CLI, servers on free ports."""

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psycopg
import requests
from itsdangerous import URLSafeTimedSerializer

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgresql://root@127.0.0.1:5432/postgres")
SECRET_KEY = "bench-secret-key"
SLUG = "wmp2020"  # the consultation the submission benchmarks answer
# Signs form tokens as engage.surveys.services.form_tokens does, with the same salt.
_FORM_TOKEN_SIGNER = URLSafeTimedSerializer(SECRET_KEY, salt="engage.form-token")


def fresh_postgres(name: str) -> str:
    """Drop and create a PostgreSQL database; return its SQLAlchemy URL."""
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    host_part = PG_ADMIN_URL.split("://", 1)[1].rsplit("/", 1)[0]
    return f"postgresql+psycopg://{host_part}/{name}"


def fresh_sqlite(path: Path) -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def app_env(database_url: str, **extra: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "SUBMISSION_RATE_LIMIT": "1000000 per hour",
        # As deployed (README): counters shared by every worker through Redis.
        "RATELIMIT_STORAGE_URI": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "PYTHONPATH": str(ROOT),
    }
    env.update(extra)
    return env


def flask_command(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "engage", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(app_spec: str, env: dict, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app_spec,
        ],
        env=env,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # importing engage takes a while on a loaded machine
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/", timeout=2):
                return server, url
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"gunicorn did not start {app_spec}")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=15)


def new_form_token() -> str:
    """A fresh one-time form token, as engage's survey page would have issued it."""
    return _FORM_TOKEN_SIGNER.dumps(secrets.token_hex(16))


def csrf_token_in(page: str) -> str:
    """The CSRF token of a form engage rendered, for the client to send back."""
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def send_answers(urls, path, form, engage, stop_at, latencies, errors, first=0) -> None:
    """One client: post `form` to `path` until `stop_at`, round-robin over the servers at `urls`
    from the `first`; each stored response's latency goes to `latencies`, anything else to
    `errors`. Against engage (`engage`), it fetches the page's CSRF token first and counts only
    a redirect to the confirmation as stored."""
    session = requests.Session()
    data = dict(form)
    if engage:
        data["csrf_token"] = csrf_token_in(session.get(f"{urls[0]}/consultations/{SLUG}").text)
    n = first
    while time.perf_counter() < stop_at:
        url = urls[n % len(urls)]
        n += 1
        data["form_token"] = new_form_token()
        started = time.perf_counter()
        try:
            reply = session.post(f"{url}{path}", data=data, allow_redirects=False, timeout=30)
        except requests.RequestException as error:
            errors.append(type(error).__name__)
            continue
        if reply.status_code == 303 and (not engage or "confirmation" in reply.headers["Location"]):
            latencies.append(time.perf_counter() - started)
        else:
            errors.append(reply.status_code)


def clients_sending(urls, path, form, engage, clients, seconds, results) -> None:
    """In its own process (so the clients' Python does not share a GIL with the caller):
    `clients` threads of send_answers for `seconds`; puts (latencies, errors) on `results`."""
    latencies: list[float] = []
    errors: list = []
    stop_at = time.perf_counter() + seconds
    threads = [
        threading.Thread(
            target=send_answers, args=(urls, path, form, engage, stop_at, latencies, errors, i)
        )
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((latencies, errors))
