"""Every page engage serves passes axe-core's WCAG 2.2 A and AA checks in Chromium: each GET
route in `flask routes`, as a user the access table lets see it, over the route walk's seeded
database (one of everything) and again over an empty one (the empty states); public pages also
reflow at 320 px wide, which is 1,280 px at 400% zoom, without scrolling sideways.

The browser's requests are answered in-process by that user's Flask test client (Playwright's
request routing), so the walk uses the same seed, ids and sign-ins as the route-by-role test and
runs on whichever database the suite does.
"""

import json
from datetime import date

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from engage.core.config import ACCESSIBILITY_AUDIT_RECORD
from tests.access_seed import USERS
from tests.e2e.conftest import AXE, assert_accessible
from tests.test_trust_route_access import OK, ROUTES, SIGN_OUTS, signed_in, url_of

pytestmark = pytest.mark.e2e

ORIGIN = "http://engage.test"
# Who looks at a page: the first user in this order the access table lets in, so public pages
# are seen as the public sees them and staff pages by the narrowest role that may.
LOOKERS = ("anonymous", "group", "consultation", "comms", "pcc", "reviewer", "admin")
NOT_PAGES = {
    "static",
    "web.favicon",
    "web.plotly_js",
    "health.healthz",
    "health.readyz",
    "surveys.kiosk_service_worker",  # a script, not a page
}
REFLOW = {"width": 320, "height": 640}


def _answer_from(client):
    """A Playwright route handler that answers every request from a Flask test client."""

    def answer(route):
        request = route.request
        response = client.open(
            request.url.removeprefix(ORIGIN),
            method=request.method,
            data=request.post_data_buffer,
            # Chromium does not route the request a fulfilled redirect leads to: follow it here.
            follow_redirects=True,
            headers={key: value for key, value in request.headers.items() if key != "host"},
        )
        route.fulfill(
            status=response.status_code,
            headers=dict(response.headers),
            body=response.get_data(),
        )
        response.close()

    return answer


def _pages(app, seeded, with_ids: bool) -> list[tuple[str, str]]:
    """(url, who looks) for every HTML page the table lets someone see."""
    pages = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES | SIGN_OUTS:
            continue
        if rule.arguments and not with_ids:
            continue
        allowed = ROUTES[rule.endpoint]["GET"]
        looker = next((user for user in LOOKERS if allowed.get(user) == OK), None)
        if looker is not None:
            pages.append((url_of(app, rule, seeded) if rule.arguments else rule.rule, looker))
    return pages


def _walk(app, browser, seeded, pages, width=1024, height=800) -> tuple[int, list[str]]:
    """Open each page as its user; return how many were HTML pages checked, and the failures."""
    contexts, clients, checked, failures = {}, {}, 0, []
    try:
        for url, user in pages:
            if user not in contexts:
                clients[user] = signed_in(app, user, seeded)
                context = browser.new_context(
                    base_url=ORIGIN, viewport={"width": width, "height": height}, bypass_csp=True
                )
                context.route("**/*", _answer_from(clients[user]))
                contexts[user] = context.new_page()
            probe = clients[user].get(url)
            probe.close()
            if probe.mimetype != "text/html":
                continue  # a download (CSV, PDF, a grant document): no page to check
            page = contexts[user]
            response = page.goto(url)
            checked += 1
            try:
                assert response.status == 200, f"status {response.status}"
                assert_accessible(page, f"{url} as {user}")
                if width <= REFLOW["width"]:
                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth - window.innerWidth"
                    )
                    assert overflow <= 0, f"scrolls sideways by {overflow}px at {width}px"
            except AssertionError as failure:
                failures.append(f"{url} as {user}: {failure}")
    finally:
        for page in contexts.values():
            page.context.close()
    return checked, failures


@pytest.fixture
def walk_seed(app, make_consultation, make_event, make_response, make_campaign):
    from tests.access_seed import seed

    with app.app_context():
        return seed(make_consultation, make_event, make_response, make_campaign)


def test_every_page_with_data_has_no_wcag_violations(app, browser, walk_seed):
    pages = _pages(app, walk_seed, with_ids=True)
    checked, failures = _walk(app, browser, walk_seed, pages)
    assert not failures, "\n".join(failures)
    assert checked >= 60, f"only {checked} pages were HTML: is the walk still reaching them?"
    print(f"\naxe-core: {checked} pages with data, 0 violations")
    _record_clean_audit(checked)


