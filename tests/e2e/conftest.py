"""Browser tests: the demo app served on a free port, driven by Debian's headless Chromium.

Without Chromium or axe-core these tests skip with a notice, unless ENGAGE_REQUIRE_BROWSER=1
(set by .ci/run), where a missing browser is a failure.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
STAFF_EMAIL = "e2e-consultation@example.org"
SECOND_CODER_EMAIL = "e2e-second-coder@example.org"
COMMS_EMAIL = "e2e-comms@example.org"
PCC_EMAIL = "e2e-pcc@example.org"
REVIEWER_EMAIL = "e2e-reviewer@example.org"
ADMIN_EMAIL = "e2e-admin@example.org"
STAFF_PASSWORD = "e2e keyboard journey password"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-extensions",
]


def _missing_tools() -> str | None:
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if not AXE.exists():
        return f"no axe-core at {AXE} (npm ci)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    return None


@pytest.fixture(scope="session")
def browser_tools():
    missing = _missing_tools()
    if missing:
        if os.environ.get("ENGAGE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Browser tests are required here but cannot run: {missing}")
        pytest.skip(f"NOTICE: browser tests skipped: {missing}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "engage", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def _wait_until_serving(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120  # a shared, loaded machine takes a while to import
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the app stopped: {log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the app did not start serving at {url}")


@pytest.fixture(scope="session")
def e2e_outbox(tmp_path_factory) -> Path:
    """Where the served app writes its email (no SMTP server is set)."""
    return tmp_path_factory.mktemp("e2e-outbox")


@pytest.fixture(scope="session")
def live_server(browser_tools, tmp_path_factory, e2e_outbox) -> str:
    """The app with the demo loaded, on a fresh SQLite file, as `make run` would serve it."""
    database = tmp_path_factory.mktemp("e2e") / "engage-e2e.sqlite"
    env = {
        **os.environ,
        "MAIL_FILE_PATH": str(e2e_outbox),
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "e2e-secret-key",
        "SUBMISSION_RATE_LIMIT": "1000 per hour",
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "ENGAGE_PASSWORD": STAFF_PASSWORD,
        # The PCC's journeys sign in with a password alone; two-factor has its own tests.
        "STAFF_2FA_REQUIRED_ROLES": "",
    }
    env.pop("FLASK_DEBUG", None)
    _flask(env, "db", "upgrade")
    _flask(env, "demo", "load")
    _flask(env, "users", "create", "--email", STAFF_EMAIL, "--role", "consultation")
    _flask(env, "users", "create", "--email", SECOND_CODER_EMAIL, "--role", "consultation")
    _flask(env, "users", "create", "--email", COMMS_EMAIL, "--role", "comms")
    _flask(env, "users", "create", "--email", PCC_EMAIL, "--role", "pcc")
    _flask(env, "users", "create", "--email", REVIEWER_EMAIL, "--role", "reviewer")
    _flask(env, "users", "create", "--email", ADMIN_EMAIL, "--role", "admin")
    port = _free_port()
    # The server's log goes to a file: a pipe nobody reads fills after some 64 KB of request
    # lines, and the server then blocks mid-request (a page times out late in the suite).
    log = database.parent / "server.log"
    log_file = log.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "engage", "run", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log_file,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(url + "/", server, log)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log_file.close()


@pytest.fixture(scope="session")
def browser(browser_tools):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts (no shared cookies); closes them after the test."""
    contexts = []

    def _open(width: int = 1024, height: int = 800, javascript: bool = True):
        # bypass_csp lets the test inject axe-core; the app's own scripts obey the CSP.
        context = browser.new_context(
            base_url=live_server,
            viewport={"width": width, "height": height},
            bypass_csp=True,
            java_script_enabled=javascript,
        )
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def assert_accessible(page, state: str) -> None:
    """Run axe-core on the page; fail listing every WCAG 2.2 A or AA violation.

    Also check the page's title is plain words: it is what a tab, a bookmark and a screen
    reader announce first.
    """
    # After a click that navigates, the new document may not have a <head> yet to add axe to.
    page.wait_for_load_state("load")
    title = page.title()
    assert title.strip() and not re.search(r"[<>]", title), f"{state}: title {title!r}"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert not violations, f"{state} at {page.url}:\n" + "\n".join(violations)


def sign_in_staff(page, email: str = STAFF_EMAIL) -> None:
    page.goto("/staff/login")
    page.fill("#email", email)
    page.fill("#password", STAFF_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/staff/")
