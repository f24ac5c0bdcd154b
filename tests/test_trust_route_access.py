"""Every route against every user: who gets 200, who is sent to sign in, who gets 403 or 404.

The table below is the access policy, written out. A route `flask routes` lists without an entry
here fails the test, so a new route cannot ship without someone deciding who may use it: add one
line to its blueprint's group. POSTs are sent only by users the table refuses, and must change
no row in any table (their allowed use is each feature's own tests' business).
"""

import pytest
from flask import url_for
from sqlalchemy import select

from engage.core.extensions import db as _db
from tests.access_seed import GROUPS, USERS, seed
from tests.conftest import PASSWORD

OK, SIGN_IN, FORBIDDEN, MISSING, MOVED = 200, "sign-in", 403, 404, "redirect"
STAFF = ("admin", "consultation", "comms", "reviewer", "pcc", "recused")


def everyone(status=OK, **overrides) -> dict:
    """The same answer for every user, but for the ones named."""
    return {user: overrides.get(user, status) for user in USERS}


def staff(*allowed: str, groups=FORBIDDEN, **overrides) -> dict:
    """Staff pages: `allowed` roles (and admins) in, other staff 403, anonymous to sign in."""
    table = {"anonymous": SIGN_IN} | dict.fromkeys(GROUPS, groups)
    table |= {role: OK if role in (*allowed, "admin") else FORBIDDEN for role in STAFF}
    if "reviewer" in allowed:
        table["recused"] = OK
    return table | overrides


def group(mine=OK, theirs=MISSING, **overrides) -> dict:
    """Group pages: the owning group in, the other group 404, staff 403, anonymous to sign in."""
    table = {"anonymous": SIGN_IN, "group": mine, "group2": theirs} | dict.fromkeys(STAFF, 403)
    return table | overrides


# Roles as the views name them.
RESULTS = ("consultation", "comms", "pcc")  # surveys' RESULTS_READERS
BUILDERS = ("consultation",)
SOCIAL_READERS = ("comms", "pcc")
SOCIAL_EDITORS = ("comms",)
CODERS = ("consultation",)  # of a question's comments; comms code campaigns
CODE_READERS = ("consultation", "pcc")
OUTCOME_EDITORS = ("consultation", "pcc")
OFFICE = ("pcc",)
REVIEWERS = ("reviewer",)