def _record_clean_audit(pages: int) -> None:
    """Date the accessibility statement's "last tested on" by this clean run."""
    axe = json.loads((AXE.parent / "package.json").read_text())["version"]
    record = {"last_audit": date.today().isoformat(), "pages": pages, "axe_core": axe}
    ACCESSIBILITY_AUDIT_RECORD.write_text(json.dumps(record, indent=2) + "\n")


@pytest.fixture
def people_only(app):
    """The route walk's people, and nothing else: the lists and dashboards show empty states."""
    from engage.core.extensions import db
    from tests.access_seed import GROUPS, STAFF_ROLES, Seeded
    from tests.grants import make_group, staff_actor

    with app.app_context():
        emails = {
            name: staff_actor(role, f"{name}@example.org").staff.email
            for name, role in STAFF_ROLES.items()
        }
        make_group(GROUPS["group"])
        make_group(GROUPS["group2"], name="Foleshill Residents")
        db.session.commit()
    return Seeded(emails=emails | GROUPS)


def test_every_page_in_its_empty_state_has_no_wcag_violations(app, browser, people_only):
    pages = _pages(app, people_only, with_ids=False)
    checked, failures = _walk(app, browser, people_only, pages)
    assert not failures, "\n".join(failures)
    assert checked >= 20, f"only {checked} pages were HTML: is the walk still reaching them?"
    print(f"\naxe-core: {checked} pages with nothing in the database yet, 0 violations")


def test_every_public_page_reflows_at_320_px(app, browser, walk_seed):
    pages = [(url, user) for url, user in _pages(app, walk_seed, True) if user == "anonymous"]
    checked, failures = _walk(app, browser, walk_seed, pages, **REFLOW)
    assert not failures, "\n".join(failures)
    assert checked >= 8
    assert set(USERS) >= {user for _, user in pages}


