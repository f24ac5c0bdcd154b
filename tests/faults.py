"""A PostgreSQL cluster and a redis-server of a test's own, on loopback, to stop and start at will.

Fault tests break these, so they never touch the machine's shared servers. Both are fixtures of
module scope (a cluster takes a second or two to create) and skip with a reason where the binaries
are missing. They run in the PostgreSQL leg of `make test` only: on SQLite they would test the
same code again, more slowly.
"""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import flask_migrate
import pytest
import redis

from engage import create_app
from engage.core.extensions import db, limiter

PG_GLOB = "/usr/lib/postgresql/*/bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """`pid` and every process under it, from /proc, parents first."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found = [pid]
    for parent in found:
        found.extend(children.get(parent, []))
    return found


def _pg_bin() -> Path | None:
    found = sorted(glob.glob(PG_GLOB), key=lambda path: int(Path(path).parent.name))
    for candidate in (*reversed(found), *filter(None, [shutil.which("pg_ctl")])):
        directory = Path(candidate) if Path(candidate).is_dir() else Path(candidate).parent
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    return None


class PrivatePostgres:
    """A throwaway cluster in a temporary directory, on a free port of 127.0.0.1.

    initdb refuses to run as root, so as root the cluster belongs to the `postgres` user and its
    commands run through runuser. fsync is off (nothing here survives the test), but commits are
    synchronous, so an immediate stop loses nothing a client was told was committed.
    """

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.port = free_port()
        self.home = Path(tempfile.mkdtemp(prefix="engage-faults-pg-"))
        self.data = self.home / "data"
        self.log = self.home / "server.log"
        self.url = f"postgresql+psycopg://engage@127.0.0.1:{self.port}/engage"

    def _run(self, *command: str, timeout: float = 60) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [*prefix, *command], check=True, timeout=timeout, capture_output=True, cwd=self.home
        )

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.home, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "engage", "-A", "trust",
            "-E", "UTF8", "--no-sync", "--no-instructions",
        )  # fmt: skip
        self.start()
        self._run(
            str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "engage",
            "engage",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.home} -c fsync=off"
            " -c full_page_writes=off"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
            "-o", options, "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; `immediate` is a crash as far as clients and the data can tell."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.home, ignore_errors=True)


class PrivateRedis:
    """A redis-server on a free port that persists nothing, to stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = ["timeout", "900", "redis-server", "--port", str(self.port)]
        command += ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
            finally:
                client.close()

    def pause(self) -> None:
        """SIGSTOP the server: it accepts connections and answers nothing, as when hung."""
        for pid in descendants(self.process.pid)[1:]:
            os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        for pid in descendants(self.process.pid)[1:]:
            os.kill(pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None:
            # SIGTERM, which `timeout` passes on to redis-server (a SIGKILL would stop only it).
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture(scope="module")
def postgres_leg(database_url):
    """Skip on the SQLite leg of `make test`: these tests run once, in the PostgreSQL leg."""
    if not database_url.startswith("postgresql"):
        pytest.skip("fault tests run in the PostgreSQL leg of make test (set TEST_DATABASE_URL)")


@pytest.fixture(scope="module")
def private_postgres(postgres_leg):
    bin_dir = _pg_bin()
    if bin_dir is None or (os.geteuid() == 0 and not shutil.which("runuser")):
        pytest.skip("PostgreSQL's initdb and pg_ctl are not installed")
    cluster = PrivatePostgres(bin_dir)
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(scope="module")
def private_redis(postgres_leg):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


def private_app(session_app, url: str, **overrides):
    """An app on the private cluster, its schema built by the migrations as the suite's is."""
    from tests.conftest import test_config  # conftest imports this module's fixtures

    made = create_app(test_config(url, **overrides))
    with made.app_context():
        flask_migrate.upgrade()
    yield made
    with made.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    # Flask-Limiter keeps one state for every app it serves: hand it back to the session app.
    limiter.init_app(session_app)