# endpoint: {method: expected status per user}. A POST marked OK for a user is not sent by them.
ROUTES = {
    # web, health, static: open to all
    "web.home": {"GET": everyone()},
    "web.accessibility": {"GET": everyone()},
    "web.privacy": {"GET": everyone()},
    "web.favicon": {"GET": everyone()},
    "web.plotly_js": {"GET": everyone()},
    "health.healthz": {"GET": everyone()},
    "health.readyz": {"GET": everyone()},
    "static": {"GET": everyone()},
    # surveys: the public's forms (an empty POST is refused and stores nothing)
    "surveys.consultation": {"GET": everyone()},
    "surveys.check_answers": {"POST": everyone(400)},
    "surveys.check_your_answers": {"GET": everyone(MOVED)},  # nothing to check: back to the form
    "surveys.confirmation": {"GET": everyone(MOVED)},  # no receipt in this session
    "surveys.send": {"POST": everyone(400)},
    # a page of a consultation with sections: nothing answered yet goes back to the start
    "surveys.survey_page": {"GET": everyone(MOVED), "POST": everyone(400)},
    "surveys.public_results": {"GET": everyone(MISSING)},  # results not published yet
    # update emails' links: open to all; a forged token is not found and changes nothing
    "surveys.confirm_updates": {"GET": everyone(MISSING), "POST": everyone(MISSING)},
    "surveys.unsubscribe": {"GET": everyone(MISSING), "POST": everyone(MISSING)},
    # a roadshow kiosk: a forged link is not found; its service worker is a public script
    "surveys.kiosk_page": {"GET": everyone(MISSING), "POST": everyone(MISSING)},
    "surveys.kiosk_responses": {"POST": everyone(MISSING)},
    "surveys.kiosk_manifest": {"GET": everyone(MISSING)},
    "surveys.kiosk_service_worker": {"GET": everyone()},
    # surveys_staff
    "surveys_staff.consultation_list": {"GET": staff(*RESULTS)},
    "surveys_staff.overview": {"GET": staff(*RESULTS)},
    "surveys_staff.results": {"GET": staff(*RESULTS)},
    "surveys_staff.free_text": {"GET": staff(*RESULTS)},
    "surveys_staff.event_list": {"GET": staff(*RESULTS)},
    "surveys_staff.export_responses": {"GET": staff(*RESULTS)},
    "surveys_staff.export_summary": {"GET": staff(*RESULTS)},
    "surveys_staff.start_responses_export": {"POST": staff(*RESULTS)},
    "surveys_staff.export_job": {"GET": staff(*RESULTS)},
    "surveys_staff.download_export": {"GET": staff(*RESULTS)},
    "surveys_staff.export_contacts": {"GET": staff(*BUILDERS)},
    # results not published yet: refused (409) for those allowed
    "surveys_staff.export_subscribers": {"GET": staff(*BUILDERS, admin=409, consultation=409)},
    "surveys_staff.prize_draw": {"GET": staff(*BUILDERS, "pcc")},
    "surveys_staff.make_prize_draw": {"POST": staff(*BUILDERS)},
    "surveys_staff.new_consultation": {"GET": staff(*BUILDERS), "POST": staff(*BUILDERS)},
    "surveys_staff.edit_consultation": {"GET": staff(*BUILDERS), "POST": staff(*BUILDERS)},
    "surveys_staff.change_status": {"POST": staff(*BUILDERS)},
    "surveys_staff.new_question": {"GET": staff(*BUILDERS), "POST": staff(*BUILDERS)},
    "surveys_staff.edit_question": {"GET": staff(*BUILDERS), "POST": staff(*BUILDERS)},
    "surveys_staff.move_question": {"POST": staff(*BUILDERS)},
    "surveys_staff.delete_question": {"POST": staff(*BUILDERS)},
    "surveys_staff.sections_page": {"GET": staff(*BUILDERS)},
    "surveys_staff.add_section": {"POST": staff(*BUILDERS)},
    "surveys_staff.change_section": {"POST": staff(*BUILDERS)},
    "surveys_staff.place_question": {"POST": staff(*BUILDERS)},
    "surveys_staff.question_rule": {"GET": staff(*BUILDERS), "POST": staff(*BUILDERS)},
    "surveys_staff.section_rule": {"GET": staff(*BUILDERS), "POST": staff(*BUILDERS)},
    "surveys_staff.correct_comment_sentiment": {"POST": staff(*BUILDERS)},
    "surveys_staff.new_event": {"GET": staff(*BUILDERS), "POST": staff(*BUILDERS)},
    "surveys_staff.edit_event": {"GET": staff(*BUILDERS), "POST": staff(*BUILDERS)},
    "surveys_staff.paper_entry": {"GET": staff(*BUILDERS), "POST": staff(*BUILDERS)},
    "surveys_staff.undo_paper_response": {"POST": staff(*BUILDERS)},
    "surveys_staff.event_kiosks": {"GET": staff(*BUILDERS), "POST": staff(*BUILDERS)},
    "surveys_staff.revoke_kiosk": {"POST": staff(*BUILDERS)},
    "surveys_staff.plain_english": {"POST": staff(*BUILDERS)},
    "surveys_staff.population_list": {"GET": staff()},
    "surveys_staff.edit_population": {"GET": staff(), "POST": staff()},
    # outcomes_staff: "we asked, you said, we did"
    "outcomes_staff.outcomes": {"GET": staff(*RESULTS)},
    "outcomes_staff.board_report": {"GET": staff(*RESULTS)},
    "outcomes_staff.board_report_pdf": {"GET": staff(*RESULTS)},
    "outcomes_staff.start_board_report_pdf": {"POST": staff(*RESULTS)},
    # the seeded job is an export, not a report: 404 for those allowed
    "outcomes_staff.report_job": {
        "GET": staff(*RESULTS, **dict.fromkeys(("admin", *RESULTS), MISSING))
    },
    "outcomes_staff.download_report_pdf": {
        "GET": staff(*RESULTS, **dict.fromkeys(("admin", *RESULTS), MISSING))
    },
    "outcomes_staff.new_commitment": {
        "GET": staff(*OUTCOME_EDITORS),
        "POST": staff(*OUTCOME_EDITORS),
    },
    "outcomes_staff.edit_commitment": {
        "GET": staff(*OUTCOME_EDITORS),
        "POST": staff(*OUTCOME_EDITORS),
    },
    "outcomes_staff.delete_commitment": {"POST": staff(*OUTCOME_EDITORS)},
    "outcomes_staff.link_grant": {"POST": staff(*OUTCOME_EDITORS)},
    "outcomes_staff.unlink_grant": {"POST": staff(*OUTCOME_EDITORS)},
    # no ?answer= naming a comment to quote: 404 for those allowed
    "outcomes_staff.new_quote": {
        "GET": staff(*OUTCOME_EDITORS, **dict.fromkeys(("admin", *OUTCOME_EDITORS), MISSING)),
        "POST": staff(*OUTCOME_EDITORS),
    },
    "outcomes_staff.delete_quote": {"POST": staff(*OUTCOME_EDITORS)},
    # coding_staff: code frames for free-text answers (a question here)
    "coding_staff.overview": {"GET": staff(*CODE_READERS)},
    "coding_staff.themes": {"GET": staff(*CODE_READERS)},
    "coding_staff.code": {"GET": staff(*CODE_READERS)},
    "coding_staff.agreement": {"GET": staff(*CODE_READERS)},
    "coding_staff.code_texts": {"GET": staff(*CODE_READERS), "POST": staff(*CODERS)},
    "coding_staff.toggle_blind": {"POST": staff(*CODE_READERS)},  # a reader's own view
    "coding_staff.accept_theme": {"POST": staff(*CODERS)},
    "coding_staff.reject_theme": {"POST": staff(*CODERS)},
    "coding_staff.rename_code": {"POST": staff(*CODERS)},
    "coding_staff.describe_code": {"POST": staff(*CODERS)},
    "coding_staff.merge_codes": {"POST": staff(*CODERS)},
    "coding_staff.train": {"POST": staff(*CODERS)},
    "coding_staff.training": {"GET": staff(*CODE_READERS)},
    "coding_staff.suggest_themes": {"POST": staff(*CODE_READERS)},  # finds themes, codes nothing
    # social_staff
    "social_staff.campaign_list": {"GET": staff(*SOCIAL_READERS)},
    "social_staff.campaign_dashboard": {"GET": staff(*SOCIAL_READERS)},
    "social_staff.campaign_setup": {"GET": staff(*SOCIAL_READERS)},
    "social_staff.post_detail": {"GET": staff(*SOCIAL_READERS)},
    "social_staff.export_posts": {"GET": staff(*SOCIAL_READERS)},
    "social_staff.social_job": {"GET": staff(*SOCIAL_READERS)},
    "social_staff.new_campaign": {"GET": staff(*SOCIAL_EDITORS), "POST": staff(*SOCIAL_EDITORS)},
    "social_staff.edit_campaign": {"GET": staff(*SOCIAL_EDITORS), "POST": staff(*SOCIAL_EDITORS)},
    "social_staff.add_daily_question": {"POST": staff(*SOCIAL_EDITORS)},
    "social_staff.upload_import": {"POST": staff(*SOCIAL_EDITORS)},
    "social_staff.rescore_campaign": {"POST": staff(*SOCIAL_EDITORS)},
    "social_staff.bulk_moderate": {"POST": staff(*SOCIAL_EDITORS)},
    "social_staff.hide_post": {"POST": staff(*SOCIAL_EDITORS)},
    "social_staff.unhide_post": {"POST": staff(*SOCIAL_EDITORS)},
    "social_staff.flag_post": {"POST": staff(*SOCIAL_EDITORS)},
    "social_staff.note_post": {"POST": staff(*SOCIAL_EDITORS)},
    "social_staff.position_post": {"POST": staff(*SOCIAL_EDITORS)},
    "social_staff.correct_post_sentiment": {"POST": staff(*SOCIAL_EDITORS)},
    # grants_staff: the PCC's office runs the fund; reviewers see only their own assignments
    "grants_staff.round_list": {"GET": staff(*OFFICE)},
    "grants_staff.new_round": {"GET": staff(*OFFICE), "POST": staff(*OFFICE)},
    "grants_staff.round_page": {"GET": staff(*OFFICE)},
    "grants_staff.round_overview": {"GET": staff(*OFFICE)},
    "grants_staff.edit_round": {"GET": staff(*OFFICE), "POST": staff(*OFFICE)},
    "grants_staff.round_audit": {"GET": staff(*OFFICE)},
    "grants_staff.round_audit_csv": {"GET": staff(*OFFICE)},
    # an unpublished round has no 360Giving data yet: 422 for those allowed
    "grants_staff.export_360giving": {"GET": staff(*OFFICE, admin=422, pcc=422)},
    "grants_staff.publish_round": {"GET": staff(*OFFICE), "POST": staff(*OFFICE)},
    "grants_staff.withdraw_publication": {  # not published: back to the round
        "GET": staff(*OFFICE, admin=MOVED, pcc=MOVED),
        "POST": staff(*OFFICE),
    },
    "grants_staff.application_case": {"GET": staff(*OFFICE)},
    "grants_staff.assign_reviewer": {"POST": staff(*OFFICE)},
    "grants_staff.take_step": {"POST": staff(*OFFICE)},
    "grants_staff.decide": {"POST": staff(*OFFICE)},
    "grants_staff.batch_decision": {"POST": staff(*OFFICE)},
    "grants_staff.my_reviews": {"GET": staff(*REVIEWERS)},
    # the assignment is the reviewer's own: anyone else's is a 404, admins' and the recused too
    "grants_staff.review": {"GET": staff(*REVIEWERS, admin=MISSING, recused=MISSING)},
    "grants_staff.declare": {"POST": staff(*REVIEWERS, admin=MISSING, recused=MISSING)},
    "grants_staff.score": {"POST": staff(*REVIEWERS, admin=MISSING, recused=MISSING)},
    # activecitizens: the fund's public pages and each group's own
    "activecitizens.fund_home": {"GET": everyone()},
    "activecitizens.funded_projects": {"GET": everyone()},
    # the unsubscribe link in a group's progress emails: a forged token is not found
    "activecitizens.stop_status_emails": {"GET": everyone(MISSING), "POST": everyone(MISSING)},
    "activecitizens.register": {"GET": everyone(), "POST": everyone(422)},
    "activecitizens.sign_in": {
        "GET": everyone(group=MOVED, group2=MOVED),
        "POST": everyone(422, group=MOVED, group2=MOVED),
    },
    "activecitizens.sign_out": {"POST": group(theirs=OK)},
    "activecitizens.group_home": {"GET": group(theirs=OK)},
    "activecitizens.group_details": {"GET": group(theirs=OK), "POST": group(theirs=OK)},
    "activecitizens.start_application": {"POST": group(theirs=OK)},
    "activecitizens.resume_status_emails": {"POST": group(theirs=OK)},
    "activecitizens.application_page": {"GET": group()},
    "activecitizens.check_application": {"GET": group(mine=MOVED)},  # sent: nothing to check
    "activecitizens.edit_application": {"GET": group(mine=MOVED), "POST": group()},  # sent
    "activecitizens.submit_application": {"POST": group()},
    "activecitizens.withdraw_application": {"GET": group(), "POST": group()},
    "activecitizens.accept_offer": {"GET": group(), "POST": group()},
    "activecitizens.monitoring_report": {"GET": group(), "POST": group()},
    "activecitizens.upload_document": {"POST": group()},
    "activecitizens.remove_document": {"POST": group()},
    # the sending group, the PCC's office and a reviewer with no conflict; others 404
    "activecitizens.download_document": {
        "GET": group(admin=OK, pcc=OK, reviewer=OK, consultation=404, comms=404, recused=404)
    },
    # auth
    "auth.login": {
        "GET": everyone(**dict.fromkeys(STAFF, MOVED)),
        "POST": everyone(422, **dict.fromkeys(STAFF, MOVED)),
    },
    "auth.logout": {"POST": staff(*STAFF, group=MOVED, group2=MOVED)},  # signs a group out
    "auth.dashboard": {"GET": staff(*STAFF)},
    "auth.languages": {"GET": staff(*STAFF)},
    "auth.staff_list": {"GET": staff(), "POST": staff()},
    "auth.staff_edit": {"GET": staff(), "POST": staff()},
    # with no password just checked, the code page sends everyone back to sign in
    "auth.login_code": {"GET": everyone(SIGN_IN), "POST": everyone(SIGN_IN)},
    "auth.two_factor_setup": {"GET": staff(*STAFF), "POST": staff(*STAFF)},
    "auth.two_factor_reset": {"POST": staff()},
    # privacy: the data protection officer's pages, admins only
    "privacy_staff.retention_schedule": {"GET": staff()},
    "privacy_staff.set_retention_period": {"POST": staff()},
    "privacy_staff.subject_access": {"GET": staff()},
    "privacy_staff.export_subject_data": {"POST": staff()},
    "privacy_staff.erase_subject_data": {"POST": staff()},
    "privacy_staff.access_log": {"GET": staff()},
    "privacy_staff.access_log_csv": {"GET": staff()},
    "privacy_staff.processing_record": {"GET": staff()},
    "privacy_staff.processing_record_csv": {"GET": staff()},
    # forgotten passwords: open to all; an empty form is refused, a forged link is not found
    "passwords.forgot": {"GET": everyone(), "POST": everyone(422)},
    "passwords.sent": {"GET": everyone()},
    "passwords.reset": {"GET": everyone(MISSING), "POST": everyone(MISSING)},
    # changing one's password: any signed-in account, staff or group
    "passwords.change": {"GET": everyone(anonymous=SIGN_IN), "POST": everyone(anonymous=SIGN_IN)},
}