# Whether focus changes how the focused element looks (its outline, shadow, colours or
# underline), compared with the same element blurred: a focus style that is only a transparent
# outline, or a shadow the element always has, does not count.
FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const look = () => {
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 &&
      s.outlineColor !== 'rgba(0, 0, 0, 0)' ? s.outlineColor + s.outlineWidth : '';
    return [outline, s.boxShadow, s.backgroundColor, s.color, s.textDecorationLine].join('|');
  };
  const focused = look();
  el.blur();
  const blurred = look();
  el.focus();
  const label = el.tagName + (el.name ? '[name=' + el.name + ']' : '') + ' ' +
    (el.innerText || el.value || '').trim().slice(0, 30);
  return {shown: focused !== blurred, label: label};
}"""
MAX_TABS = 80  # per page: past the header, the whole form and the footer of any public page


def _public_and_group_pages(app, browser, seeded, **viewport):
    """Open each HTML page the public or a group sees, as that user; yield (url, user, page),
    closing each page after its turn."""
    users = ("anonymous", "group")
    pages = [(url, user) for url, user in _pages(app, seeded, True) if user in users]
    clients = {user: signed_in(app, user, seeded) for user in users}
    context = browser.new_context(base_url=ORIGIN, bypass_csp=True, **viewport)
    try:
        for url, user in pages:
            context.unroute("**/*")
            context.route("**/*", _answer_from(clients[user]))
            probe = clients[user].get(url)
            probe.close()
            if probe.mimetype != "text/html":
                continue
            page = context.new_page()
            page.goto(url)
            yield url, user, page
            page.close()
    finally:
        context.close()


def test_focus_is_always_visible_tabbing_through_public_and_group_pages(app, browser, walk_seed):
    hidden, tabbed, pages = [], 0, 0
    for url, user, page in _public_and_group_pages(app, browser, walk_seed):
        pages += 1
        seen = set()
        for _ in range(MAX_TABS):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUS_SHOWN)
            if focused is None or focused["label"] in seen:
                break  # back at the start: every control has had the focus
            seen.add(focused["label"])
            tabbed += 1
            if not focused["shown"]:
                hidden.append(f"{url} as {user}: no visible focus on {focused['label']}")
    assert not hidden, "\n".join(hidden)
    assert tabbed >= 100
    print(f"\nfocus: {tabbed} controls on {pages} public and group pages, all visible")


# Text that overflows a box which hides or clips it: content lost when text grows.
CLIPPED = """() => [...document.querySelectorAll('body *')].filter(el => {
  const s = getComputedStyle(el);
  const hides = (value) => value === 'hidden' || value === 'clip';
  const clips = hides(s.overflowX) || hides(s.overflowY);
  return clips && el.innerText && el.innerText.trim() && s.position !== 'absolute' &&
    (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);
}).map(el => el.tagName + '.' + el.className).slice(0, 5)"""


def test_public_and_group_pages_keep_everything_with_text_at_200_percent(app, browser, walk_seed):
    # A browser's text size setting scales the root font; engage sizes all text in rem.
    lost, checked = [], 0
    viewport = {"width": 1280, "height": 800}
    for url, user, page in _public_and_group_pages(app, browser, walk_seed, viewport=viewport):
        normal = page.evaluate("getComputedStyle(document.body).fontSize")
        page.add_style_tag(content="html { font-size: 200% !important; }")
        bigger = page.evaluate("getComputedStyle(document.body).fontSize")
        assert float(bigger[:-2]) >= 2 * float(normal[:-2]) - 0.5, (url, normal, bigger)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        clipped = page.evaluate(CLIPPED)
        checked += 1
        if overflow > 0 or clipped:
            lost.append(f"{url} as {user}: sideways {overflow}px, clipped {clipped}")
    assert not lost, "\n".join(lost)
    assert checked >= 15


# Each POST form on the page that asks for something (a text box, a choice, a file), as
# [form index, submit button index]; forms of buttons alone (approve, hide) are actions.
DATA_FORMS = """() => [...document.querySelectorAll('main form')].map((form, i) => {
  const method = (form.getAttribute('method') || 'get').toLowerCase();
  const asks = form.querySelector(
    'input:not([type=hidden]):not([type=submit]):not([type=button]), textarea, select');
  return method === 'post' && asks ? i : -1;
}).filter(i => i >= 0)"""
EMPTY_AND_SEND = """(i) => {
  const form = document.querySelectorAll('main form')[i];
  form.setAttribute('novalidate', '');
  for (const el of form.querySelectorAll('input, textarea, select')) {
    if (['hidden', 'submit', 'button'].includes(el.type)) continue;
    if (el.type === 'checkbox' || el.type === 'radio') el.checked = false;
    else if (el.tagName === 'SELECT') el.selectedIndex = -1;
    else el.value = '';
  }
  const button = form.querySelector('button[type=submit], button:not([type]), input[type=submit]');
  button ? button.click() : form.requestSubmit();
}"""


def test_every_form_sent_empty_shows_an_accessible_error_state(app, browser, walk_seed):
    # Sent with every field emptied (and the browser's own checks off, as an old browser or a
    # script would send it): where the page answers with its error state, axe checks that.
    pages = _pages(app, walk_seed, with_ids=True)
    clients, contexts, checked, failures = {}, {}, 0, []
    try:
        for url, user in pages:
            if user not in contexts:
                clients[user] = signed_in(app, user, walk_seed)
                context = browser.new_context(base_url=ORIGIN, bypass_csp=True)
                context.route("**/*", _answer_from(clients[user]))
                contexts[user] = context
            probe = clients[user].get(url)
            probe.close()
            if probe.mimetype != "text/html" or probe.status_code != 200:
                continue  # a download, or a state an earlier form in this walk moved on
            page = contexts[user].new_page()
            page.goto(url)
            for index in page.evaluate(DATA_FORMS):
                page.goto(url)
                with page.expect_navigation():
                    page.evaluate(EMPTY_AND_SEND, index)
                if page.locator(".error-summary").count() == 0:
                    continue  # accepted empty: an optional form, not an error state
                checked += 1
                try:
                    assert_accessible(page, f"{url} form {index} sent empty, as {user}")
                    # The page's script moves the focus to the summary once it has run.
                    page.wait_for_function(
                        "document.activeElement.classList.contains('error-summary')",
                        timeout=5000,
                    )
                except (AssertionError, PlaywrightTimeout) as failure:
                    failures.append(f"{url} form {index} as {user}: {failure}")
            page.close()
    finally:
        for context in contexts.values():
            context.close()
    assert not failures, "\n".join(failures)
    assert checked >= 15, f"only {checked} error states were reached"
    print(f"\naxe-core: {checked} forms' error states, 0 violations")