@pytest.fixture
def seeded(app, make_consultation, make_event, make_response, make_campaign):
    with app.app_context():
        return seed(make_consultation, make_event, make_response, make_campaign)


SIGN_OUTS = {"auth.logout", "activecitizens.sign_out"}


def signed_in(app, user: str, seeded):
    client = app.test_client()
    if user != "anonymous":
        path = "/active-citizens-fund/sign-in" if user in GROUPS else "/staff/login"
        response = client.post(path, data={"email": seeded.emails[user], "password": PASSWORD})
        assert response.status_code in (302, 303), (user, response.status_code)
    return client


def outcome(response):
    if response.status_code in (301, 302, 303):
        location = response.headers["Location"]
        return SIGN_IN if "/login" in location or "/sign-in" in location else MOVED
    return response.status_code


def snapshot() -> dict:
    """Every row of every table, to show a refused POST changed nothing."""
    _db.session.remove()
    return {
        table.name: sorted(map(tuple, _db.session.execute(select(table)).all()), key=repr)
        for table in _db.metadata.sorted_tables
    }


def url_of(app, rule, seeded) -> str:
    blueprint = rule.endpoint.split(".")[0] if "." in rule.endpoint else rule.endpoint
    values = {name: seeded.args[blueprint][name] for name in rule.arguments}
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def test_every_route_answers_every_user_as_the_table_says(app, seeded):
    rules = list(app.url_map.iter_rules())
    unlisted = sorted({rule.endpoint for rule in rules} - set(ROUTES))
    assert not unlisted, f"routes with no entry in ROUTES (add one line each): {unlisted}"
    clients = {user: signed_in(app, user, seeded) for user in USERS}
    wrong, checked = [], 0
    for rule in sorted(rules, key=lambda r: r.endpoint):
        url = url_of(app, rule, seeded)
        for method in sorted(rule.methods & {"GET", "POST"}):
            expected = ROUTES[rule.endpoint][method]
            for user in USERS:
                if method == "POST" and expected[user] == OK:
                    continue
                with app.app_context():
                    before = snapshot() if method == "POST" else None
                    response = clients[user].open(url, method=method)
                    got = outcome(response)
                    response.close()
                    changed = method == "POST" and snapshot() != before
                if rule.endpoint in SIGN_OUTS:
                    clients[user] = signed_in(app, user, seeded)
                checked += 1
                if got != expected[user] or changed:
                    wrong.append(f"{method} {url} as {user}: {got}, want {expected[user]}")
                    wrong[-1] += " and it changed rows" if changed else ""
    assert not wrong, "\n".join(wrong)
    # The figure for the report: run with -s to see it.
    print(f"\n{checked} route-user checks on {len(rules)} routes and {len(USERS)} users")
